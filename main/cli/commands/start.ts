// `podbay start CONTAINER…`: creates each in the OCI runtime when needed and starts it (podman start).
import { actionCommand } from './container-action.ts';

export const command = actionCommand({
  name: 'start',
  summary: 'Start one or more containers',
  examples: ['podbay start web'],
  act: (ctr, run) => ctr.start({ signal: run.signal }),
});
