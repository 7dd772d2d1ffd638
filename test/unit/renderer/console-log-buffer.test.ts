import { describe, expect, it } from 'vitest';
import type { ContainerLogLine } from '../../../shared/types/containers.ts';
import {
  appendLogLines,
  droppedNote,
  emptyLogBuffer,
  findMatches,
  highlightSegments,
  isAtBottom,
  logTimeLabel,
  searchLog,
  visibleLines,
} from '../../../renderer/src/console/log-buffer.ts';

const line = (text: string, fields: Partial<ContainerLogLine> = {}): ContainerLogLine => ({ stream: 'stdout', time: '2026-11-28T12:00:00.000000000Z', text, full: true, ...fields });

describe('log buffer', () => {
  it('appends lines in order with stable sequence numbers, leaving the old buffer untouched', () => {
    const empty = emptyLogBuffer(10);
    const one = appendLogLines(empty, [line('a'), line('b', { stream: 'stderr' })]);
    expect(empty.entries).toEqual([]);
    expect(one.entries.map((e) => [e.seq, e.stream, e.text])).toEqual([
      [0, 'stdout', 'a'],
      [1, 'stderr', 'b'],
    ]);
    expect(appendLogLines(one, [])).toBe(one);
  });

  it('keeps only the last `capacity` lines and says how many it dropped', () => {
    let buffer = emptyLogBuffer(1000);
    for (let chunk = 0; chunk < 5; chunk++) buffer = appendLogLines(buffer, Array.from({ length: 700 }, (_, i) => line(`line-${chunk * 700 + i}`)));
    expect(buffer.entries).toHaveLength(1000);
    expect(buffer.dropped).toBe(2500);
    expect(buffer.entries[0]?.text).toBe('line-2500');
    expect(buffer.entries.at(-1)?.seq).toBe(3499);
    expect(droppedNote(buffer)).toBe('Showing the last 1,000 lines (2,500 earlier lines not shown)');
    expect(droppedNote(emptyLogBuffer())).toBeNull();
  });

  it('joins a partial line to the fragment that completes it, showing it meanwhile', () => {
    const partial = appendLogLines(emptyLogBuffer(), [line('/ # ', { full: false })]);
    expect(partial.entries).toEqual([]);
    expect(visibleLines(partial).map((e) => e.text)).toEqual(['/ # ']);
    const done = appendLogLines(partial, [line('echo hi\r')]);
    expect(done.partial).toBeNull();
    expect(done.entries.map((e) => [e.seq, e.text])).toEqual([[0, '/ # echo hi']]);
  });

  it('finds matches case-insensitively without overlaps and cuts lines into highlight segments', () => {
    expect(findMatches('Error: ERROR error', 'error')).toEqual([
      { start: 0, end: 5 },
      { start: 7, end: 12 },
      { start: 13, end: 18 },
    ]);
    expect(findMatches('aaaa', 'aa')).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
    expect(findMatches('anything', '')).toEqual([]);
    expect(highlightSegments('say line-2 twice: LINE-2.', 'line-2')).toEqual([
      { text: 'say ', match: false },
      { text: 'line-2', match: true },
      { text: ' twice: ', match: false },
      { text: 'LINE-2', match: true },
      { text: '.', match: false },
    ]);
    expect(highlightSegments('plain', 'zzz')).toEqual([{ text: 'plain', match: false }]);
  });

  it('counts matches and the lines that hold them, over thousands of lines', () => {
    const buffer = appendLogLines(emptyLogBuffer(), Array.from({ length: 5000 }, (_, i) => line(i % 1000 === 0 ? `GET /health ${i} health` : `line ${i}`)));
    const result = searchLog(visibleLines(buffer), 'health');
    expect(result.lines.map((l) => l.seq)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(result.matches).toBe(10);
    expect(searchLog(visibleLines(buffer), '')).toEqual({ lines: [], matches: 0 });
  });

  it('follows only while the view is at the bottom', () => {
    expect(isAtBottom(900, 1300, 400)).toBe(true);
    expect(isAtBottom(880, 1300, 400)).toBe(true);
    expect(isAtBottom(500, 1300, 400)).toBe(false);
  });

  it('shows conmon times short and local, and odd ones as they are', () => {
    const label = logTimeLabel('2026-11-28T12:34:56.789123456Z');
    expect(label).toMatch(/^\d\d:34:56\.789$/);
    expect(logTimeLabel('not a time')).toBe('not a time');
  });
});

describe('a pod’s merged log in the buffer', () => {
  it('keeps each line’s container, and completes a fragment only with its own container’s next line', async () => {
    const { appendLogLines: append, emptyLogBuffer: empty, visibleLines: visible } = await import('../../../renderer/src/console/log-buffer.ts');
    const t = '2026-12-02T10:00:00.000000000Z';
    const buffer = append(empty(10), [
      { stream: 'stdout', time: t, text: 'par', full: false, containerName: 'a' },
      { stream: 'stdout', time: t, text: 'from b', full: true, containerName: 'b' },
      { stream: 'stdout', time: t, text: 'tial', full: true, containerName: 'a' },
    ]);
    expect(visible(buffer).map((l) => `${l.source}:${l.text}`)).toEqual(['a:par', 'b:from b', 'a:tial']);
  });
});
