import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { containerSpecAndOptions } from '../../../../main/core/container-create.ts';
import { keepIdGroupLine, keepIdMapping, keepIdPasswdLine, mappedIdsAboveZero, parseUsernsMode, refuseKeepIdRootful } from '../../../../main/core/rootless/keep-id.ts';
import { generateSpec } from '../../../../main/core/oci/spec-generator.ts';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('keepIdMapping', () => {
  it('puts the id on intermediate 0 and spreads the range around it, as podman', () => {
    expect(keepIdMapping(1001, 65536)).toEqual([
      { containerID: 0, hostID: 1, size: 1001 },
      { containerID: 1001, hostID: 0, size: 1 },
      { containerID: 1002, hostID: 1002, size: 64535 },
    ]);
  });

  it('maps root alone onto itself, and an id past the range only to itself', () => {
    expect(keepIdMapping(0, 65536)).toEqual([{ containerID: 0, hostID: 0, size: 1 }, { containerID: 1, hostID: 1, size: 65536 }]);
    expect(keepIdMapping(70000, 65536)).toEqual([{ containerID: 0, hostID: 1, size: 65536 }, { containerID: 70000, hostID: 0, size: 1 }]);
  });

  it('counts the ids a namespace maps above 0', () => {
    expect(mappedIdsAboveZero('         0       1001          1\n         1     100000      65536\n')).toBe(65536);
  });
});

describe('parseUsernsMode', () => {
  it('takes keep-id and host; other podman modes are not implemented, junk is invalid', () => {
    expect(parseUsernsMode('keep-id')).toBe('keep-id');
    expect(parseUsernsMode('host')).toBe('host');
    expect(parseUsernsMode('')).toBeNull();
    expect(hasCode(thrown(() => parseUsernsMode('auto')), 'ErrNotImplemented')).toBe(true);
    expect(hasCode(thrown(() => parseUsernsMode('keep-id:uid=5')), 'ErrNotImplemented')).toBe(true);
    expect(hasCode(thrown(() => parseUsernsMode('nonsense')), 'ErrInvalidArg')).toBe(true);
  });
});

describe('keep-id rootful', () => {
  // Rootful means running as root here; CI runs as root, so it runs there.
  const rootful = process.geteuid?.() === 0;
  it.skipIf(!rootful)(`is refused with ErrInvalidArg, also when building a container from options${rootful ? '' : ' (skipped: not running as root)'}`, () => {
    expect(hasCode(thrown(() => refuseKeepIdRootful()), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(thrown(() => containerSpecAndOptions({ image: 'busybox', command: ['true'], userns: 'keep-id' })), 'ErrInvalidArg')).toBe(true);
  });
});

describe('the spec with a user namespace', () => {
  it('lists a user namespace and carries both maps', () => {
    const uidMappings = keepIdMapping(1001, 65536);
    const gidMappings = keepIdMapping(1001, 65536);
    const spec = generateSpec({
      id: 'a'.repeat(64), rootfs: '/r', userdataDir: '/u', args: ['true'], env: [], cwd: '/', user: { uid: 1001, gid: 1001 },
      cgroupVersion: 'v2', hostRlimits: [], userNamespace: { uidMappings, gidMappings },
    });
    expect(spec.linux.namespaces).toContainEqual({ type: 'user' });
    expect(spec.linux.uidMappings).toEqual(uidMappings);
    expect(spec.linux.gidMappings).toEqual(gidMappings);
  });

  it('passwd and group lines name the user with a shell', () => {
    expect(keepIdPasswdLine('alice', 1001, 1002, '/home/alice')).toBe('alice:*:1001:1002:alice:/home/alice:/bin/sh\n');
    expect(keepIdGroupLine('alice', 1002)).toBe('alice:x:1002:\n');
  });
});
