import { describe, expect, it } from 'vitest';
import type { ContainerListItem, ContainerStateName } from '../../../shared/types/containers.ts';
import {
  actionAllowed,
  applicableItems,
  canAttach,
  createInput,
  emptyCreateForm,
  rowActions,
  splitCommand,
  summarizeAction,
} from '../../../renderer/src/containers/container-actions.ts';
import type { ContainerAction } from '../../../renderer/src/containers/container-actions.ts';

const states: ContainerStateName[] = ['configured', 'created', 'running', 'paused', 'stopping', 'exited', 'stopped', 'removing', 'unknown'];
const item = (name: string, state: ContainerStateName) => ({ id: name.padEnd(64, '0'), name, state }) as Pick<ContainerListItem, 'id' | 'name' | 'state'>;

describe('action availability by state', () => {
  it('follows libpod: start when not running, stop and kill while running or paused, pause and resume in turn', () => {
    const table = Object.fromEntries(states.map((s) => [s, (['start', 'stop', 'restart', 'pause', 'unpause', 'kill', 'remove'] as ContainerAction[]).filter((a) => actionAllowed(a, s))]));
    expect(table).toEqual({
      configured: ['start', 'restart', 'remove'],
      created: ['start', 'restart', 'remove'],
      running: ['stop', 'restart', 'pause', 'kill', 'remove'],
      paused: ['stop', 'unpause', 'kill', 'remove'],
      stopping: ['remove'],
      exited: ['start', 'restart', 'remove'],
      stopped: ['start', 'restart', 'remove'],
      removing: [],
      unknown: ['remove'],
    });
    expect(rowActions('running')).toEqual(['stop', 'restart', 'pause', 'kill']);
    expect(canAttach({ state: 'running' })).toBe(true);
    expect(canAttach({ state: 'paused' })).toBe(false);
  });

  it('acts on the part of a selection the action applies to', () => {
    const selection = [item('a', 'running'), item('b', 'exited'), item('c', 'paused'), item('d', 'configured')];
    expect(applicableItems('start', selection).map((c) => c.name)).toEqual(['b', 'd']);
    expect(applicableItems('stop', selection).map((c) => c.name)).toEqual(['a', 'c']);
    expect(applicableItems('pause', selection).map((c) => c.name)).toEqual(['a']);
    expect(applicableItems('unpause', selection).map((c) => c.name)).toEqual(['c']);
  });
});

describe('summarizeAction', () => {
  const names = (id: string) => id.slice(0, 1);
  it('counts successes and lists each failure with its own error', () => {
    const ok = summarizeAction('stop', [{ nameOrId: 'a', id: 'a1', error: null }, { nameOrId: 'b', id: 'b1', error: null }], names);
    expect(ok).toMatchObject({ title: 'Stopped 2 containers', tone: 'ok', doneIds: ['a1', 'b1'], failures: [] });
    const mixed = summarizeAction(
      'start',
      [
        { nameOrId: 'a', id: 'a1', error: null },
        { nameOrId: 'zz', id: null, error: { code: 'ErrNoSuchCtr', category: 'not-found', message: 'no container zz' } },
      ],
      names,
    );
    expect(mixed.title).toBe('Started 1 of 2 containers; 1 failed');
    expect(mixed.tone).toBe('warning');
    expect(mixed.failures).toEqual([expect.objectContaining({ key: 'zz', name: 'z', message: 'No container zz.', code: 'ErrNoSuchCtr' })]);
    const none = summarizeAction('unpause', [{ nameOrId: 'a', id: 'a1', error: { code: 'ErrCtrStateInvalid', category: 'failed-precondition', message: 'not paused' } }], names);
    expect(none).toMatchObject({ title: 'Could not resume the container', tone: 'danger' });
  });
});

