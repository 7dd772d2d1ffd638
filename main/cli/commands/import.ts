// `podbay import [--change INSTRUCTION]… [--message TEXT] FILE|- [IMAGE]`: a rootfs tarball (plain,
// gzip, xz, bzip2 or zstd; `-` reads stdin) becomes a single-layer image; prints its ID, as podman.
import { createReadStream } from 'node:fs';
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { openCliImages, stringList } from './images.ts';

export const command: CommandSpec = {
  name: 'import',
  aliases: ['image import'],
  summary: 'Import a tarball to create a filesystem image',
  usage: 'import [options] PATH [REFERENCE]',
  minArgs: 1,
  maxArgs: 2,
  flags: {
    change: { type: 'string', short: 'c', multiple: true, description: 'Apply the following possible instructions to the created image (default []): CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR', valueName: 'INSTRUCTION' },
    message: { type: 'string', short: 'm', description: 'Set commit message for imported image', valueName: 'TEXT' },
    quiet: { type: 'boolean', short: 'q', description: 'Suppress output' },
  },
  examples: ['podbay import rootfs.tar myimage:1.0', "cat rootfs.tar.gz | podbay import --change 'CMD [\"/bin/sh\"]' - myimage"],
  async run(run) {
    const { flags, io, args } = run;
    const path = args[0]!;
    if (/^https?:\/\//.test(path)) throw new PodbayError('ErrNotImplemented', 'importing from a URL is not supported: download the tarball first');
    const source = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1024 * 1024 });
    const opened = new Promise<void>((resolve, reject) => {
      if (path === '-') return resolve();
      source.once('open', () => resolve());
      source.once('error', (error) => reject(new PodbayError('ErrInvalidArg', `opening ${path}: ${error.message}`, { cause: error })));
    });
    await opened;
    const images = await openCliImages(run);
    try {
      const image = await images.importImage(source, {
        changes: stringList(flags.change),
        message: typeof flags.message === 'string' ? flags.message : undefined,
        reference: args[1],
        signal: run.signal,
      });
      io.stdout(`${flags.quiet === true ? '' : 'sha256:'}${image.id}\n`);
    } finally {
      images.close();
    }
    return 0;
  },
};
