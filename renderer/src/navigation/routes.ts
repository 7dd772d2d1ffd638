// The app's pages, in sidebar order, and the hash routes that select them (hash routing works the
// same under Electron's file:// and the web host's http://).

export const routeIds = ['containers', 'pods', 'images', 'volumes', 'registries', 'events', 'system'] as const;
export type RouteId = (typeof routeIds)[number];

export interface RouteInfo {
  readonly id: RouteId;
  readonly label: string;
}

export const routes: readonly RouteInfo[] = [
  { id: 'containers', label: 'Containers' },
  { id: 'pods', label: 'Pods' },
  { id: 'images', label: 'Images' },
  { id: 'volumes', label: 'Volumes' },
  { id: 'registries', label: 'Registries' },
  { id: 'events', label: 'Events' },
  { id: 'system', label: 'System' },
];

export const defaultRoute: RouteId = 'system';

export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/, 1)[0] ?? '';
  return (routeIds as readonly string[]).includes(id) ? (id as RouteId) : defaultRoute;
}

export function hashFor(id: RouteId): string {
  return `#/${id}`;
}

export function routeInfo(id: RouteId): RouteInfo {
  return routes.find((r) => r.id === id) ?? (routes[routes.length - 1] as RouteInfo);
}

/** Index of the link to focus after an arrow key in the sidebar (wraps around), or null. */
export function nextNavIndex(current: number, key: string, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown':
      return (current + 1 + count) % count;
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
