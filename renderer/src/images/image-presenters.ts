// What the Images page shows for an image and for a removal, as pure functions: podman's sizes
// (decimal, three digits), what a removal will do, and one result line per item that failed.
import { errorCodes, isErrorCode } from '../../../shared/errors.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import { humanSize } from '../../../shared/types/images.ts';
import type { ImageInspect, ImageRemoveReport } from '../../../shared/types/images.ts';
import { describeError } from '../presenters/error-presenters.ts';
import { formatCount } from '../presenters/format-bytes.ts';
import type { Tone } from '../presenters/system-presenters.ts';
import type { ImageRow } from './image-list-model.ts';

/** The IMAGE ID column: 12 hex characters. */
export function imageShortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** SIZE as `podman images` prints it ("4.26 MB"); shared size "—" when nothing is shared. */
export function sizeLabel(bytes: number): string {
  return Number.isFinite(bytes) && bytes >= 0 ? humanSize(bytes) : '—';
}

export function sharedSizeLabel(bytes: number): string {
  return bytes > 0 ? humanSize(bytes) : '—';
}

/** "linux/amd64", "linux/arm64/v8". */
export function platformLabel(image: Pick<ImageInspect, 'os' | 'architecture' | 'variant'>): string {
  return [image.os, image.architecture, image.variant].filter(Boolean).join('/');
}

// ---------- removal ----------

export interface ImageRemovalPlan {
  readonly rows: readonly ImageRow[];
  /** What each row is removed by: its name (only that name goes when the image has others), or its ID. */
  readonly targets: readonly string[];
  /** Images whose every name is selected: their layers are deleted unless another image shares them. */
  readonly deletes: number;
  /** Images that keep other names: only the selected names go. */
  readonly untagsOnly: number;
}

/**
 * The names to remove, in row order (one call removes them one by one, as `podbay rmi`): removing
 * each name of an image in turn untags it until the last name deletes it.
 */
export function imageRemovalPlan(rows: readonly ImageRow[]): ImageRemovalPlan {
  const selectedNames = new Map<string, number>();
  for (const row of rows) selectedNames.set(row.image.id, (selectedNames.get(row.image.id) ?? 0) + 1);
  let deletes = 0;
  let untagsOnly = 0;
  for (const [id, count] of selectedNames) {
    const image = rows.find((r) => r.image.id === id)?.image;
    if (!image) continue;
    if (count >= Math.max(1, image.repoTags.length)) deletes++;
    else untagsOnly++;
  }
  const targets = [...new Set(rows.map((row) => row.name ?? row.image.id))];
  return { rows, targets, deletes, untagsOnly };
}

export interface ImageRemovalFailure {
  readonly key: string;
  readonly name: string;
  readonly title: string;
  readonly message: string;
  readonly code: string | null;
}

export interface ImageRemovalSummary {
  /** Image IDs deleted from the store. */
  readonly deletedIds: readonly string[];
  readonly untagged: readonly string[];
  readonly failures: readonly ImageRemovalFailure[];
  readonly title: string;
  readonly tone: Tone;
}

/** The report's error as wire data (unknown codes become ErrInternal). */
export function reportError(error: { code: string; message: string }): ErrorData {
  const code = isErrorCode(error.code) ? error.code : 'ErrInternal';
  return { code, category: errorCodes[code], message: error.message };
}

