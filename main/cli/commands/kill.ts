// `podbay kill [-s SIGNAL] CONTAINER…`: sends a signal (default KILL) to each container (podman kill).
import { parseSignal } from '../../core/container-config.ts';
import { actionCommand } from './container-action.ts';

export const command = actionCommand({
  name: 'kill',
  summary: 'Kill one or more running containers with a specific signal',
  flags: { signal: { type: 'string', short: 's', description: 'Signal to send to the container (default KILL)', valueName: 'SIGNAL' } },
  examples: ['podbay kill web', 'podbay kill -s HUP web'],
  act: (ctr, run) => ctr.kill(parseSignal((run.flags.signal as string | undefined) ?? 'KILL'), { signal: run.signal }),
});
