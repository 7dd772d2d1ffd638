import { describe, expect, it } from 'vitest';
import type { TypedClient } from '../../../shared/client.ts';
import { createPodPlan, emptyPodForm, newMember, runCreatePod } from '../../../renderer/src/pods/create-pod-form.ts';
import type { CreatePodForm, CreatePodPlan, CreatePodStep } from '../../../renderer/src/pods/create-pod-form.ts';

const form = (change: Partial<CreatePodForm>): CreatePodForm => ({ ...emptyPodForm, ...change });

describe('the Create pod form', () => {
  it('turns the form into pods.create and containers.create inputs', () => {
    const result = createPodPlan(
      form({
        name: 'shop',
        ports: '8080:80',
        labels: 'app=shop',
        share: { net: true, ipc: true, uts: false, pid: true, cgroup: false },
        members: [
          { ...newMember(1, 'localhost/busybox:latest'), name: 'web', command: "sh -c 'echo hi'", env: 'A=1\nB=2' },
          newMember(2, 'localhost/busybox:latest'),
        ],
      }),
    );
    expect(result).toEqual({
      plan: {
        pod: { name: 'shop', share: ['net', 'ipc', 'pid'], publish: ['8080:80'], labels: { app: 'shop' } },
        members: [
          { label: 'web', input: { image: 'localhost/busybox:latest', pull: 'never', command: ['sh', '-c', 'echo hi'], name: 'web', env: ['A=1', 'B=2'] } },
          { label: 'container 2 (localhost/busybox:latest)', input: { image: 'localhost/busybox:latest', pull: 'never', command: [] } },
        ],
        start: true,
      },
    });
  });

  it('reports each bad field, per container by its key', () => {
    const result = createPodPlan(
      form({
        name: '-bad',
        ports: '80:80',
        share: { net: false, ipc: true, uts: true, pid: false, cgroup: false },
        members: [{ ...newMember(7, ''), name: 'x', env: 'nope' }, { ...newMember(9, 'img'), name: 'x', command: "sh -c 'open" }],
      }),
    );
    expect('errors' in result && result.errors).toMatchObject({
      name: expect.any(String),
      ports: expect.stringContaining('tick Network'),
      members: { 7: { image: 'Choose an image', env: expect.stringContaining('nope') }, 9: { name: expect.stringContaining('has this name'), command: expect.any(String) } },
    });
  });
});

type Calls = { path: string; input: unknown }[];
function fakeClient(answers: Record<string, (input: unknown) => unknown>, calls: Calls): Pick<TypedClient, 'call'> {
  return {
    call: (async (path: string, input: unknown) => {
      calls.push({ path, input });
      const answer = answers[path];
      if (!answer) throw new Error(`unexpected ${path}`);
      return answer(input);
    }) as TypedClient['call'],
  };
}

const plan: CreatePodPlan = {
  pod: { name: 'duo', share: ['net'] },
  members: [
    { label: 'a', input: { image: 'img', pull: 'never', command: [], name: 'a' } },
    { label: 'b', input: { image: 'img', pull: 'never', command: [], name: 'b' } },
  ],
  start: true,
};

describe('runCreatePod', () => {
  it('makes the pod, each container in it, then starts it, reporting every step', async () => {
    const calls: Calls = [];
    const seen: CreatePodStep[][] = [];
    const client = fakeClient(
      {
        'pods.create': () => ({ id: 'p1', name: 'duo', infraContainerId: 'i1' }),
        'containers.create': (input) => ({ id: `c-${(input as { name: string }).name}`, name: (input as { name: string }).name }),
        'pods.start': () => [{ nameOrId: 'p1', id: 'p1', containerErrors: [], error: null }],
      },
      calls,
    );
    const outcome = await runCreatePod(client, plan, (s) => seen.push(s));
    expect(outcome).toMatchObject({ ok: true, podId: 'p1', podName: 'duo' });
    expect(calls.map((c) => c.path)).toEqual(['pods.create', 'containers.create', 'containers.create', 'pods.start']);
    expect(calls[1]?.input).toMatchObject({ name: 'a', pod: 'p1' });
    expect(outcome.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(seen[0]?.map((s) => s.state)).toEqual(['running', 'pending', 'pending', 'pending']);
  });

  it('removes the pod again when a container cannot be made, and skips the rest', async () => {
    const calls: Calls = [];
    const refused = { code: 'ErrNoSuchImage', category: 'not-found', message: 'no image img' };
    const client = fakeClient(
      {
        'pods.create': () => ({ id: 'p1', name: 'duo', infraContainerId: 'i1' }),
        'containers.create': () => {
          throw refused;
        },
        'pods.remove': () => [{ nameOrId: 'p1', id: 'p1', removedContainers: [], error: null }],
      },
      calls,
    );
    const outcome = await runCreatePod(client, plan, () => undefined);
    expect(outcome).toMatchObject({ ok: false, podId: null });
    expect(calls.map((c) => c.path)).toEqual(['pods.create', 'containers.create', 'pods.remove']);
    expect(calls[2]?.input).toEqual({ nameOrIds: ['p1'], force: true });
    expect(outcome.steps.map((s) => s.state)).toEqual(['done', 'failed', 'skipped', 'skipped']);
    expect(outcome.steps[1]?.error).toBe(refused);
    expect(outcome.steps[0]?.message).toContain('removed again');
  });

  it('keeps a pod whose start failed for a member, with the member named in the start step', async () => {
    const client = fakeClient(
      {
        'pods.create': () => ({ id: 'p1', name: 'duo', infraContainerId: 'i1' }),
        'containers.create': () => ({ id: 'c', name: 'c' }),
        'pods.start': () => [{ nameOrId: 'p1', id: 'p1', containerErrors: [{ id: 'c', name: 'b', error: { code: 'ErrOCIRuntime', category: 'internal', message: 'exec failed' } }], error: null }],
      },
      [],
    );
    const outcome = await runCreatePod(client, plan, () => undefined);
    expect(outcome).toMatchObject({ ok: false, podId: 'p1' });
    expect(outcome.steps.at(-1)).toMatchObject({ state: 'failed', error: { message: 'b: exec failed' } });
  });
});
