// The Changes (diff) view as pure functions: counts per kind and the labels podman's letters stand for.
import type { ContainerChange, ContainerChangeKind } from '../../../shared/types/container-files.ts';

export const changeLabels: Record<ContainerChangeKind, string> = { A: 'Added', C: 'Changed', D: 'Deleted' };

export function changeCounts(changes: readonly ContainerChange[]): Record<ContainerChangeKind, number> {
  const counts: Record<ContainerChangeKind, number> = { A: 0, C: 0, D: 0 };
  for (const c of changes) counts[c.kind]++;
  return counts;
}

/** The changes of the kinds shown, optionally narrowed to paths containing `query`. */
export function filterChanges(changes: readonly ContainerChange[], kinds: ReadonlySet<ContainerChangeKind>, query = ''): ContainerChange[] {
  const q = query.trim();
  return changes.filter((c) => kinds.has(c.kind) && (q === '' || c.path.includes(q)));
}

export function changesSummary(changes: readonly ContainerChange[]): string {
  if (changes.length === 0) return 'No changes against the image.';
  const counts = changeCounts(changes);
  return (['A', 'C', 'D'] as const).map((k) => `${counts[k]} ${changeLabels[k].toLowerCase()}`).join(', ');
}
