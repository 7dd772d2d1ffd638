// `podbay rmi [-f] [-a] IMAGE…`: each image on its own, podman's output: `Untagged: NAME` for each
// name that went, `Deleted: ID` for each image removed; `Error: …` per failure. Exit 0 when all went,
// 1 when some did not exist, 2 when some were in use, 125 otherwise (podman's codes).
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { openCliImages } from './images.ts';

export const command: CommandSpec = {
  name: 'rmi',
  aliases: ['image rm', 'image remove'],
  summary: 'Remove one or more images from local storage',
  usage: 'rmi [options] IMAGE [IMAGE...]',
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Remove all images' },
    force: { type: 'boolean', short: 'f', description: 'Force removal of the image and any containers using it' },
  },
  examples: ['podbay rmi busybox', 'podbay rmi -f 3f2a', 'podbay rmi -a'],
  async run(run) {
    const { flags, args, io } = run;
    const all = flags.all === true;
    if (all && args.length > 0) throw new PodbayError('ErrInvalidArg', 'when using the --all switch, you may not pass any images names or IDs');
    if (!all && args.length === 0) throw new PodbayError('ErrInvalidArg', "image name or ID must be specified\nSee 'podbay rmi --help'");
    const images = await openCliImages(run, { containers: true });
    let reports;
    try {
      const names = all ? images.list().map((i) => i.id) : args;
      reports = await images.remove(names, flags.force === true || all, run.signal);
    } finally {
      images.close();
    }
    let exit = 0;
    for (const report of reports) {
      if (!report.error) {
        for (const name of report.untagged) io.stdout(`Untagged: ${name}\n`);
        for (const id of report.deleted) io.stdout(`Deleted: ${id}\n`);
        continue;
      }
      io.stderr(`Error: ${report.error.message}\n`);
      const code = report.error.code === 'ErrNoSuchImage' ? 1 : report.error.code === 'ErrImageInUse' ? 2 : 125;
      exit = Math.max(exit, code);
    }
    return exit;
  },
};
