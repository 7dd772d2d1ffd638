// The Volumes page's list: what an event means for it, its order, its rows and the search — pure
// functions over VolumeListItem, tested without a DOM. The list itself is a LiveList
// (containers/live-list.ts): one full list when opened, then the rows of the volumes an event names.
import type { TypedClient } from '../../../shared/client.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import type { VolumeListItem, VolumePruneReport, VolumeRemoveReport } from '../../../shared/types/volumes.ts';
import { summarizeRemoval } from '../containers/container-presenters.ts';
import type { RemovalSummary } from '../containers/container-presenters.ts';
import { noEffect } from '../containers/live-list-model.ts';
import type { EventEffect, ListRequest, LiveListState } from '../containers/live-list-model.ts';
import type { LiveListSource } from '../containers/live-list.ts';

/** A volume as a list row: keyed by its name (volumes have no other id). */
export type VolumeRow = VolumeListItem & { readonly id: string };

export function volumeRow(item: VolumeListItem): VolumeRow {
  return { ...item, id: item.name };
}

/** Newest first; ties by name, so the order is stable. */
export function compareVolumes(a: VolumeRow, b: VolumeRow): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * A volume event names the volume: remove and prune drop its row, anything else fetches it again. A
 * container created with volumes names them in its event (`volumes`); a container removed frees the
 * volumes whose row lists it: both refresh those rows ("used by").
 */
export function volumeEventEffect(event: Pick<PodbayEvent, 'type' | 'action' | 'id' | 'attributes'>, state: LiveListState<VolumeRow>): EventEffect {
  if (event.type === 'volume') {
    if (!event.id) return noEffect;
    if (event.action === 'remove' || event.action === 'prune') return { remove: [event.id], refresh: [] };
    return { remove: [], refresh: [event.id] };
  }
  if (event.type !== 'container') return noEffect;
  if (event.action === 'create') {
    const names = (event.attributes.volumes ?? '').split(',').filter(Boolean);
    return names.length ? { remove: [], refresh: names } : noEffect;
  }
  if (event.action === 'remove' || event.action === 'rename' || event.action === 'start' || event.action === 'died' || event.action === 'stop') {
    const users = state.items.filter((v) => v.usedBy.some((u) => u.id === event.id)).map((v) => v.name);
    return users.length ? { remove: [], refresh: users } : noEffect;
  }
  return noEffect;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `volumes.list` for the whole store, or narrowed to names (the name filter is a regular expression). */
export function volumeListInput(request: ListRequest): { filters?: Record<string, string[]> } {
  return request.kind === 'full' ? {} : { filters: { name: request.ids.map((name) => `^${escapeRegExp(name)}$`) } };
}

export function volumeSource(client: TypedClient): LiveListSource<VolumeRow> {
  return {
    list: async (request) => (await client.call('volumes.list', volumeListInput(request))).map(volumeRow),
    effect: volumeEventEffect,
    compare: compareVolumes,
  };
}

/** Every word must match its name, a label (`key`, `value`, `key=value`), a driver option, or a user's name. */
export function matchesVolumeSearch(row: VolumeListItem, text: string): boolean {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [row.name, row.mountpoint, ...Object.entries(row.labels).map(([k, v]) => `${k}=${v}`), ...Object.entries(row.options).map(([k, v]) => `${k}=${v}`), ...row.usedBy.map((u) => u.name)].join('\n').toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function filterVolumes<T extends VolumeListItem>(rows: readonly T[], text: string): readonly T[] {
  if (text.trim() === '') return rows;
  return rows.filter((row) => matchesVolumeSearch(row, text));
}

/** "web, db", "3 containers: web, db, cache…", or "—". */
export function usedByLabel(row: Pick<VolumeListItem, 'usedBy'>, max = 3): string {
  const names = row.usedBy.map((u) => u.name);
  if (names.length === 0) return '—';
  const shown = names.slice(0, max).join(', ') + (names.length > max ? '…' : '');
  return names.length > max ? `${names.length} containers: ${shown}` : shown;
}

/** A long (anonymous) name shortened as IDs are. */
export function volumeLabel(name: string): string {
  return /^[0-9a-f]{64}$/.test(name) ? name.slice(0, 12) : name;
}

export interface VolumeRemovalPlan {
  readonly volumes: readonly VolumeListItem[];
  /** Containers that use them, by name: removed with them only with force (podman volume rm -f). */
  readonly users: readonly string[];
}

export function volumeRemovalPlan(volumes: readonly VolumeListItem[]): VolumeRemovalPlan {
  return { volumes, users: [...new Set(volumes.flatMap((v) => v.usedBy.map((u) => u.name)))] };
}

/** Per-volume results; the title also counts the containers that went with them. */
export function summarizeVolumeRemoval(reports: readonly VolumeRemoveReport[]): RemovalSummary {
  const summary = summarizeRemoval(reports.map((r) => ({ nameOrId: r.nameOrId, id: r.name, error: r.error })), volumeLabel, 'volume');
  const containers = reports.filter((r) => !r.error).reduce((n, r) => n + r.removedContainers.length, 0);
  if (containers === 0) return summary;
  return { ...summary, title: `${summary.title}, and ${containers} container${containers === 1 ? '' : 's'} using ${summary.removedIds.length === 1 ? 'it' : 'them'}` };
}

/** What a prune did, in one line. */
export function pruneSummary(report: VolumePruneReport): string {
  const n = report.removed.length;
  const removed = n === 0 ? 'No unused volume to remove' : `Removed ${n} unused volume${n === 1 ? '' : 's'}`;
  return report.errors.length ? `${removed}; ${report.errors.length} could not be removed (${report.errors.map((e) => `${volumeLabel(e.name)}: ${e.error.message}`).join('; ')})` : removed;
}

/** The create dialog's labels and options fields: `KEY=VALUE`, one per line (a value may hold commas: o=size=1m,mode=1777). */
export function parseKeyValueLines(text: string): { values: Record<string, string> } | { error: string } {
  const values: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    const key = (eq === -1 ? entry : entry.slice(0, eq)).trim();
    if (key === '') return { error: `"${entry}" has no key: write KEY=VALUE` };
    values[key] = eq === -1 ? '' : entry.slice(eq + 1).trim();
  }
  return { values };
}

const volumeNameRule = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The create dialog's name: empty (a name is drawn) or podman's rule. */
export function volumeNameError(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return null;
  return volumeNameRule.test(trimmed) && trimmed.length <= 253 ? null : 'Use letters, digits, _ . and -, starting with a letter or digit';
}