describe('the Create dialog', () => {
  it('splits a command as a shell would', () => {
    expect(splitCommand(`sh -c 'for i in 1 2 3; do echo line-$i; done'`)).toEqual({ args: ['sh', '-c', 'for i in 1 2 3; do echo line-$i; done'] });
    expect(splitCommand(`echo "a \\"b\\"" c\\ d ''`)).toEqual({ args: ['echo', 'a "b"', 'c d', ''] });
    expect(splitCommand('  ')).toEqual({ args: [] });
    expect(splitCommand(`echo 'open`)).toEqual({ error: 'unterminated single quote' });
  });

  it('turns the form into containers.create input: -it together, env lines, optional fields left out', () => {
    expect(createInput({ ...emptyCreateForm, rootfs: ' /srv/busybox ', command: 'sh', env: 'A=1\n\n B=two words \n' })).toEqual({
      input: { rootfs: '/srv/busybox', command: ['sh'], env: ['A=1', 'B=two words'], terminal: true, stdin: true, start: true },
    });
    expect(createInput({ ...emptyCreateForm, rootfs: '/r', name: 'web', workdir: '/app', tty: false, start: false })).toEqual({
      input: { rootfs: '/r', name: 'web', command: ['/bin/sh'], workdir: '/app', terminal: false, stdin: false, start: false },
    });
  });

  it('asks for --userns=keep-id only when ticked', () => {
    const kept = createInput({ ...emptyCreateForm, rootfs: '/r', keepId: true });
    expect('input' in kept && kept.input.userns).toBe('keep-id');
    const plain = createInput({ ...emptyCreateForm, rootfs: '/r' });
    expect('input' in plain && 'userns' in plain.input).toBe(false);
  });

  it('passes the network picked and the published ports on, and refuses ports without a bridge network', () => {
    expect(createInput({ ...emptyCreateForm, rootfs: '/r', network: 'backend', ports: '8080:80, 127.0.0.1::53/udp\n9000-9001:9000-9001' })).toEqual({
      input: { rootfs: '/r', command: ['/bin/sh'], terminal: true, stdin: true, start: true, network: 'backend', publish: ['8080:80', '127.0.0.1::53/udp', '9000-9001:9000-9001'] },
    });
    const noNet = createInput({ ...emptyCreateForm, rootfs: '/r', network: 'none', ports: '80' });
    expect('errors' in noNet && noNet.errors.ports).toBe('Ports cannot be published with network none: choose a bridge network');
    const bad = createInput({ ...emptyCreateForm, rootfs: '/r', ports: '80:http' });
    expect('errors' in bad && bad.errors.ports).toBe('“80:http” is not [ip:][hostPort:]containerPort[/protocol]');
  });

  it('names each bad field', () => {
    const result = createInput({ ...emptyCreateForm, rootfs: 'relative', name: '-bad', command: '', env: 'NOEQUALS', workdir: 'app' });
    expect('errors' in result && Object.keys(result.errors).sort()).toEqual(['command', 'env', 'name', 'rootfs', 'workdir']);
    const missing = createInput(emptyCreateForm);
    expect('errors' in missing && missing.errors.rootfs).toBe('Enter the directory holding the root filesystem');
  });
});

describe('rows follow the lifecycle events', () => {
  it('fetches a container’s row again on start, died, stop, pause, unpause, kill and restart', async () => {
    const { containerEventEffect } = await import('../../../renderer/src/containers/container-list-model.ts');
    const { emptyList } = await import('../../../renderer/src/containers/live-list-model.ts');
    for (const action of ['start', 'died', 'stop', 'pause', 'unpause', 'kill', 'restart', 'exec', 'attach']) {
      expect(containerEventEffect({ type: 'container', action, id: 'c1' }, emptyList())).toEqual({ remove: [], refresh: ['c1'] });
    }
    expect(containerEventEffect({ type: 'container', action: 'remove', id: 'c1' }, emptyList())).toEqual({ remove: ['c1'], refresh: [] });
  });
});
