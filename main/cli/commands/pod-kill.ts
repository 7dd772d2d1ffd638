// `podbay pod kill [-s SIGNAL] POD…`: the signal (default KILL) to every running container of the pod.
import { podActionCommand } from './pod-action.ts';

export const command = podActionCommand({
  verb: 'kill',
  summary: 'Send the specified signal or SIGKILL to containers in a pod',
  flags: { signal: { type: 'string', short: 's', description: 'Signal to send to the containers in the pod', valueName: 'SIGNAL' } },
  examples: ['podbay pod kill web', 'podbay pod kill -s TERM web'],
  options: (run) => (run.flags.signal !== undefined ? { killSignal: run.flags.signal as string } : {}),
});
