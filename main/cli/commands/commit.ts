// `podbay commit [-a AUTHOR] [-m MESSAGE] [-c CHANGE]… [-p] [-f oci|docker] [-q] CONTAINER [IMAGE]`:
// the container's writable layer as a new image (libpod Commit). Progress on stderr unless -q, the
// new image's ID on stdout. The container is paused during the commit unless --pause=false.
import { PodbayError } from '../../../shared/errors.ts';
import type { CommitFormat } from '../../core/container-commit.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime, stringList } from './ps.ts';

export const command: CommandSpec = {
  name: 'commit',
  aliases: ['container commit'],
  summary: 'Create new image based on the changed container',
  usage: 'commit [options] CONTAINER [IMAGE]',
  minArgs: 1,
  maxArgs: 2,
  flags: {
    author: { type: 'string', short: 'a', description: 'Set the author for the image committed', valueName: 'AUTHOR' },
    message: { type: 'string', short: 'm', description: 'Set commit message for imported image', valueName: 'MESSAGE' },
    change: { type: 'string', short: 'c', multiple: true, description: 'Apply an instruction to the image: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR', valueName: 'CHANGE' },
    pause: { type: 'boolean', short: 'p', description: 'Pause the container during the commit (default true; --pause=false keeps it running)' },
    format: { type: 'string', short: 'f', description: 'Format of the image manifest and metadata: oci (default) or docker', valueName: 'FORMAT' },
    quiet: { type: 'boolean', short: 'q', description: 'Suppress output' },
  },
  examples: ['podbay commit web web:snapshot', "podbay commit --change 'CMD=/bin/sh -c \"echo hi\"' -m 'added files' web", 'podbay commit --pause=false -q web'],
  async run(run) {
    const { flags, args, io } = run;
    const format = (flags.format as string | undefined) ?? 'oci';
    if (format !== 'oci' && format !== 'docker') throw new PodbayError('ErrInvalidArg', `unrecognized image type "${format}": use oci or docker`);
    const quiet = flags.quiet === true;
    const runtime = await openCliRuntime(run);
    try {
      const ctr = runtime.lookupContainer(args[0] as string);
      let phase = '';
      const report = await ctr.commit({
        ...(args[1] !== undefined ? { name: args[1] } : {}),
        ...(typeof flags.author === 'string' ? { author: flags.author } : {}),
        ...(typeof flags.message === 'string' ? { message: flags.message } : {}),
        changes: stringList(flags.change),
        pause: flags.pause !== false,
        format: format as CommitFormat,
        signal: run.signal,
        onFrame: (frame) => {
          if (quiet || frame.type !== 'progress' || frame.phase === phase) return;
          phase = frame.phase;
          if (phase === 'writing') io.stderr('Getting image source signatures\nCopying the container\'s changes as a new layer\n');
          if (phase === 'storing') io.stderr('Writing manifest to image destination\n');
        },
      });
      io.stdout(`${report.id}\n`);
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
