// `podbay stop [-t SECONDS] CONTAINER…`: the stop signal, then SIGKILL after the timeout (podman stop).
import { actionCommand, timeoutFlag } from './container-action.ts';

export const command = actionCommand({
  name: 'stop',
  summary: 'Stop one or more containers',
  flags: { time: { type: 'string', short: 't', description: 'Seconds to wait for stop before killing the container', valueName: 'SECONDS' } },
  examples: ['podbay stop web', 'podbay stop -t 0 web'],
  act: (ctr, run) => {
    const timeout = timeoutFlag(run.flags.time);
    return ctr.stop({ signal: run.signal, ...(timeout !== undefined ? { timeout } : {}) });
  },
});
