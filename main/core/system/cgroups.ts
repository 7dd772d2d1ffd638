// Which cgroup layout the host has, read as libpod's cgroups.IsCgroup2UnifiedMode does (statfs magic),
// plus the hybrid case: v1 controllers with a cgroup2 tree at /sys/fs/cgroup/unified.
import { readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupInfo, FixAdvice } from '../../../shared/types/system-info.ts';

const CGROUP2_SUPER_MAGIC = 0x63677270;

export async function readCgroupInfo(root = '/sys/fs/cgroup'): Promise<CgroupInfo> {
  const manager = await systemdIsInit() ? 'systemd' : 'cgroupfs';
  if ((await fsType(root)) === CGROUP2_SUPER_MAGIC) {
    return { version: 'v2', mode: 'v2', unifiedControllers: await readControllers(join(root, 'cgroup.controllers')), manager };
  }
  const unified = join(root, 'unified');
  if ((await fsType(unified)) === CGROUP2_SUPER_MAGIC) {
    return { version: 'v1', mode: 'hybrid', unifiedControllers: await readControllers(join(unified, 'cgroup.controllers')), manager };
  }
  return { version: 'v1', mode: 'v1', unifiedControllers: [], manager };
}

async function fsType(path: string): Promise<number | null> {
  try {
    return Number((await statfs(path)).type);
  } catch {
    return null;
  }
}

async function readControllers(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

async function systemdIsInit(): Promise<boolean> {
  try {
    return (await readFile('/proc/1/comm', 'utf8')).trim() === 'systemd';
  } catch {
    return false;
  }
}

export interface RuntimeUsability {
  usable: boolean;
  problem: string | null;
  fix: FixAdvice | null;
}

/**
 * crun (1.8 as Debian 12 ships it) refuses hybrid hosts whose cgroup2 tree still has controllers:
 * "cgroups in hybrid mode not supported, drop all controllers from cgroupv2". runc has no such check.
 * Podbay reports this; it never changes the host by itself.
 */
export function ociRuntimeUsability(runtime: string, cgroups: CgroupInfo): RuntimeUsability {
  if (runtime === 'crun' && cgroups.mode === 'hybrid' && cgroups.unifiedControllers.length > 0) {
    const list = cgroups.unifiedControllers;
    const commands = list.map((c) => `mkdir -p /sys/fs/cgroup/${c} && mount -t cgroup -o ${c} cgroup /sys/fs/cgroup/${c}`);
    return {
      usable: false,
      problem: `crun refuses cgroup v1 hybrid mode while the cgroup2 tree has controllers (${list.join(', ')})`,
      fix: { note: 'as root, mount them as v1 hierarchies', command: commands.join(' && '), alternative: 'or choose runc (--runtime runc)' },
    };
  }
  return { usable: true, problem: null, fix: null };
}
