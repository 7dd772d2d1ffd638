// What the Containers page shows for a container and for a removal, as pure functions (STYLE.md's
// `container-presenters.ts`): podman ps's words, tones for badges, and per-item removal results.
import type { ErrorData } from '../../../shared/errors.ts';
import { containerStatusText, humanDuration } from '../../../shared/types/containers.ts';
import type { ContainerListItem, ContainerStateName } from '../../../shared/types/containers.ts';
import { describeError } from '../presenters/error-presenters.ts';
import { formatCount } from '../presenters/format-bytes.ts';
import type { Tone } from '../presenters/system-presenters.ts';

export function stateTone(state: ContainerStateName, exitCode: number | null): Tone {
  switch (state) {
    case 'running':
      return 'ok';
    case 'paused':
    case 'stopping':
    case 'removing':
      return 'warning';
    case 'exited':
    case 'stopped':
      return exitCode !== null && exitCode !== 0 ? 'danger' : 'neutral';
    default:
      return 'neutral';
  }
}

/** The STATUS column: podman's text ("Created", "Up 2 minutes", "Exited (1) 3 seconds ago") and a tone. */
export function statusView(item: Pick<ContainerListItem, 'state' | 'exitCode' | 'startedAt' | 'finishedAt'>, now: number): { text: string; tone: Tone } {
  return { text: containerStatusText(item, now), tone: stateTone(item.state, item.exitCode) };
}

/** The IMAGE column: the image as named, or the rootfs directory of a rootfs container. */
export function imageLabel(item: Pick<ContainerListItem, 'image' | 'rootfs'>): { text: string; kind: 'image' | 'rootfs' | 'none' } {
  if (item.image) return { text: item.image, kind: 'image' };
  if (item.rootfs) return { text: item.rootfs, kind: 'rootfs' };
  return { text: '—', kind: 'none' };
}

/** A long path as its last segments ("…/rootfs/alpine"), which tell directories apart; short paths as they are. */
export function compactPath(path: string, max = 16): string {
  if (path.length <= max) return path;
  const parts = path.split('/').filter(Boolean);
  let tail = parts.pop() ?? path;
  while (parts.length > 0 && tail.length + (parts[parts.length - 1]?.length ?? 0) + 1 <= max - 2) tail = `${parts.pop()}/${tail}`;
  return `…/${tail}`;
}

/** The COMMAND column, quoted as a shell would need it: ["sh", "-c", "echo hi"] → `sh -c 'echo hi'`. */
export function commandLabel(command: readonly string[]): string {
  return command.map(shellQuote).join(' ');
}

function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The CREATED column as podman prints it: "Less than a second ago", "3 minutes ago". */
export function createdLabel(createdAt: string, now: number): string {
  const time = Date.parse(createdAt);
  if (Number.isNaN(time)) return createdAt;
  return `${humanDuration(Math.max(0, now - time))} ago`;
}

/** "key=value" pairs, sorted, for a labels cell. */
export function labelPairs(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`));
}

/** "1,000 containers", "12 of 1,000 containers", "1 container". */
export function countLabel(shown: number, total: number, noun: string): string {
  const plural = (n: number) => `${noun}${n === 1 ? '' : 's'}`;
  return shown === total ? `${formatCount(total)} ${plural(total)}` : `${formatCount(shown)} of ${formatCount(total)} ${plural(total)}`;
}

// ---------- removal ----------

export interface RemovalPlan {
  readonly items: readonly ContainerListItem[];
  /** Running, paused or stopping: removing them needs force (their processes are killed). */
  readonly active: readonly ContainerListItem[];
  /** Have run: their output and the changes to their filesystem go with them. */
  readonly used: readonly ContainerListItem[];
  /** Data is lost: ask first. A container that never ran holds nothing beyond its definition. */
  readonly needsConfirmation: boolean;
}

export function removalPlan(items: readonly ContainerListItem[]): RemovalPlan {
  const active = items.filter((i) => i.state === 'running' || i.state === 'paused' || i.state === 'stopping');
  const used = items.filter((i) => !active.includes(i) && (i.state === 'exited' || i.state === 'stopped' || i.startedAt !== null));
  return { items, active, used, needsConfirmation: active.length > 0 || used.length > 0 };
}

export interface RemovalFailure {
  readonly key: string;
  readonly name: string;
  readonly title: string;
  readonly message: string;
  readonly code: string | null;
}

export interface RemovalSummary {
  readonly removedIds: readonly string[];
  readonly failures: readonly RemovalFailure[];
  readonly title: string;
  readonly tone: Tone;
}

export interface RemovalReportLike {
  readonly nameOrId: string;
  readonly id: string | null;
  readonly error: ErrorData | null;
}

/** One line per failed item (its own error), and a title counting what happened. */
export function summarizeRemoval(reports: readonly RemovalReportLike[], nameOf: (idOrName: string) => string, noun = 'container'): RemovalSummary {
  const removedIds = reports.filter((r) => !r.error).map((r) => r.id ?? r.nameOrId);
  const failures = reports
    .filter((r): r is RemovalReportLike & { error: ErrorData } => r.error !== null)
    .map((r) => {
      const view = describeError(r.error);
      return { key: r.nameOrId, name: nameOf(r.id ?? r.nameOrId), title: view.title, message: view.message, code: view.code };
    });
  const total = reports.length;
  const nouns = (n: number) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
  const title =
    failures.length === 0
      ? `Removed ${nouns(removedIds.length)}`
      : removedIds.length === 0
        ? `Could not remove ${total === 1 ? `the ${noun}` : `any of ${nouns(total)}`}`
        : `Removed ${formatCount(removedIds.length)} of ${nouns(total)}; ${formatCount(failures.length)} failed`;
  return { removedIds, failures, title, tone: failures.length === 0 ? 'ok' : removedIds.length === 0 ? 'danger' : 'warning' };
}

/** The contract takes at most 1,000 names per call: bigger selections go in several calls. */
export function chunk<T>(items: readonly T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
