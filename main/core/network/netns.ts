// Persistent network namespaces: a file <runRoot>/netns/netns-<uuid> with the namespace bind-mounted
// onto it, as podman's common/pkg/netns does (rootful podman uses /run/netns/netns-<uuid>).
//
// podman creates them in-process (a thread that unshares CLONE_NEWNET, then bind-mounts its
// /proc/<pid>/task/<tid>/ns/net). Node can neither unshare nor mount, so a helper program does it.
// We use util-linux `unshare --net=<file> true` rather than iproute2's `ip netns add NAME`:
//  - it is one short process (~3 ms), the same cost as `ip netns add`;
//  - it takes any path, so namespaces live under our run root (a test's temporary run root, or
//    /run/podbay), never among podman's or the admin's in /run/netns, and cleanupStale can treat
//    every file in our directory as ours;
//  - both packages are in every Debian install (util-linux is essential), so nothing new is needed.
// Removal is `umount --lazy` (MNT_DETACH, as podman) + unlink; the kernel frees the namespace, and
// any interface left in it, once nothing holds it.
//
// Like iproute2 and podman, the directory is first made a shared bind mount of itself: a namespace
// mounted there later propagates to mount namespaces cloned from ours, and so does its unmount, so
// a copy held by another mount namespace (a service with PrivateTmp, say) cannot keep it alive.
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PodbayError } from '../../../shared/errors.ts';
import type { Exec } from '../exec.ts';

export interface NetnsTools {
  unshare: string;
  mount: string;
  umount: string;
}

export const defaultNetnsTools: NetnsTools = { unshare: '/usr/bin/unshare', mount: '/usr/bin/mount', umount: '/usr/bin/umount' };

const netnsNamePattern = /^netns-[0-9a-f-]{36}$/;
/** A bridge sweep's throwaway namespace: made and removed under the netavark lease, never a container's. */
const sweepNamePattern = /^netns-sweep-[0-9a-f-]{36}$/;

/**
 * Mount points of this process's mount namespace (field 5 of mountinfo, octal escapes decoded),
 * each with whether it is in a shared peer group (an optional field "shared:N").
 */
export function mountPoints(mountinfo = '/proc/self/mountinfo'): Map<string, { shared: boolean }> {
  const points = new Map<string, { shared: boolean }>();
  for (const line of readFileSync(mountinfo, 'utf8').split('\n')) {
    const fields = line.split(' ');
    const point = fields[4];
    if (!point) continue;
    const optional = fields.slice(6, fields.indexOf('-'));
    points.set(point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))), { shared: optional.some((f) => f.startsWith('shared:')) });
  }
  return points;
}

export class NetnsManager {
  readonly dir: string;
  private readonly exec: Exec;
  private readonly tools: NetnsTools;
  private readonly mounts: () => Map<string, { shared: boolean }>;
  private prepared = false;

  /** `mounts` reads the mount table; unit tests, whose fake exec mounts nothing, pass their own. */
  constructor(dir: string, exec: Exec, tools: NetnsTools = defaultNetnsTools, mounts: () => Map<string, { shared: boolean }> = () => mountPoints()) {
    this.dir = dir;
    this.exec = exec;
    this.tools = tools;
    this.mounts = mounts;
  }

  /** Makes the directory a shared mount point once (a no-op when it already is one). */
  private async prepare(signal?: AbortSignal): Promise<void> {
    if (this.prepared) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    const point = this.mounts().get(this.dir);
    if (!point) await this.run(this.tools.mount, ['--bind', this.dir, this.dir], 'bind-mounting the netns directory onto itself', signal);
    if (!point?.shared) await this.run(this.tools.mount, ['--make-shared', this.dir], 'making the netns directory a shared mount', signal);
    this.prepared = true;
  }

  /** A fresh path for create(): a caller records it first, so cleanup never mistakes the namespace for a stray. */
  newPath(): string {
    return join(this.dir, `netns-${randomUUID()}`);
  }

  /** A path for a bridge sweep's namespace: listed apart (listSweeps), so no cleanup takes it for a container's. */
  newSweepPath(): string {
    return join(this.dir, `netns-sweep-${randomUUID()}`);
  }

