// The k8s-file log parser fuzzed: what a container prints is hostile input (conmon only frames it).
// Random lines parse to a well-formed line or to nothing; random files (bytes, near-valid lines, NULs,
// invalid UTF-8) read to the end without throwing; a huge line without a newline is dropped, not held.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogLine, readLog } from '../../../../main/core/oci/k8s-file-log.ts';
import type { LogLine } from '../../../../main/core/oci/k8s-file-log.ts';
import { recordSoak, scale } from '../../../helpers/soak.ts';

const wellFormed = (line: LogLine) => {
  expect(['stdout', 'stderr']).toContain(line.stream);
  expect(Number.isFinite(line.timeMs)).toBe(true);
  expect(typeof line.text).toBe('string');
};

const timestamp = fc.date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', `${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}Z`));
const nearLine = fc.tuple(fc.oneof(timestamp, fc.string({ maxLength: 40 })), fc.constantFrom('stdout', 'stderr', 'stdin', ''), fc.constantFrom('F', 'P', 'X', ''), fc.string({ maxLength: 200 })).map(([t, s, f, text]) => `${t} ${s} ${f} ${text}`);


const fuzzTimeout = scale(30_000, 1_800_000);
describe('the k8s-file log parser', () => {
  let dir: string;
  let inputs = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-log-fuzz-'));
  });
  afterAll(() => {
    recordSoak({ suite: 'fuzz: k8s-file log parser', hostileInputs: inputs, crashes: 0 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses any line to a well-formed line or to nothing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500 }), nearLine), (line) => {
        inputs++;
        const parsed = parseLogLine(line);
        if (parsed) wellFormed(parsed);
      }),
      { numRuns: scale(2_000, 100_000) },
    );
  }, fuzzTimeout);

  it('reads any file to the end without throwing', async () => {
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 4000 }).map((b) => Buffer.from(b)),
      fc.array(fc.oneof(nearLine, fc.string({ maxLength: 100 })), { maxLength: 50 }).map((lines) => Buffer.from(lines.join('\n'))),
    );
    await fc.assert(
      fc.asyncProperty(file, fc.option(fc.integer({ min: -1, max: 20 })), async (content, tail) => {
        inputs++;
        const path = join(dir, 'ctr.log');
        writeFileSync(path, content);
        for await (const line of readLog(path, tail === null ? {} : { tail })) wellFormed(line);
      }),
      { numRuns: scale(200, 10_000) },
    );
  }, fuzzTimeout);

  it('drops a line of 8 MiB without a newline instead of holding it, and reads on after it', async () => {
    inputs++;
    const path = join(dir, 'huge.log');
    writeFileSync(path, Buffer.concat([Buffer.from('2024-01-01T00:00:00.000000000Z stdout F '), Buffer.alloc(8 * 1024 * 1024, 0x61), Buffer.from('\n2024-01-01T00:00:01.000000000Z stdout F after\n')]));
    const lines: LogLine[] = [];
    for await (const line of readLog(path)) lines.push(line);
    expect(lines.map((l) => l.text)).toEqual(['after']);
  }, fuzzTimeout);
});
