import { describe, expect, it } from 'vitest';
import { hashFor, nextNavIndex, routeFromHash, routes } from '../../../renderer/src/navigation/routes.ts';

describe('routes', () => {
  it('lists the seven pages in sidebar order', () => {
    expect(routes.map((r) => r.label)).toEqual(['Containers', 'Pods', 'Images', 'Volumes', 'Registries', 'Events', 'System']);
  });

  it('reads the page from the hash, with System as the default', () => {
    expect(routeFromHash('#/events')).toBe('events');
    expect(routeFromHash('#/pods/abc')).toBe('pods');
    expect(routeFromHash('')).toBe('system');
    expect(routeFromHash('#/nowhere')).toBe('system');
    expect(routeFromHash(hashFor('images'))).toBe('images');
  });
});

describe('nextNavIndex', () => {
  it('moves with the arrow keys and wraps', () => {
    expect(nextNavIndex(0, 'ArrowDown', 7)).toBe(1);
    expect(nextNavIndex(6, 'ArrowDown', 7)).toBe(0);
    expect(nextNavIndex(0, 'ArrowUp', 7)).toBe(6);
  });

  it('jumps with Home and End, and ignores other keys', () => {
    expect(nextNavIndex(3, 'Home', 7)).toBe(0);
    expect(nextNavIndex(3, 'End', 7)).toBe(6);
    expect(nextNavIndex(3, 'Enter', 7)).toBeNull();
    expect(nextNavIndex(0, 'ArrowDown', 0)).toBeNull();
  });
});
