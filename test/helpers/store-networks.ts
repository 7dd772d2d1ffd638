// A test store that ran containers on bridge networks leaves host state its directory does not hold:
// namespace mounts under its run root (the netns directory is a bind mount of itself, as /run/netns
// is), a bridge kept up for the next container and that bridge's iptables chains. Before the
// directory is deleted, releaseStoreNetworks takes them down through the product itself — the built
// CLI's `network prune -f`, which also sweeps idle bridges — then unmounts whatever is still mounted
// under the directory, so deleting it cannot fail with EBUSY. A store that never mounted anything
// costs one read of the mount table.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliPath = fileURLToPath(new URL('../../dist/cli/podbay.js', import.meta.url));

/** Mount points strictly under `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  let table: string;
  try {
    table = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const prefix = `${dir.replace(/\/+$/, '')}/`;
  const points = table
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point.startsWith(prefix));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** The graph roots under `dir` that have networks, each with the run root beside it (`<dir>/run`). */
function storesWithNetworks(dir: string): { graphRoot: string; runRoot: string }[] {
  const runRoot = join(dir, 'run');
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.map((e) => join(dir, e)).filter((graphRoot) => existsSync(join(graphRoot, 'networks', 'ipam.db'))).map((graphRoot) => ({ graphRoot, runRoot }));
}

export function releaseStoreNetworks(dir: string): void {
  if (mountsUnder(dir).length === 0) return;
  if (existsSync(cliPath)) {
    for (const { graphRoot, runRoot } of storesWithNetworks(dir)) {
      spawnSync(process.execPath, [cliPath, '--root', graphRoot, '--runroot', runRoot, 'network', 'prune', '-f'], { stdio: 'ignore', timeout: 60_000 });
    }
  }
  for (const point of mountsUnder(dir)) spawnSync('umount', ['--lazy', point], { stdio: 'ignore', timeout: 10_000 });
}
