import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLogLine, parseLogLine, readLog, tailLines } from '../../../../main/core/oci/k8s-file-log.ts';
import type { LogLine } from '../../../../main/core/oci/k8s-file-log.ts';

const t = (s: number) => `2026-05-01T10:20:${String(s).padStart(2, '0')}.123456789+02:00`;

describe('parseLogLine', () => {
  it('reads conmon\'s format with nanoseconds and a local offset', () => {
    expect(parseLogLine(`${t(30)} stdout F hello world`)).toEqual({
      time: t(30), timeMs: Date.parse('2026-05-01T08:20:30.123Z'), stream: 'stdout', full: true, text: 'hello world',
    });
  });

  it('keeps the text\'s own spaces and accepts P/F with no space and no content', () => {
    expect(parseLogLine(`${t(1)} stderr P  two  spaces `)?.text).toBe(' two  spaces ');
    expect(parseLogLine(`${t(1)} stdout F`)).toMatchObject({ full: true, text: '' });
    expect(parseLogLine(`${t(1)} stdout F `)).toMatchObject({ full: true, text: '' });
  });

  it('skips lines that are not in the format', () => {
    for (const line of ['', 'garbage', `${t(1)} stdin F x`, `${t(1)} stdout X x`, 'yesterday stdout F x']) expect(parseLogLine(line)).toBeNull();
  });
});

describe('formatLogLine', () => {
  it('prints fragments without a newline, full lines with one, timestamps on request', () => {
    const p = parseLogLine(`${t(1)} stdout P abc`) as LogLine;
    const f = parseLogLine(`${t(1)} stdout F def`) as LogLine;
    expect(formatLogLine(p) + formatLogLine(f)).toBe('abcdef\n');
    expect(formatLogLine(f, true)).toBe(`${t(1)} def\n`);
  });
});

describe('tailLines', () => {
  const lines = [`${t(1)} stdout F one`, `${t(2)} stdout P tw`, `${t(2)} stdout F o`, `${t(3)} stdout F three`].map((l) => parseLogLine(l) as LogLine);

  it('counts only full lines and keeps the fragments of the first kept line', () => {
    expect(tailLines(lines, 1).map((l) => l.text)).toEqual(['three']);
    expect(tailLines(lines, 2).map((l) => l.text)).toEqual(['tw', 'o', 'three']);
    expect(tailLines(lines, 0)).toEqual([]);
    expect(tailLines(lines, 10)).toHaveLength(4);
    expect(tailLines(lines, -1)).toHaveLength(4);
  });

  it('counts a trailing fragment as the last line', () => {
    const partial = [...lines, parseLogLine(`${t(4)} stdout P four`) as LogLine];
    expect(tailLines(partial, 1).map((l) => l.text)).toEqual(['four']);
  });
});

describe('readLog', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-log-'));
    path = join(dir, 'ctr.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function collect(iterable: AsyncIterable<LogLine>): Promise<string[]> {
    const out: string[] = [];
    for await (const line of iterable) out.push(line.text);
    return out;
  }

  it('yields nothing for a missing file', async () => {
    expect(await collect(readLog(path))).toEqual([]);
  });

  it('filters by since, until and tail, and ignores an unfinished last line', async () => {
    writeFileSync(path, [1, 2, 3, 4].map((s) => `${t(s)} stdout F l${s}\n`).join('') + `${t(5)} stdout F half`);
    expect(await collect(readLog(path))).toEqual(['l1', 'l2', 'l3', 'l4']);
    expect(await collect(readLog(path, { sinceMs: Date.parse(t(2)) }))).toEqual(['l2', 'l3', 'l4']);
    expect(await collect(readLog(path, { untilMs: Date.parse(t(2)) }))).toEqual(['l1', 'l2']);
    expect(await collect(readLog(path, { tail: 2 }))).toEqual(['l3', 'l4']);
  });

  it('follows appended lines until told the container is done', async () => {
    writeFileSync(path, `${t(1)} stdout F a\n`);
    let done = false;
    const seen: string[] = [];
    const reading = (async () => {
      for await (const line of readLog(path, { follow: true, pollMs: 10, isDone: () => done })) seen.push(line.text);
    })();
    await new Promise((r) => setTimeout(r, 50));
    appendFileSync(path, `${t(2)} stderr F b\n`);
    await new Promise((r) => setTimeout(r, 50));
    appendFileSync(path, `${t(3)} stdout F c\n`);
    done = true;
    await reading;
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('starts over when the file is truncated under a follower (conmon --log-size-max)', async () => {
    writeFileSync(path, `${t(1)} stdout F first-long-line\n`);
    let done = false;
    const seen: string[] = [];
    const reading = (async () => {
      for await (const line of readLog(path, { follow: true, pollMs: 10, isDone: () => done })) seen.push(line.text);
    })();
    await new Promise((r) => setTimeout(r, 50));
    truncateSync(path, 0);
    await new Promise((r) => setTimeout(r, 50));
    appendFileSync(path, `${t(2)} stdout F new\n`);
    await new Promise((r) => setTimeout(r, 50));
    done = true;
    await reading;
    expect(seen).toEqual(['first-long-line', 'new']);
  });

  it('reads a log that conmon replaced by rename from its start, even when the new file is already longer', async () => {
    writeFileSync(path, `${t(1)} stdout F a\n`);
    let done = false;
    const seen: string[] = [];
    const reading = (async () => {
      for await (const line of readLog(path, { follow: true, pollMs: 10, isDone: () => done })) seen.push(line.text);
    })();
    await new Promise((r) => setTimeout(r, 50));
    // conmon 2.1.6 --log-size-max: `<log>.tmp` written with O_TRUNC, then renamed over the log.
    writeFileSync(`${path}.tmp`, `${t(2)} stdout F after-truncation-1\n${t(3)} stdout F after-truncation-2\n`);
    renameSync(`${path}.tmp`, path);
    await new Promise((r) => setTimeout(r, 50));
    done = true;
    await reading;
    expect(seen).toEqual(['a', 'after-truncation-1', 'after-truncation-2']);
  });

  it('stops following on abort', async () => {
    writeFileSync(path, '');
    const controller = new AbortController();
    const reading = collect(readLog(path, { follow: true, pollMs: 10, signal: controller.signal }));
    controller.abort();
    await expect(reading).rejects.toThrow();
  });
});
