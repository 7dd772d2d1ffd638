import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasCode } from '../../../../shared/errors.ts';
import { defaultAuthFilePaths, lookupAuth, normalizeAuthKey, parseChallenges } from '../../../../main/core/image/auth.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('parseChallenges', () => {
  it('reads a bearer challenge with quoted parameters', () => {
    expect(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } },
    ]);
  });

  it('reads basic and insufficient_scope challenges', () => {
    expect(parseChallenges('Basic realm="podbay-test"')).toEqual([{ scheme: 'basic', params: { realm: 'podbay-test' } }]);
    expect(parseChallenges('Bearer realm="r",error="insufficient_scope",scope="a b"')[0]!.params.error).toBe('insufficient_scope');
  });

  it('never throws on arbitrary headers', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (h) => void parseChallenges(h)), { numRuns: 2000 });
  });
});

describe('auth.json lookup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-auth-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers the most specific key, folds Docker Hub names, and reads later files as fallbacks', () => {
    const first = join(dir, 'auth.json');
    const docker = join(dir, 'config.json');
    writeFileSync(first, JSON.stringify({ auths: { 'quay.io': { auth: b64('host:1') }, 'quay.io/team': { auth: b64('team:2') } } }));
    writeFileSync(docker, JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: b64('hub:3') } } }));
    expect(lookupAuth('quay.io', 'team/app', [first, docker])?.credentials).toEqual({ username: 'team', password: '2' });
    expect(lookupAuth('quay.io', 'other/app', [first, docker])?.credentials).toEqual({ username: 'host', password: '1' });
    expect(lookupAuth('docker.io', 'library/busybox', [first, docker])?.credentials).toEqual({ username: 'hub', password: '3' });
    expect(lookupAuth('ghcr.io', 'x', [first, docker])).toBeUndefined();
    expect(lookupAuth('ghcr.io', 'x', [join(dir, 'missing.json')])).toBeUndefined();
  });

  it('refuses a malformed file or auth field with ErrInvalidArg', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{not json');
    let caught: unknown;
    try {
      lookupAuth('quay.io', '', [bad]);
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
    writeFileSync(bad, JSON.stringify({ auths: { 'quay.io': { auth: b64('no-colon') } } }));
    caught = undefined;
    try {
      lookupAuth('quay.io', '', [bad]);
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'ErrInvalidArg')).toBe(true);
  });

  it('orders files as containers-auth.json(5) and lets REGISTRY_AUTH_FILE override', () => {
    expect(defaultAuthFilePaths({ HOME: '/h', XDG_RUNTIME_DIR: '/run/user/1' }, 1)).toEqual([
      '/run/user/1/containers/auth.json',
      '/h/.config/containers/auth.json',
      '/h/.docker/config.json',
    ]);
    expect(defaultAuthFilePaths({ HOME: '/h' }, 0)[0]).toBe('/run/containers/0/auth.json');
    expect(defaultAuthFilePaths({ REGISTRY_AUTH_FILE: '/x.json' })).toEqual(['/x.json']);
    expect(normalizeAuthKey('registry-1.docker.io')).toBe('docker.io');
    expect(normalizeAuthKey('https://quay.io/v1/')).toBe('quay.io');
  });
});
