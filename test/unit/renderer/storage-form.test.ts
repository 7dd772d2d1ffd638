import { describe, expect, it } from 'vitest';
import { addMountRow, emptyStorageForm, removeMountRow, storageInput, updateMountRow } from '../../../renderer/src/containers/storage-form.ts';

describe('the Create dialog’s storage fields', () => {
  it('turns mount rows into containers.create mounts: a picked volume, an anonymous one, a host path, a tmpfs', () => {
    let form = addMountRow(addMountRow(addMountRow(addMountRow(emptyStorageForm, 'volume'), 'volume'), 'bind'), 'tmpfs');
    const [a, b, c, d] = form.mounts.map((m) => m.key) as [number, number, number, number];
    form = updateMountRow(form, a, { source: 'data', destination: '/data' });
    form = updateMountRow(form, b, { destination: '/scratch/' });
    form = updateMountRow(form, c, { source: '/srv/site', destination: '/usr/share/site', readOnly: true });
    form = updateMountRow(form, d, { destination: '/run/cache' });
    expect(storageInput({ ...form, readOnly: true, restart: 'on-failure', retries: '3' })).toEqual({
      input: {
        mounts: [
          { type: 'volume', source: 'data', destination: '/data' },
          { type: 'volume', destination: '/scratch/' },
          { type: 'bind', source: '/srv/site', destination: '/usr/share/site', readOnly: true },
          { type: 'tmpfs', destination: '/run/cache' },
        ],
        readOnly: true,
        restartPolicy: 'on-failure',
        restartRetries: 3,
      },
    });
    expect(storageInput(emptyStorageForm)).toEqual({ input: {} });
    expect(removeMountRow(form, a).mounts.map((m) => m.key)).toEqual([b, c, d]);
  });

  it('names each field that is wrong: relative paths, the root, duplicates, bad names and retries', () => {
    let form = addMountRow(addMountRow(addMountRow(emptyStorageForm, 'bind'), 'volume'), 'volume');
    const [a, b, c] = form.mounts.map((m) => m.key) as [number, number, number];
    form = updateMountRow(form, a, { source: 'relative', destination: 'data' });
    form = updateMountRow(form, b, { source: 'bad/name', destination: '/x' });
    form = updateMountRow(form, c, { source: 'ok', destination: '/x/./' });
    const result = storageInput({ ...form, restart: 'on-failure', retries: 'many' });
    expect(result).toEqual({
      errors: {
        [`mount-${a}-source`]: 'Use an absolute host path (starting with /)',
        [`mount-${a}-destination`]: 'Use an absolute path (starting with /)',
        [`mount-${b}-source`]: 'A volume name: letters, digits, _ . - (empty for an anonymous volume)',
        [`mount-${c}-destination`]: 'Another mount already uses this path',
        retries: 'A whole number of restarts (empty: no limit)',
      },
    });
    const root = updateMountRow(addMountRow(emptyStorageForm, 'tmpfs'), 1, { destination: '/..' });
    expect(storageInput(root)).toEqual({ errors: { 'mount-1-destination': 'A mount cannot replace the root' } });
  });
});
