// What the procedures that look into and out of containers return: files of a container's rootfs,
// its changes against its image, its processes and its resource use, the frames of a commit, and
// what a copy in reports (the frames of downloads and uploads themselves: transfers.ts).
import type { ImageListItem } from './images.ts';

export type ContainerFileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

/** One entry of a directory inside a container (lstat: a symlink is listed as a symlink). */
export interface ContainerFileEntry {
  name: string;
  type: ContainerFileType;
  /** Bytes (regular files; 0 for the others). */
  size: number;
  /** Permission bits with setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** RFC 3339. */
  mtime: string;
  /** A symlink's target as written. */
  linkTarget?: string;
}

export interface ContainerDirListing {
  /** The directory's real path inside the container (symlinks on the way resolved inside it). */
  path: string;
  entries: ContainerFileEntry[];
  /** More entries than were returned (the listing stops at a limit). */
  truncated: boolean;
}

/** podman diff: A added, C changed, D deleted. */
export type ContainerChangeKind = 'A' | 'C' | 'D';

export interface ContainerChange {
  /** Absolute path inside the container. */
  path: string;
  kind: ContainerChangeKind;
}

/** podman top: the column titles and one row of cells per process (ContainerTopOKBody). */
export interface ContainerTopReport {
  titles: string[];
  processes: string[][];
}

/** One sample of a container's resource use (podman's ContainerStats, raw numbers). */
export interface ContainerStats {
  id: string;
  name: string;
  /** CPU use since the previous sample (the container's start for the first), in percent of one CPU. */
  cpuPercent: number;
  /** CPU use since the container started, in percent of one CPU. */
  avgCpuPercent: number;
  /** Total CPU time used, in nanoseconds. */
  cpuNanos: number;
  /** Memory in use, page cache not counted (as podman). */
  memUsage: number;
  /** The container's memory limit, or the host's memory when it has none. */
  memLimit: number;
  memPercent: number;
  /** null when the container's network namespace cannot be read. */
  netInput: number | null;
  netOutput: number | null;
  blockInput: number;
  blockOutput: number;
  pids: number;
  /** When the sample was taken (Unix ms). */
  time: number;
}

/** The end of a `containers.copyIn` upload: entries and file bytes written into the container. */
export interface CopyInDone {
  type: 'done';
  entries: number;
  bytes: number;
}

export type CommitPhase = 'pausing' | 'writing' | 'storing' | 'done';

/** Frames of `containers.commit`: progress of the new layer, then the stored image. */
export type CommitFrame =
  | { type: 'progress'; phase: CommitPhase; bytes: number; totalBytes: number | null }
  | { type: 'image'; id: string; image: ImageListItem | null };
