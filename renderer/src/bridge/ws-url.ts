// Where the browser transport connects: the page's own host at /ws, carrying the page's `?token=`
// when there is one (the web host also sets an HttpOnly cookie when the page is loaded with the token,
// which the browser sends by itself; the query parameter keeps a reload or a copied link working).

export interface PageLocation {
  readonly protocol: string;
  readonly host: string;
  readonly search: string;
}

/** The WebSocket URL for a page at `location`, or null when the page is not served over http(s). */
export function webSocketUrl(location: PageLocation): string | null {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return null;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}/ws${query}`;
}
