// The container and pod CLI commands (podman syntax) over a real store, driven through the CLI's own
// dispatcher in-process, asserting what a user sees on stdout/stderr and what lands in the store.
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/run-cli.ts';
import { hasCode } from '../../../shared/errors.ts';
import { openRuntime, tempStore } from '../../helpers/core-store.ts';
import type { TempStore } from '../../helpers/core-store.ts';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  error: unknown;
}

describe('container and pod commands', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  async function cli(...argv: string[]): Promise<Result> {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), isTTY: false };
    try {
      const code = await runCli(['--root', store.graphRoot, '--runroot', store.runRoot, ...argv], io, new AbortController().signal);
      return { code, stdout, stderr, error: null };
    } catch (error) {
      return { code: 125, stdout, stderr, error };
    }
  }

  it('creates from a rootfs, lists as podman does, inspects, renames and removes', async () => {
    const created = await cli('create', '--name', 'web', '--label', 'app=shop', '--rootfs', store.rootfs, '--', 'sleep', '100');
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(`${store.graphRoot}/podbay.db`)).toBe(true);

    expect((await cli('ps')).stdout).toBe('CONTAINER ID  IMAGE       COMMAND     CREATED     STATUS      PORTS       NAMES\n');
    const table = (await cli('ps', '-a')).stdout.split('\n');
    expect(table[0]).toMatch(/^CONTAINER ID {2}IMAGE {7}COMMAND {5}CREATED +STATUS +PORTS +NAMES$/);
    expect(table[1]).toMatch(new RegExp(`^${id.slice(0, 12)} {14}sleep 100 {3}.* ago {2}Created {2}.* web$`));
    expect((await cli('ps', '-a', '-q')).stdout).toBe(`${id.slice(0, 12)}\n`);
    expect((await cli('ps', '-a', '-q', '--no-trunc')).stdout).toBe(`${id}\n`);

    const json = JSON.parse((await cli('ps', '-a', '--format', 'json')).stdout) as Record<string, unknown>[];
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ Id: id, Names: ['web'], Command: ['sleep', '100'], State: 'created', Status: 'Created', Labels: { app: 'shop' }, Rootfs: store.rootfs });

    const inspect = JSON.parse((await cli('container', 'inspect', 'web')).stdout) as Record<string, unknown>[];
    expect(inspect[0]).toMatchObject({ Id: id, Name: 'web', Path: 'sleep', Args: ['100'], State: { Status: 'created', Running: false }, Config: { Labels: { app: 'shop' }, StopSignal: 15 } });

    expect(await cli('rename', 'web', 'shop')).toMatchObject({ code: 0, stdout: '' });
    expect((await cli('ps', '-a', '--filter', 'name=^shop$', '-q')).stdout).toBe(`${id.slice(0, 12)}\n`);

    expect(await cli('rm', 'shop')).toMatchObject({ code: 0, stdout: 'shop\n' });
    const runtime = openRuntime(store);
    expect(runtime.containers()).toEqual([]);
    runtime.shutdown(false);
  });

  it('reports bad input with typed errors and podman exit codes', async () => {
    expect(hasCode((await cli('create', '--name', 'bad name', '--rootfs', store.rootfs, 'sh')).error, 'ErrInvalidArg')).toBe(true);
    // --pull never: the test must not reach a registry (alpine's alias points off the machine).
    expect(hasCode((await cli('create', '--pull', 'never', 'alpine', 'sh')).error, 'ErrNoSuchImage')).toBe(true);
    await cli('create', '--name', 'dup', '--rootfs', store.rootfs, 'sh');
    expect(hasCode((await cli('create', '--name', 'dup', '--rootfs', store.rootfs, 'sh')).error, 'ErrCtrExists')).toBe(true);
    expect(hasCode((await cli('ps', '--filter', 'colour=red')).error, 'ErrInvalidArg')).toBe(true);
    expect(hasCode((await cli('ps', '--format', 'yaml')).error, 'ErrInvalidArg')).toBe(true);
    expect(hasCode((await cli('rename', 'dup', 'no/slash')).error, 'ErrInvalidArg')).toBe(true);

    const rm = await cli('rm', 'nosuch', 'dup');
    expect(rm.code).toBe(1);
    expect(rm.stdout).toBe('dup\n');
    expect(rm.stderr).toContain('Error: no container with name or ID "nosuch" found');

    const inspect = await cli('container', 'inspect', 'nosuch');
    expect(inspect.code).toBe(125);
    expect(inspect.stdout).toBe('[]\n');
  });

  it('creates pods, puts containers in them, lists, inspects and removes them whole', async () => {
    const podId = (await cli('pod', 'create', '--name', 'shop', '--label', 'tier=front')).stdout.trim();
    expect(podId).toMatch(/^[0-9a-f]{64}$/);
    await cli('create', '--name', 'm1', '--pod', 'shop', '--rootfs', store.rootfs, 'sh');
    await cli('create', '--name', 'm2', '--pod', podId.slice(0, 10), '--rootfs', store.rootfs, 'sh');
    const table = (await cli('pod', 'ps')).stdout.split('\n');
    expect(table[0]).toMatch(/^POD ID {8}NAME {8}STATUS {6}CREATED +INFRA ID +# OF CONTAINERS$/);
    // The infra container (podman's `pod create` default) counts as a container, as podman counts it.
    expect(table[1]).toMatch(new RegExp(`^${podId.slice(0, 12)} {2}shop {8}Created {5}.* ago {2}[0-9a-f]{12}\\s+3$`));
    const json = JSON.parse((await cli('pod', 'ps', '--format', 'json', '--filter', 'label=tier=front')).stdout) as { Name: string; Containers: { Names: string }[] }[];
    expect(json.map((p) => p.Name)).toEqual(['shop']);
    expect(json[0]?.Containers.map((c) => c.Names)).toEqual([`${podId.slice(0, 12)}-infra`, 'm1', 'm2']);
    expect((await cli('ps', '-a', '--filter', 'pod=shop', '--format', 'json')).stdout).toContain('"PodName": "shop"');
    const inspect = JSON.parse((await cli('pod', 'inspect', 'shop')).stdout) as { Id: string; Labels: Record<string, string> }[];
    expect(inspect[0]).toMatchObject({ Id: podId, Labels: { tier: 'front' } });

    expect(await cli('pod', 'rm', 'shop')).toMatchObject({ code: 0, stdout: `${podId}\n` });
    expect((await cli('ps', '-a', '-q')).stdout).toBe('');
    expect((await cli('pod', 'rm', 'shop')).code).toBe(1);
  });

  it('removes every container with rm -a', async () => {
    for (let i = 0; i < 5; i++) await cli('create', '--rootfs', store.rootfs, 'sh');
    const rm = await cli('rm', '-a');
    expect(rm.code).toBe(0);
    expect(rm.stdout.trim().split('\n')).toHaveLength(5);
    expect((await cli('ps', '-a', '-q')).stdout).toBe('');
  });

  it('prints recorded events as podman does, filtered, as text or JSON lines', async () => {
    await cli('pod', 'create', '--infra=false', '--name', 'evpod');
    const id = (await cli('create', '--name', 'evctr', '--rootfs', store.rootfs, 'sh')).stdout.trim();
    await cli('rm', 'evctr');
    const text = (await cli('events', '--stream=false', '--filter', 'type=container')).stdout.trim().split('\n');
    expect(text).toHaveLength(2);
    expect(text[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? \\+0000 UTC container create ${id} \\(image=${store.rootfs}, name=evctr\\)$`));
    expect(text[1]).toContain(`container remove ${id}`);
    const lines = (await cli('events', '--since', '1h', '--until', '2999-01-01T00:00:00Z', '--format', 'json', '--filter', 'event=create')).stdout.trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { Type: string; Name: string }).Name)).toEqual(['evpod', 'evctr']);
    expect((await cli('events', '--since', '2999-01-01T00:00:00Z', '--stream=false')).stdout).toBe('');
    expect(hasCode((await cli('events', '--since', 'yesterday-ish', '--stream=false')).error, 'ErrInvalidArg')).toBe(true);
    expect(hasCode((await cli('events', '--filter', 'colour=red', '--stream=false')).error, 'ErrInvalidArg')).toBe(true);
  });
});
