// The calling process's resource limits, from /proc/self/limits (Node has no getrlimit). Containers
// may not ask for more than these: without CAP_SYS_RESOURCE a raise fails in the OCI runtime.
import { readFile } from 'node:fs/promises';
import type { RlimitInfo } from '../../../shared/types/system-info.ts';

const resourceByLabel: Record<string, string> = {
  'Max cpu time': 'RLIMIT_CPU',
  'Max file size': 'RLIMIT_FSIZE',
  'Max data size': 'RLIMIT_DATA',
  'Max stack size': 'RLIMIT_STACK',
  'Max core file size': 'RLIMIT_CORE',
  'Max resident set': 'RLIMIT_RSS',
  'Max processes': 'RLIMIT_NPROC',
  'Max open files': 'RLIMIT_NOFILE',
  'Max locked memory': 'RLIMIT_MEMLOCK',
  'Max address space': 'RLIMIT_AS',
  'Max file locks': 'RLIMIT_LOCKS',
  'Max pending signals': 'RLIMIT_SIGPENDING',
  'Max msgqueue size': 'RLIMIT_MSGQUEUE',
  'Max nice priority': 'RLIMIT_NICE',
  'Max realtime priority': 'RLIMIT_RTPRIO',
  'Max realtime timeout': 'RLIMIT_RTTIME',
};

export function parseProcLimits(text: string): RlimitInfo[] {
  const limits: RlimitInfo[] = [];
  for (const line of text.split('\n').slice(1)) {
    const match = /^(.+?)\s{2,}(\S+)\s+(\S+)\s*(\S*)\s*$/.exec(line);
    if (!match) continue;
    const [, label = '', soft = '', hard = '', units = ''] = match;
    const resource = resourceByLabel[label.trim()];
    if (!resource) continue;
    limits.push({ resource, label: label.trim(), soft: toLimit(soft), hard: toLimit(hard), units });
  }
  return limits;
}

function toLimit(value: string): number | null {
  return value === 'unlimited' ? null : Number(value);
}

export async function readRlimits(path = '/proc/self/limits'): Promise<RlimitInfo[]> {
  return parseProcLimits(await readFile(path, 'utf8'));
}
