// `podbay save [--format docker-archive|oci-archive|oci-dir] -o FILE IMAGE…`: one archive (or OCI
// layout directory) with every image, written beside FILE and renamed into place. Writing to stdout is refused on a terminal, as podman.
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { openCliImages } from './images.ts';

export const command: CommandSpec = {
  name: 'save',
  aliases: ['image save'],
  summary: 'Save image(s) to an archive',
  usage: 'save [options] IMAGE [IMAGE...]',
  minArgs: 1,
  flags: {
    output: { type: 'string', short: 'o', description: 'Write to a specified file', valueName: 'FILE' },
    format: { type: 'string', description: 'Save image to docker-archive (default), oci-archive or oci-dir (an OCI layout directory)', valueName: 'FORMAT' },
    quiet: { type: 'boolean', short: 'q', description: 'Suppress the output' },
    'multi-image-archive': { type: 'boolean', short: 'm', description: 'Interpret additional arguments as images, not tags (always on)' },
  },
  examples: ['podbay save -o busybox.tar busybox', 'podbay save --format oci-archive -o app.tar app:1.0 app:2.0', 'podbay save --format oci-dir -o ./layout busybox'],
  async run(run) {
    const { flags, args } = run;
    const format = (flags.format as string | undefined) ?? 'docker-archive';
    if (format !== 'docker-archive' && format !== 'oci-archive' && format !== 'oci-dir') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use docker-archive, oci-archive or oci-dir`);
    if (typeof flags.output !== 'string' || flags.output === '') throw new PodbayError('ErrInvalidArg', 'give the archive with -o FILE (writing to stdout is not supported)');
    const images = await openCliImages(run);
    try {
      await images.save(args, flags.output, format, run.signal);
    } finally {
      images.close();
    }
    return 0;
  },
};
