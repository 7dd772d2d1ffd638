// IPAM across processes: several Node processes allocate on one network at the same moment and
// never get the same address (BEGIN IMMEDIATE on <graphRoot>/networks/ipam.db serialises them).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ipam } from '../../../../main/core/network/ipam.ts';
import type { NetworkConfig } from '../../../../main/core/network/network-config.ts';
import { NetworkDb } from '../../../../main/core/network/network-db.ts';
import { repoRoot } from '../../../helpers/cli.ts';

const network: NetworkConfig = {
  name: 'crowded',
  id: 'd'.repeat(64),
  driver: 'bridge',
  network_interface: 'podbay9',
  created: '2026-01-01T00:00:00.000Z',
  subnets: [{ subnet: '10.89.200.0/24', gateway: '10.89.200.1' }],
  ipv6_enabled: false,
  internal: false,
  dns_enabled: false,
  ipam_options: { driver: 'host-local' },
};

function run(worker: string, args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout) as string[]) : reject(new Error(`worker exited ${code}: ${stderr}`))));
  });
}

describe('Ipam across processes', () => {
  let dir: string;
  let worker: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-ipam-procs-'));
    // Bundled next to node_modules so the worker resolves better-sqlite3 as the app does.
    const cache = join(repoRoot, 'node_modules', '.cache', 'podbay-tests');
    mkdirSync(cache, { recursive: true });
    worker = join(cache, 'network-ipam-worker.mjs');
    await build({
      entryPoints: [join(repoRoot, 'test', 'helpers', 'network-ipam-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: worker,
      external: ['better-sqlite3'],
      logLevel: 'silent',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives 6 processes × 40 containers 240 distinct addresses, none the gateway', async () => {
    const dbPath = join(dir, 'ipam.db');
    NetworkDb.open(dbPath).close();
    const startAt = String(Date.now() + 1_500);
    const jobs = Array.from({ length: 6 }, (_, p) =>
      run(worker, [dbPath, JSON.stringify(network), startAt, ...Array.from({ length: 40 }, (_, i) => `${p}-${i}`.padStart(64, '0'))]),
    );
    const addresses = (await Promise.all(jobs)).flat();
    expect(addresses).toHaveLength(240);
    expect(new Set(addresses).size).toBe(240);
    expect(addresses).not.toContain('10.89.200.1');
    const db = NetworkDb.open(dbPath);
    try {
      expect(new Ipam(db).allocationsIn('crowded').map((a) => a.address).sort()).toEqual([...addresses].sort());
    } finally {
      db.close();
    }
  });
});
