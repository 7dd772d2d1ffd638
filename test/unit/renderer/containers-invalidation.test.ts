import { describe, expect, it } from 'vitest';
import { pathsToInvalidate } from '../../../renderer/src/query/event-invalidation.ts';

describe('event invalidation for containers and pods', () => {
  it('refetches open Inspect panels on container and pod events', () => {
    expect(pathsToInvalidate({ type: 'container', action: 'rename' }).sort()).toEqual(['containers.inspect', 'networks.inspect', 'pods.inspect']);
    expect(pathsToInvalidate({ type: 'pod', action: 'remove' }).sort()).toEqual(['containers.inspect', 'pods.inspect']);
  });

  it('refetches Inspect panels on network events, and the network picker when a network comes or goes', () => {
    expect(pathsToInvalidate({ type: 'network', action: 'connect' }).sort()).toEqual(['containers.inspect', 'networks.inspect', 'pods.inspect']);
    expect(pathsToInvalidate({ type: 'network', action: 'create' })).toContain('networks.list');
    expect(pathsToInvalidate({ type: 'network', action: 'disconnect' })).not.toContain('networks.list');
  });

  it('never re-lists containers or pods per event (the live lists upsert rows instead)', () => {
    for (const type of ['container', 'pod'] as const) {
      const paths = pathsToInvalidate({ type, action: 'create' });
      expect(paths).not.toContain('containers.list');
      expect(paths).not.toContain('pods.list');
    }
  });
});
