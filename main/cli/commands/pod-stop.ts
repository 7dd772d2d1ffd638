// `podbay pod stop [-t SECONDS] POD…`: the members, then the infra container (podman pod stop).
import { timeoutFlag } from './container-action.ts';
import { podActionCommand } from './pod-action.ts';

export const command = podActionCommand({
  verb: 'stop',
  summary: 'Stop one or more pods',
  flags: { time: { type: 'string', short: 't', description: 'Seconds to wait for each container to stop before killing it', valueName: 'SECONDS' } },
  examples: ['podbay pod stop web', 'podbay pod stop -t 0 web'],
  options: (run) => {
    const timeout = timeoutFlag(run.flags.time);
    return timeout !== undefined ? { timeout } : {};
  },
});
