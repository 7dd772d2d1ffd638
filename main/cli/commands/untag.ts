// `podbay untag IMAGE [NAME…]`: removes the names given, or every name of the image, as podman.
import type { CommandSpec } from '../command.ts';
import { openCliImages } from './images.ts';

export const command: CommandSpec = {
  name: 'untag',
  aliases: ['image untag'],
  summary: 'Remove a name from a local image',
  usage: 'untag IMAGE [IMAGE...]',
  minArgs: 1,
  flags: {},
  examples: ['podbay untag myimage:1.0', 'podbay untag 0e3ab5 localhost/myimage:1.0'],
  async run(run) {
    const images = await openCliImages(run);
    try {
      images.untag(run.args[0]!, run.args.slice(1));
    } finally {
      images.close();
    }
    return 0;
  },
};
