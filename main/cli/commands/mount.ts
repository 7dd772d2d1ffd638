// `podbay mount [--no-trunc] [--format json] [CONTAINER…]`: with containers, mounts each rootfs (each
// mount counted: it stays until its `umount`) and prints its path; without, lists the mounted ones.
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime, tabulate } from './ps.ts';

export const command: CommandSpec = {
  name: 'mount',
  aliases: ['container mount'],
  summary: "Mount a working container's root filesystem",
  usage: 'mount [options] [CONTAINER...]',
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Mount all containers' },
    format: { type: 'string', description: "Print the mounted containers as 'json'", valueName: 'FORMAT' },
    'no-trunc': { type: 'boolean', description: 'Do not truncate output' },
  },
  examples: ['podbay mount web', 'podbay mount', 'podbay mount --format json'],
  async run(run) {
    const { flags, args, io } = run;
    const format = flags.format as string | undefined;
    if (format !== undefined && format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use json`);
    const runtime = await openCliRuntime(run);
    let exit = 0;
    try {
      if (args.length > 0 || flags.all === true) {
        const targets = flags.all === true ? runtime.containers().filter((c) => c.view().rootfsImage !== null) : args.map((a) => a);
        for (const target of targets) {
          try {
            const ctr = typeof target === 'string' ? runtime.lookupContainer(target) : target;
            io.stdout(`${await ctr.mount({ wait: { signal: run.signal } })}\n`);
          } catch (error) {
            io.stderr(`Error: ${(error as Error).message}\n`);
            exit = 125;
          }
        }
        return exit;
      }
      const { rootfsMounted } = await import('../../core/container-mount-holds.ts');
      const { rootfsPaths } = await import('../../core/container-rootfs.ts');
      const graphRoot = runtime.settings().storage.graphRoot;
      const mounted = runtime.containers().filter((c) => rootfsMounted(runtime, c.view()));
      const rows = mounted.map((c) => ({ id: c.id(), names: [c.name()], mountpoint: rootfsPaths(graphRoot, c.id()).merged }));
      if (format === 'json') io.stdout(`${JSON.stringify(rows, null, 4)}\n`);
      else if (rows.length > 0) io.stdout(tabulate(rows.map((r) => [flags['no-trunc'] === true ? r.id : r.id.slice(0, 12), r.mountpoint])));
    } finally {
      runtime.shutdown(true);
    }
    return exit;
  },
};
