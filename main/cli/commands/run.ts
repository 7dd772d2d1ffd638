// `podbay run [options] IMAGE [CMD [ARG…]]` or `run --rootfs PATH [options] CMD [ARG…]` (podman run):
// pull the image if `--pull` says so (missing by default), create, then start — attached to the
// container's output (and stdin with -i) from before its process starts, so no output is lost — and
// exit with the container's exit code. -d prints the id and leaves it running. --rm removes it after
// it exits (this process does it, and conmon's exit command does it if this process is gone).
import { PodbayError, hasCode } from '../../../shared/errors.ts';
import { withAnnotations } from '../../core/container-config.ts';
import type { ContainerOption } from '../../core/container-config.ts';
import { createContainer } from '../../core/container-create.ts';
import { runExitCode } from '../../core/container-lifecycle.ts';
import { attachContainer, loadSeqpacketFactory } from '../../core/oci/attach.ts';
import { claimCleanup, releaseCleanup } from '../../core/oci/exit-command.ts';
import type { AttachSession } from '../../core/oci/attach.ts';
import { execExitCode } from '../../core/oci/exec-session.ts';
import type { CommandSpec } from '../command.ts';
import { connectTerminal, frameWriter, terminalSize } from './attach-io.ts';
import { containerCreateFlags, createOptionsFromFlags, keyValues, pullHooks } from './container-flags.ts';
import { openCliRuntime, stringList } from './ps.ts';

export const command: CommandSpec = {
  name: 'run',
  aliases: ['container run'],
  summary: 'Run a command in a new container',
  usage: 'run [options] IMAGE [COMMAND [ARG...]]  |  run --rootfs PATH [options] COMMAND [ARG...]',
  minArgs: 1,
  stopAtFirstPositional: true,
  flags: {
    ...containerCreateFlags,
    detach: { type: 'boolean', short: 'd', description: 'Run container in background and print container ID' },
    'detach-keys': { type: 'string', description: 'Key sequence for detaching a container (default "ctrl-p,ctrl-q")', valueName: 'KEYS' },
  },
  examples: ['podbay run --rm busybox echo hi', 'podbay run -it busybox sh', 'podbay run -d --name web busybox httpd -f -p 8080', 'podbay run --rm --rootfs /srv/rootfs echo hi'],
  async run(run) {
    const { flags, io } = run;
    const input = createOptionsFromFlags(run);
    const extra: ContainerOption[] = [];
    const annotations = keyValues(stringList(flags.annotation), 'annotation');
    if (Object.keys(annotations).length) extra.push(withAnnotations(annotations));
    const runtime = await openCliRuntime(run);
    let cleanerDir: string | null = null;
    try {
      const hooks = await pullHooks(run, input);
      if (flags.detach) {
        const ctr = await createContainer(runtime, { ...input, start: true }, extra, { signal: run.signal }, hooks);
        io.stdout(`${ctr.id()}\n`);
        return 0;
      }
      // The attach socket's native module (~20 ms to load here) loads while the start waits on its
      // namespace, netavark and the OCI runtime, not after them on the way to the attach.
      loadSeqpacketFactory().catch(() => undefined);
      const ctr = await createContainer(runtime, input, extra, { signal: run.signal }, hooks);
      const tty = input.terminal === true;
      const stdin = input.stdin === true;
      let session: AttachSession | null = null;
      try {
        await ctr.start({
          signal: run.signal,
          beforeStart: async () => {
            const paths = runtime.containerPaths(ctr.id());
            // --rm in the foreground: this process removes the container when it exits, so conmon's
            // exit command stands down meanwhile (oci/exit-command.ts); released on every way out.
            if (input.autoRemove && claimCleanup(paths.runDir)) cleanerDir = paths.runDir;
            const size = tty ? terminalSize() : undefined;
            session = await attachContainer({
              bundleDir: paths.bundleDir,
              onFrame: frameWriter(io),
              ...(size ? { initialSize: size } : {}),
              ...(flags['detach-keys'] !== undefined ? { detachKeys: flags['detach-keys'] as string } : {}),
            });
          },
        });
      } catch (error) {
        (session as AttachSession | null)?.close();
        if (input.autoRemove) await runtime.removeContainer(ctr, true, { volumes: true }).catch(() => undefined);
        io.stderr(`Error: ${(error as Error).message}\n`);
        return execExitCode(error);
      }
      const attached = session as AttachSession | null;
      if (!attached) throw new PodbayError('ErrInternal', 'the container started without an attach session');
      const disconnect = connectTerminal(attached, { stdin, tty });
      let end;
      try {
        end = await attached.done;
      } finally {
        disconnect();
      }
      if (end === 'detached') return 0;
      if (input.autoRemove) {
        // conmon wrote the exit file before it closed the attach socket: the removal records the exit
        // as it removes (one commit); the exit command may have removed it already.
        try {
          await runtime.removeContainer(ctr, false, { volumes: true });
        } catch (error) {
          if (hasCode(error, 'ErrCtrStateInvalid')) {
            await ctr.wait({ signal: run.signal });
            await runtime.removeContainer(ctr, false, { volumes: true }).catch(() => undefined);
          } else if (!hasCode(error, 'ErrCtrRemoved') && !hasCode(error, 'ErrNoSuchCtr')) throw error;
        }
        const code = runtime.state().removedExitCode(ctr.id());
        if (code !== null) return code;
      }
      // Awaited here: the finally below closes the store the wait reads. The run's own code, even if
      // its restart policy already started the next run (podman run returns the first exit).
      return (await runExitCode(runtime, ctr.id(), ctr.cachedState().conmonPid ?? 0, { signal: run.signal })) ?? (await ctr.wait({ signal: run.signal }));
    } finally {
      // Detached (ctrl-p ctrl-q), interrupted or failed: the exit command does the --rm removal again.
      if (cleanerDir) releaseCleanup(cleanerDir);
      runtime.shutdown(true);
    }
  },
};
