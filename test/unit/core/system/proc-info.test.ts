import { describe, expect, it } from 'vitest';
import { goDuration, parseBootTime, parseProcStat, parseProcStatus, ttyName } from '../../../../main/core/system/proc-info.ts';

describe('proc parsers', () => {
  it('reads /proc/<pid>/stat, even when comm holds spaces and parentheses', () => {
    const stat = parseProcStat('4242 (my (odd) cmd) S 4241 4242 4242 34816 4242 4194560 120 0 0 0 250 50 0 0 20 5 1 0 123456 8421376 512 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0');
    expect(stat).toMatchObject({ pid: 4242, comm: 'my (odd) cmd', state: 'S', ppid: 4241, pgid: 4242, ttyNr: 34816, utime: 250, stime: 50, nice: 5, startTime: 123456, vsize: 8421376, rss: 512 });
  });

  it('reads status ids, nested pids and seccomp', () => {
    expect(parseProcStatus('Name:\tsh\nPPid:\t77\nUid:\t0\t1000\t0\t0\nGid:\t0\t1001\t0\t0\nNSpid:\t12345\t1\nSeccomp:\t2\nCapEff:\t00000000a80425fb\n')).toEqual({
      uids: [0, 1000, 0, 0], gids: [0, 1001, 0, 0], nsPids: [12345, 1], ppid: 77, seccomp: 2, capEff: '00000000a80425fb',
    });
    expect(parseBootTime('cpu 1 2 3\nbtime 1700000000\n')).toBe(1_700_000_000);
  });

  it('names terminals as ps does', () => {
    expect(ttyName(0)).toBe('?');
    expect(ttyName((136 << 8) | 3)).toBe('pts/3');
    expect(ttyName((4 << 8) | 1)).toBe('tty1');
  });

  it('prints durations as Go does', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(1_500_000)).toBe('1.5ms');
    expect(goDuration(6_264_599_384)).toBe('6.264599384s');
    expect(goDuration(3_723_500_000_000)).toBe('1h2m3.5s');
    expect(goDuration(60e9)).toBe('1m0s');
    expect(goDuration(10_000_000)).toBe('10ms');
  });
});
