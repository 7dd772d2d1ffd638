import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCode } from '../../../shared/errors.ts';
import { newContainerDraft } from '../../../main/core/container-config.ts';
import type { ContainerConfigDraft } from '../../../main/core/container-config.ts';
import {
  absoluteVolumeFlag,
  cleanDestination,
  cleanSubPath,
  completeStorage,
  parseHumanSize,
  parseLogOptions,
  parseMountFlag,
  parseRestartPolicy,
  parseTmpfsFlag,
  parseVolumeFlag,
  processMountOptions,
  storageOptions,
  withNamedVolumes,
  withRestartPolicy,
} from '../../../main/core/container-mounts.ts';
import { thrownCode } from '../../helpers/error-codes.ts';

const host = mkdtempSync(join(tmpdir(), 'podbay-mounts-'));
afterAll(() => rmSync(host, { recursive: true, force: true }));

const target = (draft: ContainerConfigDraft = newContainerDraft({ process: { args: ['sh'] } })) => ({ finalized: false, draft });

describe('parseVolumeFlag (podman -v)', () => {
  it('reads a host path as a bind mount with podman’s default options', () => {
    expect(parseVolumeFlag(`${host}:/data`)).toEqual({ kind: 'mount', mount: { type: 'bind', source: host, destination: '/data', options: ['rw', 'rprivate', 'rbind'] } });
    expect(parseVolumeFlag(`${host}/:/data/:ro,Z`)).toEqual({ kind: 'mount', mount: { type: 'bind', source: host, destination: '/data', options: ['ro', 'Z', 'rprivate', 'rbind'] } });
  });

  it('resolves a relative host path against the given directory, and refuses one without it', () => {
    expect(parseVolumeFlag(`./${basename(host)}:/data`, join(host, '..'))).toMatchObject({ kind: 'mount', mount: { source: host } });
    expect(absoluteVolumeFlag('./sub:/d:ro', '/work')).toBe('/work/sub:/d:ro');
    expect(absoluteVolumeFlag('name:/d', '/work')).toBe('name:/d');
    expect(thrownCode(() => parseVolumeFlag('./x:/data'))).toBe('ErrInvalidArg');
  });

  it('reads a name as a named volume and a lone destination as an anonymous one', () => {
    expect(parseVolumeFlag('cache:/var/cache:nocopy')).toEqual({ kind: 'volume', volume: { name: 'cache', destination: '/var/cache', options: ['nocopy', 'rw', 'rprivate', 'rbind'] } });
    expect(parseVolumeFlag('/scratch')).toEqual({ kind: 'volume', volume: { destination: '/scratch', options: ['rw', 'rprivate', 'rbind'], anonymous: true } });
  });

  it('refuses a missing host path with podman’s words, bad names, relative destinations and too many colons', () => {
    let error: unknown;
    try {
      parseVolumeFlag('/no/such/dir:/data');
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe('statfs /no/such/dir: no such file or directory');
    expect(thrownCode(() => parseVolumeFlag('bad/name:/data'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => parseVolumeFlag('vol:data'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => parseVolumeFlag('a:/b:ro:x'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => parseVolumeFlag(':/b'))).toBe('ErrInvalidArg');
  });
});

describe('cleanDestination', () => {
  it('cleans dots and trailing slashes, and refuses the root and relative paths', () => {
    expect(cleanDestination('/a/./b/../c/')).toBe('/a/c');
    expect(thrownCode(() => cleanDestination('/a/..'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => cleanDestination('/'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => cleanDestination('a'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => cleanDestination('/a\0b'))).toBe('ErrInvalidArg');
  });

  it('keeps a volume subpath inside the volume', () => {
    expect(cleanSubPath('/a/b/')).toBe('a/b');
    expect(thrownCode(() => cleanSubPath('../x'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => cleanSubPath('a/../../x'))).toBe('ErrInvalidArg');
  });
});

describe('processMountOptions (podman ProcessOptions)', () => {
  it('adds rw, rprivate and rbind or tmpcopyup, and is idempotent', () => {
    expect(processMountOptions([], 'bind')).toEqual(['rw', 'rprivate', 'rbind']);
    expect(processMountOptions([], 'tmpfs')).toEqual(['rw', 'rprivate', 'tmpcopyup']);
    expect(processMountOptions(processMountOptions(['ro', 'rshared'], 'bind'), 'bind')).toEqual(['ro', 'rshared', 'rbind']);
  });

  it('refuses contradictions, options of other kinds and unknown words', () => {
    expect(thrownCode(() => processMountOptions(['ro', 'rw'], 'bind'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => processMountOptions(['shared', 'private'], 'bind'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => processMountOptions(['size=1m'], 'bind'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => processMountOptions(['bind'], 'tmpfs'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => processMountOptions(['nocopy'], 'bind'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => processMountOptions(['size=lots'], 'tmpfs'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => processMountOptions(['mode=999'], 'tmpfs'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => processMountOptions(['frobnicate'], 'bind'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => processMountOptions(['O'], 'bind'))).toBe('ErrNotImplemented');
  });
});

describe('parseTmpfsFlag and parseMountFlag', () => {
  it('--tmpfs gives podman’s defaults without options and the user’s with', () => {
    expect(parseTmpfsFlag('/run/x')).toEqual({ kind: 'mount', mount: { type: 'tmpfs', destination: '/run/x', options: ['rw', 'noexec', 'nosuid', 'nodev', 'rprivate', 'tmpcopyup'] } });
    expect(parseTmpfsFlag('/t:size=64m,mode=1777')).toEqual({ kind: 'mount', mount: { type: 'tmpfs', destination: '/t', options: ['size=64m', 'mode=1777', 'rw', 'rprivate', 'tmpcopyup'] } });
  });

  it('--mount splits its fields, with podman’s aliases', () => {
    expect(parseMountFlag(`type=bind,src=${host},target=/h,readonly,bind-propagation=rslave`)).toEqual({ type: 'bind', source: host, destination: '/h', readOnly: true, options: ['rslave'] });
    expect(parseMountFlag('type=volume,source=v,dst=/v,volume-nocopy,subpath=a/b')).toEqual({ type: 'volume', source: 'v', destination: '/v', options: ['nocopy'], subPath: 'a/b' });
    expect(parseMountFlag('type=tmpfs,destination=/t,tmpfs-size=1m,tmpfs-mode=700')).toEqual({ type: 'tmpfs', destination: '/t', options: ['size=1m', 'mode=700'] });
    expect(thrownCode(() => parseMountFlag('src=/x,dst=/y'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => parseMountFlag('type=nfs,dst=/y'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => parseMountFlag('type=bind,src=/x'))).toBe('ErrInvalidArg');
  });
});

describe('storageOptions and completeStorage', () => {
  it('refuses two mounts on one destination, wherever they come from', () => {
    const t = target();
    expect(thrownCode(() => storageOptions({ command: [], volumes: ['a:/data'], tmpfs: ['/data'] }).forEach((o) => o(t)))).toBe('ErrInvalidArg');
  });

  it('gives each image VOLUME an anonymous volume unless a mount covers it', () => {
    const draft = newContainerDraft({ process: { args: ['sh'] } });
    withNamedVolumes([{ name: 'mine', destination: '/var/lib/db', options: [] }])(target(draft));
    draft.imageVolumes = ['/var/lib/db', '/cache', '/'];
    completeStorage(draft);
    expect(draft.namedVolumes?.map((v) => [v.destination, v.anonymous ?? false, v.options])).toEqual([
      ['/var/lib/db', false, ['rw', 'rprivate', 'rbind']],
      ['/cache', true, ['rprivate', 'rw', 'nodev', 'exec']],
    ]);
    expect(draft.namedVolumes?.[1]?.name).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses --rm with a restart policy, as podman does', () => {
    const draft = newContainerDraft({ process: { args: ['sh'] } });
    draft.autoRemove = true;
    withRestartPolicy('always')(target(draft));
    expect(thrownCode(() => completeStorage(draft))).toBe('ErrInvalidArg');
  });
});

describe('restart and log options', () => {
  it('parses podman --restart', () => {
    expect(parseRestartPolicy('no')).toEqual({ policy: 'no' });
    expect(parseRestartPolicy('')).toEqual({ policy: 'no' });
    expect(parseRestartPolicy('on-failure:3')).toEqual({ policy: 'on-failure', retries: 3 });
    expect(parseRestartPolicy('unless-stopped')).toEqual({ policy: 'unless-stopped' });
    expect(thrownCode(() => parseRestartPolicy('always:3'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => parseRestartPolicy('on-failure:-1'))).toBe('ErrInvalidArg');
    expect(thrownCode(() => parseRestartPolicy('sometimes'))).toBe('ErrInvalidArg');
  });

  it('parses --log-opt max-size in go-units’ decimal units', () => {
    expect(parseHumanSize('10m')).toBe(10_000_000);
    expect(parseHumanSize('1.5kb')).toBe(1500);
    expect(parseHumanSize('4096')).toBe(4096);
    expect(parseLogOptions(['max-size=2MB'])).toEqual({ logSizeMax: 2_000_000 });
    expect(thrownCode(() => parseLogOptions(['max-size=big']))).toBe('ErrInvalidArg');
    expect(thrownCode(() => parseLogOptions(['max-file=3']))).toBe('ErrNotImplemented');
    expect(thrownCode(() => parseLogOptions(['colour=blue']))).toBe('ErrInvalidArg');
  });

  it('errors carry libpod’s codes', () => {
    let error: unknown;
    try {
      withRestartPolicy('on-failure', -2)(target());
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
  });
});
