// `podbay restart [-t SECONDS] CONTAINER…`: stop (if running), then start (podman restart).
import { actionCommand, timeoutFlag } from './container-action.ts';

export const command = actionCommand({
  name: 'restart',
  summary: 'Restart one or more containers',
  flags: { time: { type: 'string', short: 't', description: 'Seconds to wait for stop before killing the container', valueName: 'SECONDS' } },
  examples: ['podbay restart web'],
  act: (ctr, run) => {
    const timeout = timeoutFlag(run.flags.time);
    return ctr.restart({ signal: run.signal, ...(timeout !== undefined ? { timeout } : {}) });
  },
});
