// `podbay pod restart POD…`: stop (members, then infra), then start (infra, then members).
import { timeoutFlag } from './container-action.ts';
import { podActionCommand } from './pod-action.ts';

export const command = podActionCommand({
  verb: 'restart',
  summary: 'Restart one or more pods',
  flags: { time: { type: 'string', short: 't', description: 'Seconds to wait for each container to stop before killing it', valueName: 'SECONDS' } },
  examples: ['podbay pod restart web'],
  options: (run) => {
    const timeout = timeoutFlag(run.flags.time);
    return timeout !== undefined ? { timeout } : {};
  },
});