  /** Creates a new, empty network namespace (only `lo`, down) at `path` (default a new one) and returns it. */
  async create(signal?: AbortSignal, path: string = this.newPath()): Promise<string> {
    if (!this.owns(path) && !this.isSweep(path)) throw new PodbayError('ErrInvalidArg', `${path} is not a network namespace path of ${this.dir}`);
    await this.prepare(signal);
    // The mount point must exist; mode 0 as podman: nobody reads the file, it only anchors the mount.
    closeSync(openSync(path, 'wx', 0o000));
    try {
      await this.run(this.tools.unshare, [`--net=${path}`, 'true'], `creating network namespace ${path}`, signal);
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    }
    return path;
  }

  /**
   * A long-lived empty namespace, <dir>/netns-scratch, shared by every process: netavark teardown
   * is pointed at it when the container's own namespace must not (or cannot) be touched — netavark
   * then finds no veth to delete and goes on to remove the container's firewall rules. Created on
   * first use; one creation races another process's at most once (the loser waits for its mount).
   */
  async scratch(signal?: AbortSignal): Promise<string> {
    const path = join(this.dir, 'netns-scratch');
    if (this.mounts().has(path)) return path;
    await this.prepare(signal);
    try {
      closeSync(openSync(path, 'wx', 0o000));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      for (let i = 0; i < 40; i++) {
        if (this.mounts().has(path)) return path;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      // A file nobody mounted within a second: a crash left it; take it over.
    }
    try {
      await this.run(this.tools.unshare, [`--net=${path}`, 'true'], `creating network namespace ${path}`, signal);
    } catch (error) {
      if (this.mounts().has(path)) return path; // the other process won after all
      rmSync(path, { force: true });
      throw error;
    }
    return path;
  }

  /** Unmounts and deletes a namespace file. Idempotent: a missing or unmounted file is fine. */
  async remove(path: string, signal?: AbortSignal): Promise<void> {
    if (!this.owns(path) && !this.isSweep(path) && path !== join(this.dir, 'netns-scratch')) throw new PodbayError('ErrInvalidArg', `${path} is not a network namespace of ${this.dir}`);
    if (this.mounts().has(path)) {
      const result = await this.exec(this.tools.umount, ['--lazy', path], { signal, timeoutMs: 10_000 });
      // A concurrent remove may have unmounted it between our check and umount: check again.
      if (result.exitCode !== 0 && this.mounts().has(path)) {
        throw new PodbayError('ErrInternal', `unmounting network namespace ${path}: ${result.stderr || `exit ${result.exitCode}`}`);
      }
    }
    rmSync(path, { force: true });
  }

  /**
   * Undoes prepare(): unmounts the directory's bind mount of itself, so the directory can be deleted
   * (tests do this with their temporary run roots). Namespaces still in it stay mounted.
   */
  async unmountDir(signal?: AbortSignal): Promise<void> {
    if (this.mounts().has(this.dir)) await this.run(this.tools.umount, ['--lazy', this.dir], `unmounting ${this.dir}`, signal);
    this.prepared = false;
  }

  /** Namespace files of containers present in the directory (mounted or not); not the scratch one. */
  list(): string[] {
    return this.filesMatching(netnsNamePattern);
  }

  /** Sweep namespaces present (a sweep under way, or one a crash interrupted). */
  listSweeps(): string[] {
    return this.filesMatching(sweepNamePattern);
  }

  private filesMatching(pattern: RegExp): string[] {
    try {
      return readdirSync(this.dir).filter((name) => pattern.test(name)).map((name) => join(this.dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  isSweep(path: string): boolean {
    return path.startsWith(`${this.dir}/`) && sweepNamePattern.test(path.slice(this.dir.length + 1));
  }

  isMounted(path: string): boolean {
    return this.mounts().has(path);
  }

  owns(path: string): boolean {
    return path.startsWith(`${this.dir}/`) && netnsNamePattern.test(path.slice(this.dir.length + 1));
  }

  private async run(file: string, args: string[], doing: string, signal?: AbortSignal): Promise<void> {
    let result;
    try {
      result = await this.exec(file, args, { signal, timeoutMs: 10_000 });
    } catch (error) {
      if (signal?.aborted) throw new PodbayError('ErrCanceled', `${doing}: canceled`, { cause: error });
      throw new PodbayError('ErrInternal', `${doing}: ${(error as Error).message}`, { cause: error });
    }
    if (result.exitCode !== 0) {
      // Creating namespaces and mounts needs root (rootless networking is its own issue).
      const code = /Operation not permitted|Permission denied/.test(result.stderr) ? 'ErrPermission' : 'ErrInternal';
      throw new PodbayError(code, `${doing}: ${result.stderr || `exit ${result.exitCode}`}`);
    }
  }
}
