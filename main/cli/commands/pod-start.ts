// `podbay pod start POD…`: the infra container first, then the members (podman pod start).
import { podActionCommand } from './pod-action.ts';

export const command = podActionCommand({
  verb: 'start',
  summary: 'Start one or more pods',
  examples: ['podbay pod start web'],
});
