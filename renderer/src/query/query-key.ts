// Queries are keyed by contract path plus input. Inputs are plain JSON (they cross the wire), so a
// stable stringification with sorted keys makes `{a, b}` and `{b, a}` the same query.

export function queryKey(path: string, input: unknown): string {
  return `${path} ${stableStringify(input)}`;
}

export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
