// `podbay pause CONTAINER…`: freezes every process of each container (podman pause).
import { actionCommand } from './container-action.ts';

export const command = actionCommand({
  name: 'pause',
  summary: 'Pause all the processes in one or more containers',
  act: (ctr, run) => ctr.pause({ signal: run.signal }),
});
