// `podbay umount [-a] [-f] CONTAINER…`: drops a mount of each container's rootfs (`-f`: all of them);
// the rootfs is unmounted once nothing holds it — a running container's own mount stays.
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'umount',
  aliases: ['unmount', 'container umount', 'container unmount'],
  summary: "Unmount working container's root filesystem",
  usage: 'umount [options] CONTAINER [CONTAINER...]',
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Unmount all of the currently mounted containers' },
    force: { type: 'boolean', short: 'f', description: 'Drop every mount of the container, not just one' },
  },
  examples: ['podbay umount web', 'podbay umount -f web'],
  async run(run) {
    const { flags, args, io } = run;
    const all = flags.all === true;
    if (!all && args.length === 0) throw new PodbayError('ErrInvalidArg', "umount requires at least 1 argument\nSee 'podbay umount --help'");
    if (all && args.length > 0) throw new PodbayError('ErrInvalidArg', '--all and containers cannot be given together');
    const runtime = await openCliRuntime(run);
    let exit = 0;
    try {
      const { rootfsMounted } = await import('../../core/container-mount-holds.ts');
      const targets = all ? runtime.containers().filter((c) => rootfsMounted(runtime, c.view())) : args.map((a) => a);
      for (const target of targets) {
        try {
          const ctr = typeof target === 'string' ? runtime.lookupContainer(target) : target;
          await ctr.unmount(flags.force === true, { wait: { signal: run.signal } });
          io.stdout(`${ctr.id()}\n`);
        } catch (error) {
          io.stderr(`Error: ${(error as Error).message}\n`);
          exit = 125;
        }
      }
    } finally {
      runtime.shutdown(true);
    }
    return exit;
  },
};
