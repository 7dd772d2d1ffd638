// `podbay pod inspect POD…`: a JSON array (podman 5), one entry per pod found; names not found are
// reported after it, and the exit code is 125.
import { inspectPodWithNetwork } from '../../core/pod-inspect.ts';
import type { CommandSpec } from '../command.ts';
import { inspectEach } from './inspect-each.ts';
import { toPodmanPodJson } from './pod-ps.ts';

export const command: CommandSpec = {
  name: 'pod inspect',
  summary: 'Display information describing a pod',
  usage: 'pod inspect [options] POD [POD...]',
  minArgs: 1,
  flags: {
    format: { type: 'string', short: 'f', description: "Output format: 'json' (default)", valueName: 'FORMAT' },
  },
  examples: ['podbay pod inspect web'],
  run: (run) => inspectEach(run, async (runtime, nameOrId) => toPodmanPodJson(await inspectPodWithNetwork(runtime, runtime.lookupPod(nameOrId)))),
};
