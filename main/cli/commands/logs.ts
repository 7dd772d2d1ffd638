// `podbay logs [-f] [--since T] [--until T] [--tail N] [-t] CONTAINER` (podman logs over conmon's
// k8s-file log): each line to stdout or stderr as the container wrote it.
import { PodbayError } from '../../../shared/errors.ts';
import { formatLogLine } from '../../core/oci/k8s-file-log.ts';
import type { CommandRun, CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

/** podman's --since/--until: RFC 3339, Unix seconds, or a Go duration before now ("10m", "1h30m"). */
export function parseLogTime(text: string, now = Date.now()): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.floor(Number(text) * 1000);
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length > 0 && parts.map((p) => p[0]).join('') === text) {
    return now - parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] as string] ?? 0), 0);
  }
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw new PodbayError('ErrInvalidArg', `invalid time "${text}": expected RFC 3339, Unix seconds or a duration such as 10m`);
  return parsed;
}

/** --tail: a number of lines; negative (podman's -1) or absent means all. */
export function parseTailFlag(text: string | undefined): number | undefined {
  if (text !== undefined && !/^-?\d+$/.test(text)) throw new PodbayError('ErrInvalidArg', `invalid --tail "${text}": expected a number of lines`);
  return text === undefined || Number(text) < 0 ? undefined : Number(text);
}

/** The log options -f, --since, --until and --tail give (logs and pod logs). */
export function logWindowFlags(flags: CommandRun['flags'], tail: number | undefined): { follow: boolean; sinceMs?: number; untilMs?: number; tail?: number } {
  return {
    follow: flags.follow === true,
    ...(flags.since !== undefined ? { sinceMs: parseLogTime(flags.since as string) } : {}),
    ...(flags.until !== undefined ? { untilMs: parseLogTime(flags.until as string) } : {}),
    ...(tail !== undefined ? { tail } : {}),
  };
}

export const command: CommandSpec = {
  name: 'logs',
  aliases: ['container logs'],
  summary: 'Fetch the logs of a container',
  usage: 'logs [options] CONTAINER',
  minArgs: 1,
  maxArgs: 1,
  flags: {
    follow: { type: 'boolean', short: 'f', description: 'Follow log output' },
    since: { type: 'string', description: 'Show logs since TIMESTAMP', valueName: 'TIMESTAMP' },
    until: { type: 'string', description: 'Show logs until TIMESTAMP', valueName: 'TIMESTAMP' },
    tail: { type: 'string', description: 'Output the specified number of LINES at the end of the logs (-1: all)', valueName: 'LINES' },
    timestamps: { type: 'boolean', short: 't', description: 'Output the timestamps in the log' },
  },
  examples: ['podbay logs web', 'podbay logs -f --tail 10 web'],
  async run(run) {
    const { flags, io } = run;
    const tail = parseTailFlag(flags.tail as string | undefined);
    const runtime = await openCliRuntime(run);
    try {
      const ctr = runtime.lookupContainer(run.args[0] as string);
      const timestamps = flags.timestamps === true;
      for await (const line of ctr.logs({ ...logWindowFlags(run.flags, tail), signal: run.signal })) {
        io[line.stream === 'stderr' ? 'stderr' : 'stdout'](formatLogLine(line, timestamps));
      }
    } catch (error) {
      if (!run.signal.aborted) throw error;
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
