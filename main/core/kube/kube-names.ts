// Names as Kubernetes requires them: container, port and volume names are RFC 1123 labels
// (lowercase letters, digits and '-', at most 63, alphanumeric at both ends); Podbay names allow
// more ('_', '.', capitals), so generate kube folds them.

/** `name` as an RFC 1123 label; `fallback` when nothing of it is left. */
export function dnsLabel(name: string, fallback = 'x'): string {
  const folded = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 63).replace(/-+$/, '');
  return folded || fallback;
}

/** Whether `name` already is an RFC 1123 label. */
export function isDnsLabel(name: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name);
}

/** A label not yet in `taken` (adding `-2`, `-3`… as needed), recorded there. */
export function uniqueLabel(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 60 - String(n).length)}-${n}`;
  taken.add(name);
  return name;
}
