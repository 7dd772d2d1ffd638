// Load and concurrency: two streams of `podbay` CLI processes and the web host, all at once on one
// store, doing mixed operations (create, start, stop, rm, pod create/start/stop/rm, tag, rmi) — real
// containers under conmon + crun, on overlay mounts. Each actor keeps the model of what its successful
// operations did; afterwards the store must match every model exactly (ids included), hold no name
// twice, have lost nothing, and — once everything is removed — hold no mount, netns, lock or conmon.
// 60 operations in `npm test`, 500 under `npm run test:soak`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerListItem } from '../../../shared/types/containers.ts';
import { openSqliteState } from '../../../main/core/state/sqlite-state.ts';
import { cliPath } from '../../helpers/cli.ts';
import { exitCommandsRunning } from '../../helpers/core-store.ts';
import { startServedHost } from '../../helpers/e2e-host.ts';
import type { ServedHost } from '../../helpers/e2e-host.ts';
import { busyboxLayer, busyboxMissing, buildImage, installImage } from '../../helpers/image-builder.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';
import { recordSoak, scale } from '../../helpers/soak.ts';
import { connectWebHost } from '../../helpers/web-host-client.ts';
import type { WebHostClient } from '../../helpers/web-host-client.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? busyboxMissing() ?? null;
const image = 'localhost/busybox:latest';

type Op =
  | { kind: 'create'; name: string; pod?: string }
  | { kind: 'start' | 'stop' | 'rm'; name: string }
  | { kind: 'pod-create' | 'pod-start' | 'pod-stop' | 'pod-rm'; pod: string }
  | { kind: 'tag' | 'rmi'; tag: string };

interface Outcome {
  ok: boolean;
  /** The id a create printed or returned. */
  id?: string;
  detail: string;
  stdout?: string;
}

/** What an actor's successful operations made of its own names. */
interface Model {
  containers: Map<string, { id: string; running: boolean; pod?: string }>;
  pods: Set<string>;
  tags: Set<string>;
}

/** A small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function cliArgs(op: Op): string[] {
  switch (op.kind) {
    case 'create':
      return ['create', '--network', 'none', '--stop-timeout', '0', '--name', op.name, ...(op.pod ? ['--pod', op.pod] : []), image, 'sleep', '1000'];
    case 'start':
      return ['start', op.name];
    case 'stop':
      return ['stop', '-t', '0', op.name];
    case 'rm':
      return ['rm', '-f', '-t', '0', op.name];
    case 'pod-create':
      return ['pod', 'create', '--name', op.pod];
    case 'pod-start':
      return ['pod', 'start', op.pod];
    case 'pod-stop':
      return ['pod', 'stop', '-t', '0', op.pod];
    case 'pod-rm':
      return ['pod', 'rm', '-f', op.pod];
    case 'tag':
      return ['tag', image, op.tag];
    case 'rmi':
      return ['rmi', op.tag];
  }
}

function runCli(storeArgs: readonly string[], args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...storeArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => resolve({ ok: code === 0, id: /^[0-9a-f]{64}$/m.exec(out)?.[0], detail: `exit ${code}: ${err.trim().slice(0, 300)}`, stdout: out }));
  });
}

async function runWeb(client: WebHostClient, op: Op): Promise<Outcome> {
  const call = async (path: string, input: unknown): Promise<Outcome> => {
    const outcome = await client.call(path, input);
    if (!outcome.ok) return { ok: false, detail: `${outcome.error.code}: ${outcome.error.message}` };
    const reports = Array.isArray(outcome.value) ? (outcome.value as { error?: { code: string; message: string } | null }[]) : [];
    const failed = reports.find((r) => r?.error);
    if (failed?.error) return { ok: false, detail: `${failed.error.code}: ${failed.error.message}` };
    return { ok: true, id: (outcome.value as { id?: string })?.id, detail: 'ok' };
  };
  switch (op.kind) {
    case 'create':
      return call('containers.create', { image, name: op.name, command: ['sleep', '1000'], network: 'none', stopTimeout: 0, pull: 'never', ...(op.pod ? { pod: op.pod } : {}) });
    case 'start':
      return call('containers.start', { nameOrIds: [op.name] });
    case 'stop':
      return call('containers.stop', { nameOrIds: [op.name], timeout: 0 });
    case 'rm':
      return call('containers.remove', { nameOrIds: [op.name], force: true });
    case 'pod-start':
      return call('pods.start', { nameOrIds: [op.pod] });
    case 'pod-stop':
      return call('pods.stop', { nameOrIds: [op.pod], timeout: 0 });
    case 'pod-rm':
      return call('pods.remove', { nameOrIds: [op.pod], force: true });
    case 'tag':
      return call('images.tag', { nameOrId: image, names: [op.tag] });
    case 'rmi':
      return call('images.remove', { nameOrIds: [op.tag] });
    case 'pod-create':
      throw new Error('the contract has no pods.create: web pods are made up front');
  }
}

/** The next operation for an actor, chosen from what its model holds (and sometimes what it does not). */
function nextOp(actor: string, model: Model, rand: () => number, step: number, canCreatePods: boolean): Op {
  const pick = <T>(items: T[]): T | undefined => items[Math.floor(rand() * items.length)];
  const names = [...model.containers.keys()];
  const pods = [...model.pods];
  const r = rand();
  if (r < 0.08) return { kind: 'create', name: `shared-${Math.floor(step / 4)}` }; // contended across actors
  if (r < 0.3 || names.length === 0) return { kind: 'create', name: `${actor}-c${step}`, ...(pods.length && rand() < 0.3 ? { pod: pick(pods) } : {}) };
  if (r < 0.45) return { kind: 'start', name: pick(names) as string };
  if (r < 0.55) return { kind: 'stop', name: pick(names) as string };
  if (r < 0.66) return { kind: 'rm', name: rand() < 0.1 ? `${actor}-never-existed` : (pick(names) as string) };
  if (r < 0.72 && canCreatePods) return { kind: 'pod-create', pod: `${actor}-p${step}` };
  if (r < 0.78 && pods.length) return { kind: 'pod-start', pod: pick(pods) as string };
  if (r < 0.82 && pods.length) return { kind: 'pod-stop', pod: pick(pods) as string };
  if (r < 0.86 && pods.length) return { kind: 'pod-rm', pod: pick(pods) as string };
  if (r < 0.94 || model.tags.size === 0) return { kind: 'tag', tag: `localhost/${actor}-t${step}:1` };
  return { kind: 'rmi', tag: pick([...model.tags]) as string };
}

