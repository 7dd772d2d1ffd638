// `podbay tag IMAGE TARGET_NAME…`: adds names (short ones become localhost/…, `:latest` added), as podman.
import type { CommandSpec } from '../command.ts';
import { openCliImages } from './images.ts';

export const command: CommandSpec = {
  name: 'tag',
  aliases: ['image tag'],
  summary: 'Add an additional name to a local image',
  usage: 'tag IMAGE TARGET_NAME [TARGET_NAME...]',
  minArgs: 2,
  flags: {},
  examples: ['podbay tag 0e3ab5 myimage:1.0', 'podbay tag busybox 127.0.0.1:5000/ns/busybox:v1'],
  async run(run) {
    const images = await openCliImages(run);
    try {
      images.tag(run.args[0]!, run.args.slice(1));
    } finally {
      images.close();
    }
    return 0;
  },
};
