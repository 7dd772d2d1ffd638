import { describe, expect, it } from 'vitest';
import type { ImageListItem, ImageRemoveReport } from '../../../shared/types/images.ts';
import { imageRows } from '../../../renderer/src/images/image-list-model.ts';
import { imageConfigRows, imageHistoryRows, imageRemovalPlan, imageShortId, removalUsersLabel, parseTagNames, platformLabel, reportError, sharedSizeLabel, sizeLabel, summarizeImageRemoval } from '../../../renderer/src/images/image-presenters.ts';

function image(id: string, repoTags: string[]): ImageListItem {
  return { id: id.padEnd(64, '0'), digest: 'sha256:d', repoTags, repoDigests: [], created: '2024-01-01T00:00:00Z', size: 1, sharedSize: 0, labels: {}, storedAt: '', dangling: repoTags.length === 0 };
}

describe('image presenters', () => {
  it('prints IDs, sizes and platforms as podman does', () => {
    expect(imageShortId('sha256:0123456789abcdef')).toBe('0123456789ab');
    expect(sizeLabel(4_260_000)).toBe('4.26 MB');
    expect(sizeLabel(-1)).toBe('—');
    expect(sharedSizeLabel(0)).toBe('—');
    expect(sharedSizeLabel(1_500)).toBe('1.5 kB');
    expect(platformLabel({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe('linux/arm64/v8');
    expect(platformLabel({ os: 'linux', architecture: 'amd64', variant: null })).toBe('linux/amd64');
  });

  it('removes by name (untagging an image that keeps other names) or by ID when dangling', () => {
    const rows = imageRows([image('a', ['r/a:1', 'r/a:2']), image('b', ['r/b:latest']), image('c', [])]);
    const partial = imageRemovalPlan([rows[0]!, rows[2]!, rows[3]!]);
    expect(partial.targets).toEqual(['r/a:1', 'r/b:latest', 'c'.padEnd(64, '0')]);
    expect(partial).toMatchObject({ deletes: 2, untagsOnly: 1 });
    expect(imageRemovalPlan([rows[0]!, rows[1]!])).toMatchObject({ deletes: 1, untagsOnly: 0, targets: ['r/a:1', 'r/a:2'] });
  });

  it('summarizes removals with one line per failure and its own error', () => {
    const ok: ImageRemoveReport[] = [{ nameOrId: 'r/b:latest', untagged: ['r/b:latest'], deleted: ['b'.repeat(64)] }];
    expect(summarizeImageRemoval(ok)).toMatchObject({ title: 'Removed 1 image', tone: 'ok', deletedIds: ['b'.repeat(64)], failures: [] });
    const mixed: ImageRemoveReport[] = [
      ...ok,
      { nameOrId: 'r/a:1', untagged: ['r/a:1'], deleted: [] },
      { nameOrId: 'r/used:1', untagged: [], deleted: [], error: { code: 'ErrImageInUse', message: 'image 0123 is in use by a container: remove the container first or force removal' } },
    ];
    const summary = summarizeImageRemoval(mixed);
    expect(summary.title).toBe('Removed 1 image, untagged 1 name; 1 failed');
    expect(summary.tone).toBe('warning');
    expect(summary.failures).toEqual([
      { key: 'r/used:1', name: 'r/used:1', title: 'Not possible in the current state', message: 'Image 0123 is in use by a container: remove the container first or force removal.', code: 'ErrImageInUse' },
    ]);
    expect(summarizeImageRemoval([mixed[2]!])).toMatchObject({ title: 'Could not remove the image', tone: 'danger' });
  });

  it('maps unknown report codes to ErrInternal', () => {
    expect(reportError({ code: 'ErrWhatever', message: 'x' })).toEqual({ code: 'ErrInternal', category: 'internal', message: 'x' });
    expect(reportError({ code: 'ErrNoSuchImage', message: 'x' }).category).toBe('not-found');
  });

  it('reads several names from the Tag dialog', () => {
    expect(parseTagNames(' a:1  b, a:1 ')).toEqual(['a:1', 'b']);
    expect(parseTagNames('')).toEqual([]);
  });
});

describe('image details', () => {
  it('lists the config fields an image sets, and its history newest first with layer sizes', () => {
    expect(
      imageConfigRows({ author: 'me', config: { Cmd: ['/bin/sh'], Env: ['A=1', 'B=2'], WorkingDir: '/srv', ExposedPorts: { '80/tcp': {} }, Labels: { x: 'y' } } }),
    ).toEqual([
      { label: 'Command', value: '["/bin/sh"]' },
      { label: 'Working dir', value: '/srv' },
      { label: 'Environment', value: 'A=1\nB=2' },
      { label: 'Ports', value: '80/tcp' },
      { label: 'Author', value: 'me' },
    ]);
    const layers = [{ digest: 'a', diffId: 'a', size: 1, diffSize: 100, mediaType: '' }, { digest: 'b', diffId: 'b', size: 1, diffSize: 200, mediaType: '' }];
    expect(imageHistoryRows({ layers, history: [{ created_by: 'ADD base' }, { created_by: 'ENV x', empty_layer: true }, { created_by: 'RUN make', comment: 'c' }] })).toEqual([
      { createdBy: 'RUN make', created: null, size: 200, comment: 'c' },
      { createdBy: 'ENV x', created: null, size: null, comment: '' },
      { createdBy: 'ADD base', created: null, size: 100, comment: '' },
    ]);
  });
});

describe('removal users', () => {
  it('names the containers that use the images being removed', () => {
    const image = { id: 'a'.repeat(64) } as ImageListItem;
    const plan = { rows: [{ key: 'k', name: 'x:1', repository: 'x', tag: '1', image }], targets: ['x:1'], deletes: 1, untagsOnly: 0 } as unknown as Parameters<typeof removalUsersLabel>[0];
    expect(removalUsersLabel(plan, {})).toBeNull();
    expect(removalUsersLabel(plan, { [image.id]: [{ id: 'c1', name: 'web' }, { id: 'c2', name: 'db' }] })).toBe('Used by web, db (2 containers)');
  });
});
