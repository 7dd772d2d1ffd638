// `podbay unpause CONTAINER…`: thaws paused containers (podman unpause).
import { actionCommand } from './container-action.ts';

export const command = actionCommand({
  name: 'unpause',
  summary: 'Unpause the processes in one or more containers',
  act: (ctr, run) => ctr.unpause({ signal: run.signal }),
});