/** One line per name that failed (its own error), and a title counting what happened. */
export function summarizeImageRemoval(reports: readonly ImageRemoveReport[]): ImageRemovalSummary {
  const deletedIds = [...new Set(reports.flatMap((r) => r.deleted))];
  const untagged = reports.flatMap((r) => r.untagged);
  const failures = reports
    .filter((r): r is ImageRemoveReport & { error: { code: string; message: string } } => r.error !== undefined)
    .map((r) => {
      const view = describeError(reportError(r.error));
      return { key: r.nameOrId, name: r.nameOrId, title: view.title, message: view.message, code: view.code };
    });
  const ok = reports.length - failures.length;
  const images = (n: number) => `${formatCount(n)} image${n === 1 ? '' : 's'}`;
  const untagOnly = reports.filter((r) => !r.error && r.deleted.length === 0).length;
  const did = [deletedIds.length > 0 ? `Removed ${images(deletedIds.length)}` : '', untagOnly > 0 ? `untagged ${formatCount(untagOnly)} name${untagOnly === 1 ? '' : 's'}` : '']
    .filter(Boolean)
    .join(', ');
  const title =
    failures.length === 0
      ? capitalize(did || 'Nothing to remove')
      : ok === 0
        ? `Could not remove ${reports.length === 1 ? 'the image' : `any of ${formatCount(reports.length)} images`}`
        : `${capitalize(did)}; ${formatCount(failures.length)} failed`;
  return { deletedIds, untagged, failures, title, tone: failures.length === 0 ? 'ok' : ok === 0 ? 'danger' : 'warning' };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------- tag ----------

/** Names typed in the Tag dialog (spaces or commas between them), without duplicates. */
export function parseTagNames(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** The config fields people look for, as label/value lines (only those the image sets). */
export function imageConfigRows(image: Pick<ImageInspect, 'config' | 'author'>): { label: string; value: string }[] {
  const c = image.config;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : null);
  const rows: { label: string; value: string }[] = [];
  const entrypoint = list(c.Entrypoint);
  const cmd = list(c.Cmd);
  if (entrypoint?.length) rows.push({ label: 'Entrypoint', value: JSON.stringify(entrypoint) });
  if (cmd?.length) rows.push({ label: 'Command', value: JSON.stringify(cmd) });
  if (typeof c.WorkingDir === 'string' && c.WorkingDir) rows.push({ label: 'Working dir', value: c.WorkingDir });
  if (typeof c.User === 'string' && c.User) rows.push({ label: 'User', value: c.User });
  const env = list(c.Env);
  if (env?.length) rows.push({ label: 'Environment', value: env.join('\n') });
  if (c.ExposedPorts && typeof c.ExposedPorts === 'object') {
    const ports = Object.keys(c.ExposedPorts as object);
    if (ports.length) rows.push({ label: 'Ports', value: ports.join(', ') });
  }
  if (c.Volumes && typeof c.Volumes === 'object') {
    const volumes = Object.keys(c.Volumes as object);
    if (volumes.length) rows.push({ label: 'Volumes', value: volumes.join(', ') });
  }
  if (typeof c.StopSignal === 'string' && c.StopSignal) rows.push({ label: 'Stop signal', value: c.StopSignal });
  if (image.author) rows.push({ label: 'Author', value: image.author });
  return rows;
}

/** History newest first, each non-empty step with the size of its layer (as `podman history`). */
export function imageHistoryRows(image: Pick<ImageInspect, 'history' | 'layers'>): { createdBy: string; created: string | null; size: number | null; comment: string }[] {
  let layer = 0;
  const rows = image.history.map((h) => ({
    createdBy: h.created_by ?? '',
    created: h.created ?? null,
    size: h.empty_layer ? null : (image.layers[layer++]?.diffSize ?? null),
    comment: h.comment ?? '',
  }));
  return rows.reverse();
}

/** "Used by web-1, db (2 containers)": the containers of the images a removal deletes, or null. */
export function removalUsersLabel(plan: ImageRemovalPlan, users: Readonly<Record<string, readonly { id: string; name: string }[]>>): string | null {
  const names = new Map<string, string>();
  for (const row of plan.rows) for (const c of users[row.image.id] ?? []) names.set(c.id, c.name);
  if (names.size === 0) return null;
  const shown = [...names.values()].slice(0, 5).join(', ');
  return `Used by ${shown}${names.size > 5 ? '…' : ''} (${names.size === 1 ? '1 container' : `${names.size} containers`})`;
}
