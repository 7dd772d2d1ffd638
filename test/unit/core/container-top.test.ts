import { describe, expect, it } from 'vitest';
import { parseTopDescriptors, psOutputTable, topTable } from '../../../main/core/container-top.ts';
import type { ProcessInfo } from '../../../main/core/system/proc-info.ts';

const proc = (hostPid: number, nsPid: number, ppid: number, args: string[], uid = 0): ProcessInfo => ({
  hostPid,
  stat: { pid: hostPid, comm: args[0] ?? '', state: 'S', ppid, pgid: hostPid, ttyNr: 0, utime: 50, stime: 50, nice: 0, startTime: 1000, vsize: 4096 * 1024, rss: 100 },
  status: { uids: [uid, uid, uid, uid], gids: [0, 0, 0, 0], nsPids: [hostPid, nsPid], ppid, seccomp: 2, capEff: null },
  args,
});

describe('top', () => {
  it('uses podman\'s default descriptors and knows AIX codes, commas and unknown ones', () => {
    expect(parseTopDescriptors([])).toEqual(['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args']);
    expect(parseTopDescriptors(['pid,%C', 'args'])).toEqual(['pid', 'pcpu', 'args']);
    expect(parseTopDescriptors(['-ef'])).toBeNull();
  });

  it('shows PIDs inside the namespace, users from the container, a parent outside as 0', () => {
    const processes = [proc(500, 1, 400, ['sleep', '1000']), proc(501, 7, 500, ['sh', '-c', 'x'], 1000)];
    // Started 10 s after boot; now is 20 s after boot; 1 s of CPU each → 10% over their 10 s.
    const report = topTable(processes, ['user', 'pid', 'ppid', 'pcpu', 'etime', 'tty', 'time', 'args', 'hpid', 'seccomp'], {
      now: (1_700_000_000 + 20) * 1000, bootTime: 1_700_000_000, users: new Map([[0, 'root'], [1000, 'app']]), groups: new Map(), nsPid: new Map([[500, 1], [501, 7]]),
    });
    expect(report.titles).toEqual(['USER', 'PID', 'PPID', '%CPU', 'ELAPSED', 'TTY', 'TIME', 'COMMAND', 'HPID', 'SECCOMP']);
    expect(report.processes).toEqual([
      ['root', '1', '0', '10.000', '10s', '?', '1s', 'sleep 1000', '500', 'filter'],
      ['app', '7', '1', '10.000', '10s', '?', '1s', 'sh -c x', '501', 'filter'],
    ]);
  });

  it('reads ps output into a table, the last column keeping its spaces, the ps line itself dropped', () => {
    expect(psOutputTable(['PID   USER     COMMAND', '    1 root     sleep 1000', '    9 root     ps -o pid,user,args', ''], 'ps -o pid,user,args')).toEqual({
      titles: ['PID', 'USER', 'COMMAND'],
      processes: [['1', 'root', 'sleep 1000']],
    });
  });
});
