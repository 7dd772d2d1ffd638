// `podbay cp [--archive=BOOL] [--overwrite] SRC DST`: copies between a container (`CTR:/path`) and the
// host, or two containers; `-` is a tar on stdin (SRC) or stdout (DST). Paths of a container resolve
// inside its rootfs, so a symlink there never leads to the host (podman cp, CVE-2019-10152).
import { PodbayError } from '../../../shared/errors.ts';
import type { CopyEndpoint } from '../../core/container-copy.ts';
import type { CommandSpec } from '../command.ts';
import { readStdin, refuseTerminal, writeStdout } from './binary-io.ts';
import { openCliRuntime } from './ps.ts';

/**
 * podman's parsing of a cp argument: `CTR:PATH` names a container path unless the part before the
 * colon contains a `/` or is empty (then it is a host path such as `./a:b` or `/x:y`).
 */
export function parseCopyArgument(text: string): CopyEndpoint {
  if (text === '-') return { path: '-' };
  const colon = text.indexOf(':');
  if (colon > 0 && !text.slice(0, colon).includes('/')) {
    const path = text.slice(colon + 1);
    if (path === '') throw new PodbayError('ErrInvalidArg', `"${text}": a container path must follow the colon`);
    return { container: text.slice(0, colon), path };
  }
  return { path: text };
}

function parseBool(value: unknown, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  throw new PodbayError('ErrInvalidArg', `invalid --${flag} "${String(value)}": expected true or false`);
}

export const command: CommandSpec = {
  name: 'cp',
  aliases: ['container cp'],
  summary: 'Copy files/folders between a container and the local filesystem',
  usage: 'cp [options] [CONTAINER:]SRC_PATH [CONTAINER:]DEST_PATH',
  minArgs: 2,
  maxArgs: 2,
  flags: {
    archive: { type: 'boolean', short: 'a', description: 'Chown copied files to the primary uid/gid of the destination (default true; --archive=false keeps the owners)' },
    overwrite: { type: 'boolean', description: 'Allow to overwrite directories with non-directories and vice versa' },
  },
  examples: ['podbay cp ./index.html web:/var/www/', 'podbay cp web:/etc/nginx ./nginx-conf', 'podbay cp web:/var/log - > logs.tar', 'podbay cp - web:/tmp < files.tar'],
  async run(run) {
    const [src, dst] = run.args as [string, string];
    const source = parseCopyArgument(src);
    const dest = parseCopyArgument(dst);
    if (source.container === undefined && dest.container === undefined) throw new PodbayError('ErrInvalidArg', 'copying between two host paths is not supported: name a container as CONTAINER:PATH');
    if (dest.path === '-') refuseTerminal(run.io, 'write an archive');
    const runtime = await openCliRuntime(run);
    try {
      const archive = parseBool(run.flags.archive, 'archive');
      const { copyPaths } = await import('../../core/container-copy.ts');
      await copyPaths(runtime, source, dest, {
        ...(archive !== undefined ? { archive } : {}),
        overwrite: run.flags.overwrite === true,
        signal: run.signal,
        ...(source.path === '-' ? { stdin: readStdin() } : {}),
        ...(dest.path === '-' ? { stdout: (tar) => writeStdout(tar, run.signal) } : {}),
      });
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
