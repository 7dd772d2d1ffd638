import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCrashPoint, parseKillAt } from '../../../main/core/crash-point.ts';

describe('crashPoint', () => {
  it('reads <point>:<n> and refuses anything else', () => {
    expect(parseKillAt('pull.layer-committed:3')).toEqual({ point: 'pull.layer-committed', occurrence: 3 });
    for (const bad of ['pull', 'pull:0', 'pull:-1', ':2', 'Pull:1', 'pull:1:2', 'a b:1']) expect(parseKillAt(bad), bad).toBeNull();
  });

  it('does nothing when neither variable is set', () => {
    let kills = 0;
    const point = makeCrashPoint({}, () => kills++);
    for (let i = 0; i < 5; i++) point('pull.recorded');
    expect(kills).toBe(0);
  });

  it('kills at the n-th time the named point is reached, and only then', () => {
    const kills: string[] = [];
    let last = '';
    const point = makeCrashPoint({ PODBAY_KILL_AT: 'extract.entry:3' }, () => kills.push(last));
    for (const name of ['extract.entry', 'blob.synced', 'extract.entry', 'extract.entry', 'extract.entry']) {
      last = name;
      point(name);
    }
    expect(kills).toEqual(['extract.entry']);
  });

  it('traces every point reached, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-trace-'));
    try {
      const trace = join(dir, 'trace');
      const point = makeCrashPoint({ PODBAY_CRASH_TRACE: trace }, () => {
        throw new Error('no kill asked for');
      });
      point('pull.manifest-stored');
      point('pull.config-stored');
      expect(readFileSync(trace, 'utf8')).toBe('pull.manifest-stored\npull.config-stored\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
