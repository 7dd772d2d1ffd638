// cgroup files as the kernel writes them, v1 (this project's hybrid hosts) and v2.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cgroupDirs, parseBlockIo, parseCgroupMounts, parseNetDev, parseProcCgroup, sampleCgroup } from '../../../../main/core/system/cgroup-stats.ts';

const hybridCgroup = '10:hugetlb:/podbay_parent/podbay-abc\n8:pids:/podbay_parent/podbay-abc\n7:blkio:/podbay_parent/podbay-abc\n4:memory:/podbay_parent/podbay-abc\n2:cpuacct:/podbay_parent/podbay-abc\n1:cpu:/podbay_parent/podbay-abc\n9:name=systemd:/\n0::/\n';
const hybridMounts = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
  '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio',
  '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('cgroup discovery', () => {
  it('finds v1 controllers of a hybrid host from /proc/<pid>/cgroup and mountinfo', () => {
    const dirs = cgroupDirs(parseProcCgroup(hybridCgroup), parseCgroupMounts(hybridMounts), []);
    expect(dirs).toEqual({
      cpu: { dir: '/sys/fs/cgroup/cpuacct/podbay_parent/podbay-abc', v2: false },
      memory: { dir: '/sys/fs/cgroup/memory/podbay_parent/podbay-abc', v2: false },
      pids: { dir: '/sys/fs/cgroup/pids/podbay_parent/podbay-abc', v2: false },
      io: { dir: '/sys/fs/cgroup/blkio/podbay_parent/podbay-abc', v2: false },
    });
  });

  it('uses the unified hierarchy on a v2 host', () => {
    const dirs = cgroupDirs(parseProcCgroup('0::/podbay_parent/podbay-abc\n'), parseCgroupMounts('30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw'), ['cpu', 'memory', 'pids', 'io']);
    expect(dirs.memory).toEqual({ dir: '/sys/fs/cgroup/podbay_parent/podbay-abc', v2: true });
    expect(dirs.cpu?.v2).toBe(true);
  });
});

describe('cgroup files', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('parses block I/O lines of v1 and v2 and network bytes without loopback', () => {
    expect(parseBlockIo('8:0 Read 4096\n8:0 Write 512\n8:0 Total 4608\n8:16 Read 10\nTotal 4618\n')).toEqual({ read: 4106, write: 512 });
    expect(parseBlockIo('8:0 rbytes=100 wbytes=200 rios=1 wios=2\n253:1 rbytes=1 wbytes=2\n')).toEqual({ read: 101, write: 202 });
    const netdev = 'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo:  999 9 0 0 0 0 0 0 999 9 0 0 0 0 0 0\n  eth0: 1500 10 0 0 0 0 0 0 700 5 0 0 0 0 0 0\n';
    expect(parseNetDev(netdev)).toEqual({ rx: 1500, tx: 700 });
  });

  it('samples v1 files: usage without inactive page cache, the limit capped at host memory', () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-cg-'));
    for (const d of ['cpuacct', 'memory', 'pids', 'blkio']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'cpuacct', 'cpuacct.usage'), '123456789\n');
    writeFileSync(join(dir, 'memory', 'memory.usage_in_bytes'), '10485760\n');
    writeFileSync(join(dir, 'memory', 'memory.limit_in_bytes'), '67108864\n');
    writeFileSync(join(dir, 'memory', 'memory.stat'), 'cache 2097152\ntotal_inactive_file 1048576\n');
    writeFileSync(join(dir, 'pids', 'pids.current'), '3\n');
    writeFileSync(join(dir, 'blkio', 'blkio.throttle.io_service_bytes_recursive'), '8:0 Read 100\n8:0 Write 50\n');
    const at = (d: string) => ({ dir: join(dir, d), v2: false });
    const sample = sampleCgroup({ cpu: at('cpuacct'), memory: at('memory'), pids: at('pids'), io: at('blkio') }, null, 1e12);
    expect(sample).toEqual({ cpuNanos: 123456789, memUsage: 9437184, memLimit: 67108864, pids: 3, blockRead: 100, blockWrite: 50, netRx: null, netTx: null });
    writeFileSync(join(dir, 'memory', 'memory.limit_in_bytes'), '9223372036854771712\n');
    expect(sampleCgroup({ cpu: null, memory: at('memory'), pids: null, io: null }, null, 8e9).memLimit).toBe(8e9);
  });

  it('samples v2 files', () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-cg-'));
    writeFileSync(join(dir, 'cpu.stat'), 'usage_usec 2500\nuser_usec 2000\n');
    writeFileSync(join(dir, 'memory.current'), '4096000\n');
    writeFileSync(join(dir, 'memory.max'), 'max\n');
    writeFileSync(join(dir, 'memory.stat'), 'anon 100\ninactive_file 96000\n');
    writeFileSync(join(dir, 'pids.current'), '7\n');
    writeFileSync(join(dir, 'io.stat'), '8:0 rbytes=10 wbytes=20\n');
    const at = { dir, v2: true };
    expect(sampleCgroup({ cpu: at, memory: at, pids: at, io: at }, null, 5e9)).toEqual({ cpuNanos: 2_500_000, memUsage: 4_000_000, memLimit: 5e9, pids: 7, blockRead: 10, blockWrite: 20, netRx: null, netTx: null });
  });
});
