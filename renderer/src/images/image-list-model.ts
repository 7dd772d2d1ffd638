// The Images page's list: what an image event means for it, its order, its rows (one per name, as
// `podman images` prints them) and the search — pure functions over ImageListItem, tested without a
// DOM. The list itself is a LiveList (containers/live-list.ts): one full list when opened, then the
// rows of the images an event names, fetched again or dropped.
import type { TypedClient } from '../../../shared/client.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import type { ImageListItem } from '../../../shared/types/images.ts';
import { noEffect } from '../containers/live-list-model.ts';
import type { EventEffect, ListRequest, LiveListState } from '../containers/live-list-model.ts';
import type { LiveListSource } from '../containers/live-list.ts';

/** Newest first, as `podman images` lists them; ties by ID so the order is stable. */
export function compareImages(a: ImageListItem, b: ImageListItem): number {
  const ta = Date.parse(a.created);
  const tb = Date.parse(b.created);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta < tb ? 1 : -1;
  if (a.storedAt !== b.storedAt) return a.storedAt < b.storedAt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Actions that change nothing `images.list` shows. */
const noChange = new Set(['save', 'mount', 'unmount']);

/**
 * An image event names the image by ID: `remove` drops its row; pull, tag, untag, push, load… fetch
 * its row again (a name added or gone, a new image).
 */
export function imageEventEffect(event: Pick<PodbayEvent, 'type' | 'action' | 'id'>, _state?: LiveListState<ImageListItem>): EventEffect {
  if (event.type !== 'image' || !event.id) return noEffect;
  if (event.action === 'remove' || event.action === 'delete') return { remove: [event.id], refresh: [] };
  if (noChange.has(event.action)) return noEffect;
  return { remove: [], refresh: [event.id] };
}

/** `images.list` for the whole store, or narrowed to IDs (the `id` filter matches by prefix: full IDs are exact). */
export function imageListInput(request: ListRequest): { filters?: Record<string, string[]> } {
  return request.kind === 'full' ? {} : { filters: { id: [...request.ids] } };
}

export function imageSource(client: TypedClient): LiveListSource<ImageListItem> {
  return {
    list: (request) => client.call('images.list', imageListInput(request)),
    effect: imageEventEffect,
    compare: compareImages,
  };
}

// ---------- rows ----------

export interface ImageRow {
  /** Unique per row: the image ID and the name shown. */
  readonly key: string;
  readonly image: ImageListItem;
  /** `docker.io/library/busybox`, or `<none>` for a dangling image. */
  readonly repository: string;
  readonly tag: string;
  /** The full name (`repository:tag`), or null for a dangling image. */
  readonly name: string | null;
}

/** Splits `registry:5000/path/name:tag` at the tag's colon (not the port's); digests stay whole. */
export function splitName(name: string): { repository: string; tag: string } {
  const at = name.indexOf('@');
  if (at >= 0) return { repository: name.slice(0, at), tag: '<none>' };
  const colon = name.lastIndexOf(':');
  const slash = name.lastIndexOf('/');
  if (colon > slash) return { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
  return { repository: name, tag: '<none>' };
}

/** One row per name of each image (in the list's order); a dangling image has one `<none>` row. */
export function imageRows(items: readonly ImageListItem[]): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of items) {
    if (image.repoTags.length === 0) {
      rows.push({ key: image.id, image, repository: '<none>', tag: '<none>', name: null });
      continue;
    }
    for (const name of image.repoTags) {
      const { repository, tag } = splitName(name);
      rows.push({ key: `${image.id} ${name}`, image, repository, tag, name });
    }
  }
  return rows;
}

/**
 * Whether a row matches what was typed: every word must match its repository:tag, a digest, a
 * label (`key`, `value` or `key=value`), or be a prefix of its ID. Case-insensitive.
 */
export function matchesImageSearch(row: ImageRow, text: string): boolean {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [row.name ?? '<none>', row.image.digest, ...row.image.repoDigests, ...Object.entries(row.image.labels).map(([k, v]) => `${k}=${v}`)].join('\n').toLowerCase();
  return words.every((word) => row.image.id.startsWith(word.replace(/^sha256:/, '')) || haystack.includes(word));
}

export function filterImageRows(rows: readonly ImageRow[], text: string): readonly ImageRow[] {
  if (text.trim() === '') return rows;
  return rows.filter((row) => matchesImageSearch(row, text));
}
