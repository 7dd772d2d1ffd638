// The volume half of the State (libpod AddVolume, RemoveVolume, LookupVolume, VolumeInUse).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import type { ContainerConfig } from '../../../../main/core/container-config.ts';
import { initialContainerState } from '../../../../main/core/container-state.ts';
import { openSqliteState } from '../../../../main/core/state/sqlite-state.ts';
import type { State } from '../../../../main/core/state/state.ts';
import type { VolumeRecord } from '../../../../main/core/volume-config.ts';
import { tempStore } from '../../../helpers/core-store.ts';
import type { TempStore } from '../../../helpers/core-store.ts';
import { thrownCode } from '../../../helpers/error-codes.ts';

let seq = 0;
function volume(name: string, anonymous = false): VolumeRecord {
  return { config: { name, driver: 'local', labels: {}, options: {}, anonymous, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq++)).toISOString() }, state: { needsCopyUp: true, needsChown: true, mountCount: 0 } };
}

function ctr(name: string, volumes: string[]): { config: ContainerConfig; state: ReturnType<typeof initialContainerState> } {
  const id = (seq++).toString(16).padStart(64, 'a');
  return {
    config: {
      id,
      name,
      pod: null,
      spec: { process: { args: ['sh'] } },
      rootfs: '/tmp',
      rootfsImage: null,
      labels: {},
      annotations: {},
      stopSignal: 15,
      sharedNamespaces: {},
      namedVolumes: volumes.map((v) => ({ name: v, destination: `/${v}`, options: [] })),
      createdAt: new Date().toISOString(),
    },
    state: initialContainerState(),
  };
}

describe('State volumes (sqlite)', () => {
  let store: TempStore;
  let state: State;
  beforeEach(() => {
    store = tempStore();
    state = openSqliteState(join(store.graphRoot, 'podbay.db'));
  });
  afterEach(() => {
    state.close();
    store.cleanup();
  });

  it('rejects a second volume with the same name', () => {
    state.addVolume(volume('data'));
    expect(thrownCode(() => state.addVolume(volume('data')))).toBe('ErrVolumeExists');
  });

  it('finds a volume by exact name first, then by unique prefix; an ambiguous prefix names the candidates', () => {
    state.addVolume(volume('web'));
    state.addVolume(volume('web-cache'));
    state.addVolume(volume('db'));
    expect(state.lookupVolumeName('web')).toBe('web');
    expect(state.lookupVolumeName('we' + 'b-')).toBe('web-cache');
    expect(state.lookupVolumeName('d')).toBe('db');
    let error: unknown;
    try {
      state.lookupVolumeName('w');
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'ErrInvalidArg')).toBe(true);
    expect((error as Error).message).toContain('web, web-cache');
    expect(thrownCode(() => state.lookupVolumeName('nope'))).toBe('ErrNoSuchVolume');
    // A LIKE wildcard in the input is a plain character.
    expect(thrownCode(() => state.lookupVolumeName('%'))).toBe('ErrNoSuchVolume');
  });

  it('records which containers use a volume, refuses its removal while they exist, and forgets them with the container', () => {
    state.addVolume(volume('data'));
    state.addVolume(volume('other'));
    const a = ctr('a', ['data', 'data']);
    const b = ctr('b', ['data', 'other']);
    state.addContainer(a);
    state.addContainer(b);
    expect(state.volumeUsers('data')).toEqual([a.config.id, b.config.id].sort());
    expect(state.allVolumeUsers()).toEqual(new Map([['data', [a.config.id, b.config.id].sort()], ['other', [b.config.id]]]));
    expect(thrownCode(() => state.removeVolume('data'))).toBe('ErrVolumeBeingUsed');
    state.removeContainer(a.config.id);
    state.removeContainer(b.config.id);
    state.removeVolume('data');
    expect(state.hasVolume('data')).toBe(false);
    expect(thrownCode(() => state.removeVolume('data'))).toBe('ErrNoSuchVolume');
  });

  it('refuses a container naming a volume that does not exist, adding nothing', () => {
    const c = ctr('lonely', ['ghost']);
    expect(thrownCode(() => state.addContainer(c))).toBe('ErrNoSuchVolume');
    expect(state.hasContainer(c.config.id)).toBe(false);
  });

  it('saves a volume’s state and lists volumes oldest first', () => {
    state.addVolume(volume('first'));
    state.addVolume(volume('second', true));
    state.saveVolume('first', { needsCopyUp: false, needsChown: false, mountCount: 0 });
    expect(state.volume('first').state.needsCopyUp).toBe(false);
    expect(state.allVolumes().map((v) => [v.config.name, v.config.anonymous])).toEqual([['first', false], ['second', true]]);
    expect(thrownCode(() => state.saveVolume('ghost', { needsCopyUp: false, needsChown: false, mountCount: 0 }))).toBe('ErrNoSuchVolume');
  });
});
