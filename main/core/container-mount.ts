// libpod's Container.Mount / Unmount over c/storage's mount counting (layers.go Mount/Unmount with
// `mountpoints.json` in the run root): a container's rootfs is mounted once however many hold it, and
// unmounted when the last hold goes. Three kinds of holds, kept in `<runDir>/mount-holds.json` (the
// run root is a tmpfs: the counts vanish with the mounts at a reboot):
//   - `run`: the container's own run (taken at init, dropped at cleanup) — libpod's state.Mounted;
//     taking or dropping it twice counts once, so a stop and the exit command both cleaning up do not
//     steal a user's hold;
//   - `users`: `podbay mount` (each one counts; `umount` drops one, `umount -f` all);
//   - `temps`: short holds of one process (export, cp, browsing files of a stopped container), each
//     naming its process so the hold of a process that died is ignored.
// Every change happens under the container's lease (pod, then container), the same lease start and
// cleanup hold, so counts and the kernel's mount table never disagree for long. No lease is held
// while a temporary holder works.
import { PodbayError } from '../../shared/errors.ts';
import type { LifecycleContext } from './container-internal.ts';
import { lease } from './container-lifecycle.ts';
import { holdRootfs, readMountHolds, releaseRootfs } from './container-mount-holds.ts';
import { isActive, stateInvalid } from './container-state.ts';
import type { LockWaitOptions } from './lock/lock-manager.ts';
import type { ContainerRecord } from './state/state.ts';

function needsImageRootfs(record: ContainerRecord, doing: string): void {
  if (record.state.status === 'removing') throw stateInvalid(record.config.id, 'removing', `${doing}: it is being removed`);
}

/**
 * libpod Mount: mounts the container's rootfs (counted: each mount needs its unmount) and returns the
 * merged path; emits `mount`. A --rootfs container returns its directory uncounted.
 */
export async function mountContainer(ctx: LifecycleContext, id: string, wait: LockWaitOptions = {}): Promise<string> {
  const { handle, record } = await lease(ctx, id, wait);
  let path: string;
  try {
    needsImageRootfs(record, 'mount it');
    path = await holdRootfs(ctx, record.config, { kind: 'user' });
  } finally {
    handle.release();
  }
  ctx.emitContainer('mount', record.config);
  return path;
}

/**
 * libpod Unmount: drops one user mount (`force`: all of them); the rootfs is unmounted once nothing
 * holds it. The last hold being the container's own run (it is running or paused) →
 * ErrCtrStateInvalid, as podman: "cannot unmount storage for container … as it is running or paused".
 * A container that is not mounted is left as it is. Emits `unmount`.
 */
export async function unmountContainer(ctx: LifecycleContext, id: string, options: { force?: boolean; wait?: LockWaitOptions } = {}): Promise<void> {
  const { handle, record } = await lease(ctx, id, options.wait ?? {});
  try {
    if (record.config.rootfsImage) {
      const holds = readMountHolds(ctx, id);
      if (holds.users === 0 && holds.temps.length === 0 && holds.run && isActive(record.state.status)) {
        throw new PodbayError('ErrCtrStateInvalid', `cannot unmount storage for container ${id} as it is ${record.state.status}`);
      }
      if (holds.users > 0 || !holds.run) await releaseRootfs(ctx, record.config, { kind: 'user' }, options.force === true);
    }
  } finally {
    handle.release();
  }
  ctx.emitContainer('unmount', record.config);
}

/**
 * Runs `work` with the container's rootfs available — mounted for it if it was not (a temporary hold
 * of this process), and unmounted after unless something else holds it (libpod's export does the
 * same). No lease is held while `work` runs.
 */
export async function withRootfs<T>(ctx: LifecycleContext, id: string, work: (rootfs: string, record: ContainerRecord) => Promise<T>, wait: LockWaitOptions = {}): Promise<T> {
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const { handle, record } = await lease(ctx, id, wait);
  let rootfs: string;
  try {
    needsImageRootfs(record, 'read its files');
    rootfs = await holdRootfs(ctx, record.config, { kind: 'temp', token });
  } finally {
    handle.release();
  }
  try {
    return await work(rootfs, record);
  } finally {
    if (record.config.rootfsImage) {
      const again = await lease(ctx, id, {}).catch(() => null);
      if (again) {
        try {
          await releaseRootfs(ctx, record.config, { kind: 'temp', token });
        } finally {
          again.handle.release();
        }
      }
    }
  }
}