function apply(model: Model, op: Op, outcome: Outcome, shared: Map<string, string[]>): void {
  if (!outcome.ok) return;
  switch (op.kind) {
    case 'create':
      if (op.name.startsWith('shared-')) {
        shared.set(op.name, [...(shared.get(op.name) ?? []), outcome.id ?? '?']);
        return;
      }
      model.containers.set(op.name, { id: outcome.id ?? '?', running: false, ...(op.pod ? { pod: op.pod } : {}) });
      return;
    case 'start':
    case 'stop': {
      const ctr = model.containers.get(op.name);
      if (ctr) ctr.running = op.kind === 'start';
      return;
    }
    case 'rm':
      model.containers.delete(op.name);
      return;
    case 'pod-create':
      model.pods.add(op.pod);
      return;
    case 'pod-start':
    case 'pod-stop':
      for (const ctr of model.containers.values()) if (ctr.pod === op.pod) ctr.running = op.kind === 'pod-start';
      return;
    case 'pod-rm':
      model.pods.delete(op.pod);
      for (const [name, ctr] of model.containers) if (ctr.pod === op.pod) model.containers.delete(name);
      return;
    case 'tag':
      model.tags.add(op.tag);
      return;
    case 'rmi':
      model.tags.delete(op.tag);
  }
}

