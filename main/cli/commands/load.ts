// `podbay load -i FILE`: every image of a docker-archive or oci-archive; prints "Loaded image: NAME"
// per name (or the ID of an unnamed image), as podman.
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { openCliImages } from './images.ts';

export const command: CommandSpec = {
  name: 'load',
  aliases: ['image load'],
  summary: 'Load image(s) from a tar archive',
  usage: 'load [options]',
  maxArgs: 0,
  flags: {
    input: { type: 'string', short: 'i', description: 'Read from specified archive file', valueName: 'FILE' },
    quiet: { type: 'boolean', short: 'q', description: 'Suppress the output' },
    'signature-policy': { type: 'string', description: 'Path to a signature-policy file (policy.json)', valueName: 'FILE' },
  },
  examples: ['podbay load -i busybox.tar'],
  async run(run) {
    const { flags, io } = run;
    if (typeof flags.input !== 'string' || flags.input === '') throw new PodbayError('ErrInvalidArg', 'give the archive with -i FILE (reading stdin is not supported)');
    const images = await openCliImages(run);
    try {
      const loaded = await images.load(flags.input, run.signal, { signaturePolicyPath: typeof flags['signature-policy'] === 'string' ? flags['signature-policy'] : undefined });
      if (flags.quiet !== true) {
        for (const image of loaded) {
          const names = image.repoTags.length ? image.repoTags : [`sha256:${image.id}`];
          io.stdout(names.map((n) => `Loaded image: ${n}\n`).join(''));
        }
      }
    } finally {
      images.close();
    }
    return 0;
  },
};
