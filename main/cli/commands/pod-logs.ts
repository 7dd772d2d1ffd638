// `podbay pod logs [-f] [--since T] [--until T] [--tail N] [-t] [-c CTR] POD` (podman pod logs): the
// members' logs merged in time order, each line prefixed with its container's name.
import { formatLogLine } from '../../core/oci/k8s-file-log.ts';
import { podLogs } from '../../core/pod-logs.ts';
import type { CommandSpec } from '../command.ts';
import { command as logs, logWindowFlags, parseTailFlag } from './logs.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'pod logs',
  summary: 'Fetch logs for pod with one or more containers',
  usage: 'pod logs [options] POD',
  minArgs: 1,
  maxArgs: 1,
  flags: {
    ...logs.flags,
    container: { type: 'string', short: 'c', description: 'Filter logs by container name or id which belongs to pod', valueName: 'CONTAINER' },
  },
  examples: ['podbay pod logs web', 'podbay pod logs -f --tail 10 -c db web'],
  async run(run) {
    const { flags, io } = run;
    const tail = parseTailFlag(flags.tail as string | undefined);
    const runtime = await openCliRuntime(run);
    try {
      const pod = runtime.lookupPod(run.args[0] as string);
      const timestamps = flags.timestamps === true;
      for await (const entry of podLogs(runtime, pod.id(), {
        ...logWindowFlags(flags, tail),
        signal: run.signal,
        ...(flags.container !== undefined ? { container: flags.container as string } : {}),
      })) {
        io[entry.line.stream === 'stderr' ? 'stderr' : 'stdout'](`${entry.containerName} ${formatLogLine(entry.line, timestamps)}`);
      }
    } catch (error) {
      if (!run.signal.aborted) throw error;
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
