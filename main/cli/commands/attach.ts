// `podbay attach [--no-stdin] [--detach-keys K] CONTAINER` (podman attach): the container's output from
// now on, stdin forwarded when it was created with -i; exits with its exit code when it ends, 0 on detach.
import type { CommandSpec } from '../command.ts';
import { connectTerminal, frameWriter, terminalSize } from './attach-io.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'attach',
  aliases: ['container attach'],
  summary: 'Attach to a running container',
  usage: 'attach [options] CONTAINER',
  minArgs: 1,
  maxArgs: 1,
  flags: {
    'no-stdin': { type: 'boolean', description: 'Do not attach STDIN' },
    'detach-keys': { type: 'string', description: 'Key sequence for detaching (default "ctrl-p,ctrl-q")', valueName: 'KEYS' },
  },
  examples: ['podbay attach web'],
  async run(run) {
    const { flags, io } = run;
    const runtime = await openCliRuntime(run);
    try {
      const ctr = runtime.lookupContainer(run.args[0] as string);
      const config = ctr.view();
      const tty = config.spec.process.terminal === true;
      const size = tty ? terminalSize() : undefined;
      const session = await ctr.attach({
        onFrame: frameWriter(io),
        signal: run.signal,
        ...(size ? { initialSize: size } : {}),
        ...(flags['detach-keys'] !== undefined ? { detachKeys: flags['detach-keys'] as string } : {}),
      });
      const disconnect = connectTerminal(session, { stdin: config.stdin === true && flags['no-stdin'] !== true, tty });
      let end;
      try {
        end = await session.done;
      } finally {
        disconnect();
      }
      if (end !== 'exited') return 0;
      // The code of the run it was attached to, even if its restart policy already started the next.
      return (await session.exitCode({ signal: run.signal })) ?? (await ctr.wait({ signal: run.signal }));
    } finally {
      runtime.shutdown(true);
    }
  },
};
