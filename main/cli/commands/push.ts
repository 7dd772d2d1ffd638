// `podbay push [--tls-verify=false] [--creds U:P] [--authfile F] [-q] IMAGE [DESTINATION]`: the stored
// blobs byte for byte (same digests as pulled), podman's progress lines on stderr.
import { PodbayError } from '../../../shared/errors.ts';
import type { CommandSpec } from '../command.ts';
import { openCliImages, registryFlags, registryOptions } from './images.ts';
import { ProgressPrinter, pushFramePrinter } from './pull.ts';

export const command: CommandSpec = {
  name: 'push',
  aliases: ['image push'],
  summary: 'Push an image to a specified destination',
  usage: 'push [options] IMAGE [DESTINATION]',
  minArgs: 1,
  flags: {
    ...registryFlags,
    quiet: { type: 'boolean', short: 'q', description: 'Suppress output information when pushing images' },
    'digestfile': { type: 'string', description: 'Write the digest of the pushed image to the specified file', valueName: 'FILE' },
  },
  examples: ['podbay push 127.0.0.1:5000/ns/app:1.0', 'podbay push --tls-verify=false app 127.0.0.1:5000/ns/app:1.0'],
  async run(run) {
    const { flags, io } = run;
    const registry = registryOptions(run);
    if (registry.args.length < 1 || registry.args.length > 2) throw new PodbayError('ErrInvalidArg', "push requires 1 or 2 arguments\nSee 'podbay push --help'");
    const quiet = flags.quiet === true;
    const printer = new ProgressPrinter(io, io.isTTY);
    const images = await openCliImages(run);
    try {
      if (!quiet) printer.text('Getting image source signatures');
      // podman takes the destination as a transport reference; docker:// is the one a registry push means.
      const destination = registry.args[1]?.replace(/^docker:\/\//, '');
      if (destination !== undefined && /^(oci|oci-archive|docker-archive|dir|containers-storage|docker-daemon):/.test(destination)) {
        throw new PodbayError('ErrInvalidArg', `unsupported destination ${JSON.stringify(registry.args[1])}: push to a registry (docker://HOST/NAME[:TAG]); use podbay save for archives`);
      }
      const result = await images.push(registry.args[0]!, destination, { ...registry, onFrame: quiet ? undefined : pushFramePrinter(printer) });
      printer.finish();
      if (typeof flags.digestfile === 'string') {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(flags.digestfile, result.manifestDigest);
      }
      return 0;
    } finally {
      printer.finish();
      images.close();
    }
  },
};
