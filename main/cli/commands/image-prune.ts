// `podbay image prune [-a] [-f]`: removes dangling images (or, with -a, every image no container
// uses) and then the content nothing references; prints the removed IDs as podman does.
import type { CommandSpec } from '../command.ts';
import { openCliImages } from './images.ts';

export const command: CommandSpec = {
  name: 'image prune',
  summary: 'Remove unused images',
  usage: 'image prune [options]',
  maxArgs: 0,
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Remove all images not in use by containers, not just dangling ones' },
    force: { type: 'boolean', short: 'f', description: 'Do not prompt for confirmation' },
  },
  examples: ['podbay image prune', 'podbay image prune -a -f'],
  async run(run) {
    const images = await openCliImages(run, { containers: true });
    try {
      const report = await images.prune({ all: run.flags.all === true });
      await images.collectGarbage();
      run.io.stdout(report.deleted.map((id) => `${id}\n`).join(''));
    } finally {
      images.close();
    }
    return 0;
  },
};
