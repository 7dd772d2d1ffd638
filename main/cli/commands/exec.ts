// `podbay exec [-i] [-t] [-e K=V] [-u USER] [-w DIR] CONTAINER CMD [ARG…]` (podman exec through a
// second conmon): exits with the command's exit code; 127 when it does not exist, 126 when it cannot
// be run, 125 for other failures — podman's codes.
import type { CommandSpec } from '../command.ts';
import { execExitCode } from '../../core/oci/exec-session.ts';
import { connectTerminal, frameWriter, terminalSize } from './attach-io.ts';
import { openCliRuntime, stringList } from './ps.ts';

export const command: CommandSpec = {
  name: 'exec',
  aliases: ['container exec'],
  summary: 'Run a process in a running container',
  usage: 'exec [options] CONTAINER COMMAND [ARG...]',
  minArgs: 2,
  stopAtFirstPositional: true,
  flags: {
    interactive: { type: 'boolean', short: 'i', description: 'Keep STDIN open even if not attached' },
    tty: { type: 'boolean', short: 't', description: 'Allocate a pseudo-TTY' },
    env: { type: 'string', short: 'e', multiple: true, description: 'Set environment variables', valueName: 'NAME=VALUE' },
    user: { type: 'string', short: 'u', description: 'Sets the username or UID used and optionally the groupname or GID', valueName: 'USER' },
    workdir: { type: 'string', short: 'w', description: 'Working directory inside the container', valueName: 'DIR' },
    'detach-keys': { type: 'string', description: 'Key sequence for detaching (default "ctrl-p,ctrl-q")', valueName: 'KEYS' },
  },
  examples: ['podbay exec web cat /etc/hostname', 'podbay exec -it web sh'],
  async run(run) {
    const { flags, io, args } = run;
    const [nameOrId, ...command] = args as [string, ...string[]];
    const tty = flags.tty === true;
    const stdin = flags.interactive === true;
    const runtime = await openCliRuntime(run);
    try {
      const ctr = runtime.lookupContainer(nameOrId);
      const env = stringList(flags.env).map((e) => (e.includes('=') ? e : `${e}=${process.env[e] ?? ''}`));
      const size = tty ? terminalSize() : undefined;
      let session;
      try {
        session = await ctr.exec({
          command,
          terminal: tty,
          stdin,
          signal: run.signal,
          ...(env.length ? { env } : {}),
          ...(flags.user ? { user: flags.user as string } : {}),
          ...(flags.workdir ? { cwd: flags.workdir as string } : {}),
          attach: {
            onFrame: frameWriter(io),
            ...(size ? { initialSize: size } : {}),
            ...(flags['detach-keys'] !== undefined ? { detachKeys: flags['detach-keys'] as string } : {}),
          },
        });
      } catch (error) {
        io.stderr(`Error: ${(error as Error).message}\n`);
        return execExitCode(error);
      }
      const disconnect = session.attach ? connectTerminal(session.attach, { stdin, tty }) : () => undefined;
      try {
        const code = await session.exitCode;
        // Output conmon relayed just before the exit may still be in flight on the socket.
        if (session.attach) await Promise.race([session.attach.done, new Promise((resolve) => setTimeout(resolve, 500))]);
        return code;
      } finally {
        disconnect();
        session.attach?.close();
        await session.remove();
      }
    } finally {
      runtime.shutdown(true);
    }
  },
};