describe.skipIf(skip !== null)(`two CLI streams and the web host on one store${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let host: ServedHost;
  let client: WebHostClient;
  const total = scale(60, 500);

  beforeAll(async () => {
    host = await startServedHost();
    await installImage(host.root, buildImage([busyboxLayer()]), image);
    client = await connectWebHost(host.origin, host.token);
  }, 120_000);
  afterAll(async () => {
    client?.close();
    await host?.stop();
  });

  it(`does ${total} mixed operations at once and ends exactly as the successful ones say, leaking nothing`, async () => {
    const storeArgs = host.storeArgs;
    const shared = new Map<string, string[]>();
    const actors = ['a', 'b', 'w'].map((name, i) => ({ name, seed: 1000 + i, model: { containers: new Map(), pods: new Set<string>(), tags: new Set<string>() } as Model, done: 0, failed: 0 }));
    // The web actor's pods exist before the load (the contract creates pods only through the CLI).
    for (const pod of ['w-p0', 'w-p1']) {
      expect((await runCli(storeArgs, ['pod', 'create', '--name', pod])).ok).toBe(true);
      actors[2]!.model.pods.add(pod);
    }
    const perActor = Math.ceil(total / actors.length);
    await Promise.all(
      actors.map(async (actor) => {
        const rand = random(actor.seed);
        for (let step = 0; step < perActor; step++) {
          const op = nextOp(actor.name, actor.model, rand, step, actor.name !== 'w');
          const outcome = actor.name === 'w' ? await runWeb(client, op) : await runCli(storeArgs, cliArgs(op));
          apply(actor.model, op, outcome, shared);
          actor.done++;
          if (!outcome.ok) actor.failed++;
        }
      }),
    );

    // The store, read by a fresh process, against every model.
    const listed = await runCli(storeArgs, ['ps', '-a', '--format', 'json']);
    expect(listed.ok, listed.detail).toBe(true);
    const ps = JSON.parse(listed.stdout ?? '[]') as { Id: string; Names: string[]; State: string }[];
    const list = (await client.call('containers.list', { all: true })) as { ok: true; value: ContainerListItem[] };
    expect(list.ok).toBe(true);
    const names = ps.map((c) => c.Names[0] as string);
    expect(names.length, 'no name twice').toBe(new Set(names).size);
    expect(new Set(list.value.map((c) => c.id))).toEqual(new Set(ps.map((c) => c.Id)));
    const byName = new Map(ps.map((c) => [c.Names[0] as string, c]));
    for (const actor of actors) {
      const mine = names.filter((n) => n.startsWith(`${actor.name}-`) && !n.endsWith('-infra'));
      expect(new Set(mine), `${actor.name}'s containers`).toEqual(new Set(actor.model.containers.keys()));
      for (const [name, ctr] of actor.model.containers) {
        expect(byName.get(name)?.Id, `${name}'s id`).toBe(ctr.id);
        expect(byName.get(name)?.State === 'running', `${name} running`).toBe(ctr.running);
      }
    }
    for (const [name, ids] of shared) {
      expect(ids, `${name} created once`).toHaveLength(1);
      expect(byName.get(name)?.Id).toBe(ids[0]);
    }
    expect(names.filter((n) => n.startsWith('shared-')).sort()).toEqual([...shared.keys()].sort());
    const pods = await client.call('pods.list', {});
    expect(pods.ok).toBe(true);
    const podNames = (pods as { value: { name: string }[] }).value.map((p) => p.name);
    expect(new Set(podNames)).toEqual(new Set(actors.flatMap((a) => [...a.model.pods])));
    const images = await client.call('images.list', {});
    const tags = (images as { value: { repoTags: string[] }[] }).value.flatMap((i) => i.repoTags).filter((t) => t !== image);
    expect(new Set(tags)).toEqual(new Set(actors.flatMap((a) => [...a.model.tags])));

    // Everything removed: no mount, netns, lock or conmon of this store is left.
    expect((await runCli(storeArgs, ['pod', 'rm', '-f', ...podNames])).ok || podNames.length === 0).toBe(true);
    expect((await runCli(storeArgs, ['rm', '-f', '-a', '-t', '0'])).ok).toBe(true);
    for (let i = 0; i < 100 && exitCommandsRunning(join(host.root, '..')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(host.root))).toEqual([]);
    const netns = join(host.runRoot, 'netns');
    expect(existsSync(netns) ? readdirSync(netns) : []).toEqual([]);
    const state = openSqliteState(join(host.root, 'podbay.db'));
    try {
      expect(state.allLocks()).toEqual([]);
      expect(state.allContainers()).toEqual([]);
    } finally {
      state.close();
    }
    const conmons = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'conmon' && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(host.root);
      } catch {
        return false;
      }
    });
    expect(conmons).toEqual([]);
    const check = await runCli(storeArgs, ['system', 'check']);
    expect(check.ok, check.detail).toBe(true);

    const done = actors.reduce((n, a) => n + a.done, 0);
    recordSoak({ suite: 'load: 2 CLI streams + web host on one store', typedErrors: actors.reduce((n, a) => n + a.failed, 0), dataLost: 0, crashes: 0, notes: `${done} operations, ${actors.reduce((n, a) => n + a.failed, 0)} refused as they should be (contended names, gone targets)` });
  }, scale(300_000, 3_600_000));
});
