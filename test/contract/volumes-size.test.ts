// volumes.inspect reports what a volume holds (podman system df -v): the bytes of its files through
// the real router and store, hard links counted once, symlinks not followed out of the volume.
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { typedClient } from '../../shared/client.ts';
import { createAppContext } from '../../main/app-context.ts';
import { createAppRouter } from '../../main/app-router.ts';
import { createInMemoryPair } from '../../main/ipc/in-memory-transport.ts';
import type { InMemoryPair } from '../../main/ipc/in-memory-transport.ts';
import { treeDiskUsage } from '../../main/core/volume-size.ts';
import { makeTempStore } from '../helpers/temp-store.ts';
import type { TempStore } from '../helpers/temp-store.ts';

describe('volume sizes', () => {
  let store: TempStore;
  let pair: InMemoryPair;
  beforeEach(() => {
    store = makeTempStore('podbay-volume-size-');
    pair = createInMemoryPair(createAppRouter(createAppContext({ root: store.root, runRoot: store.runRoot })));
  });
  afterEach(() => {
    pair.close();
    store.cleanup();
  });

  it('inspect counts the files under the mountpoint once each and never follows a symlink', async () => {
    const client = typedClient(pair.client);
    const created = await client.call('volumes.create', { name: 'sized' });
    expect(created.size).toBe(0);
    const data = created.mountpoint;
    mkdirSync(join(data, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(data, 'a'), Buffer.alloc(1000));
    writeFileSync(join(data, 'sub', 'deeper', 'b'), Buffer.alloc(24_000));
    linkSync(join(data, 'a'), join(data, 'sub', 'a-again'));
    // A link to a big host tree: counted as the link itself (its target's length), not what it points at.
    symlinkSync('/usr', join(data, 'usr-link'));
    const inspected = await client.call('volumes.inspect', { name: 'sized' });
    expect(inspected.size).toBe(1000 + 24_000 + '/usr'.length);
    expect(await client.call('volumes.create', { name: 'sized', ignoreIfExists: true })).toMatchObject({ size: inspected.size });
  });

  it('is 0 for a directory that does not exist, and stops when aborted', async () => {
    expect(await treeDiskUsage(join(store.dir, 'nothing-here'))).toBe(0);
    const controller = new AbortController();
    controller.abort();
    await expect(treeDiskUsage(store.dir, controller.signal)).rejects.toMatchObject({ code: 'ErrCanceled' });
  });
});
