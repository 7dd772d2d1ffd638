// The Files view of a container as pure functions: paths inside the container (always absolute,
// `..` never above `/` — the engine resolves symlinks inside the rootfs anyway), breadcrumbs, the
// order entries are listed in, and how an entry is shown (ls-style mode, size, what opening it does).
import type { ContainerFileEntry, ContainerFileType } from '../../../shared/types/container-files.ts';
import { formatBytes } from '../presenters/format-bytes.ts';

/** `/a/b` + `c` → `/a/b/c`; `..` goes up, never above `/`. */
export function joinPath(dir: string, name: string): string {
  const parts = dir.split('/').filter(Boolean);
  for (const part of name.split('/').filter(Boolean)) {
    if (part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function parentPath(path: string): string {
  return joinPath(path, '..');
}

export function breadcrumbs(path: string): { label: string; path: string }[] {
  const parts = path.split('/').filter(Boolean);
  return [{ label: '/', path: '/' }, ...parts.map((label, i) => ({ label, path: `/${parts.slice(0, i + 1).join('/')}` }))];
}

/** Directories first, then by name (byte order, as `ls` in the C locale). */
export function sortEntries(entries: readonly ContainerFileEntry[]): ContainerFileEntry[] {
  return [...entries].sort((a, b) => {
    const ad = a.type === 'dir' ? 0 : 1;
    const bd = b.type === 'dir' ? 0 : 1;
    if (ad !== bd) return ad - bd;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

const typeLetters: Record<ContainerFileType, string> = { file: '-', dir: 'd', symlink: 'l', char: 'c', block: 'b', fifo: 'p', socket: 's' };

/** `ls -l`'s mode column: `drwxr-xr-x`, with s/S, t/T for setuid, setgid and sticky. */
export function modeString(type: ContainerFileType, mode: number): string {
  const bit = (mask: number, letter: string) => ((mode & mask) !== 0 ? letter : '-');
  const special = (exec: number, flag: number, on: string) => {
    const x = (mode & exec) !== 0;
    if ((mode & flag) === 0) return x ? 'x' : '-';
    return x ? on : on.toUpperCase();
  };
  return [
    typeLetters[type],
    bit(0o400, 'r'), bit(0o200, 'w'), special(0o100, 0o4000, 's'),
    bit(0o040, 'r'), bit(0o020, 'w'), special(0o010, 0o2000, 's'),
    bit(0o004, 'r'), bit(0o002, 'w'), special(0o001, 0o1000, 't'),
  ].join('');
}

export type EntryOpen = 'navigate' | 'download' | 'none';

/** What opening an entry does: directories (and symlinks, which may lead to one) are entered; regular files download. */
export function entryOpen(entry: Pick<ContainerFileEntry, 'type'>): EntryOpen {
  if (entry.type === 'dir' || entry.type === 'symlink') return 'navigate';
  if (entry.type === 'file') return 'download';
  return 'none';
}

/** Whether the entry can be downloaded (a file as itself, a directory as a tar). */
export function canDownload(entry: Pick<ContainerFileEntry, 'type'>): boolean {
  return entry.type === 'file' || entry.type === 'dir' || entry.type === 'symlink';
}

export function entrySize(entry: Pick<ContainerFileEntry, 'type' | 'size'>): string {
  return entry.type === 'file' ? formatBytes(entry.size) : '';
}

/** "12:04, 3 Feb 2024"-style local time, compact enough for a table cell. */
export function entryTime(mtime: string): string {
  const date = new Date(mtime);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
