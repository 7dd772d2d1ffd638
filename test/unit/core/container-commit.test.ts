// The committed image's config: the parent's, what libpod's Commit copies from the container, the
// changes, the new layer and a history entry.
import { describe, expect, it } from 'vitest';
import { commitConfig } from '../../../main/core/container-commit.ts';
import type { Digest } from '../../../main/core/image/digest.ts';

const d = (c: string) => `sha256:${c.repeat(64)}` as Digest;
const parent = {
  architecture: 'arm64',
  os: 'linux',
  created: '2024-01-01T00:00:00Z',
  config: { Cmd: ['/bin/sh'], StopSignal: 'SIGQUIT', ExposedPorts: { '80/tcp': {} } },
  rootfs: { type: 'layers' as const, diff_ids: [d('a')] },
  history: [{ created: '2024-01-01T00:00:00Z', created_by: 'base' }],
  container_config: { Cmd: ['old'] },
};

describe('commitConfig', () => {
  it('carries the container over, applies changes, appends the layer and history', () => {
    const container = {
      spec: { process: { args: ['/entry', 'serve'], env: ['PATH=/bin', 'container=podman'], cwd: '/srv', user: 'app' } },
      labels: { tier: 'web' },
      entrypoint: ['/entry'],
      command: ['serve'],
    };
    const config = commitConfig(parent, container, { diffId: d('b') }, { author: 'me', message: 'msg', changes: ['ENV MODE=prod', 'EXPOSE 8080'], format: 'docker' }, new Date('2025-02-03T04:05:06Z'));
    expect(config).toMatchObject({
      architecture: 'arm64',
      os: 'linux',
      created: '2025-02-03T04:05:06.000Z',
      author: 'me',
      comment: 'msg',
      rootfs: { type: 'layers', diff_ids: [d('a'), d('b')] },
      config: { Entrypoint: ['/entry'], Cmd: ['serve'], Env: ['PATH=/bin', 'container=podman', 'MODE=prod'], Labels: { tier: 'web' }, User: 'app', WorkingDir: '/srv', StopSignal: 'SIGQUIT', ExposedPorts: { '80/tcp': {}, '8080/tcp': {} } },
    });
    expect((config.history as unknown[]).at(-1)).toEqual({ created: '2025-02-03T04:05:06.000Z', created_by: '/entry serve', author: 'me', comment: 'msg' });
    expect(config).not.toHaveProperty('container_config');
  });

  it('falls back to the whole argv as the command for records without the split, and keeps OCI configs free of `comment`', () => {
    const config = commitConfig(parent, { spec: { process: { args: ['sleep', '1'] } }, labels: {} }, { diffId: d('c') }, { message: 'm', format: 'oci' }, new Date(0));
    expect(config.config).toMatchObject({ Entrypoint: null, Cmd: ['sleep', '1'], WorkingDir: '/' });
    expect(config).not.toHaveProperty('comment');
  });
});
