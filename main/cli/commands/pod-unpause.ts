// `podbay pod unpause POD…`: thaws every paused container of the pod (podman pod unpause).
import { podActionCommand } from './pod-action.ts';

export const command = podActionCommand({ verb: 'unpause', summary: 'Unpause one or more pods', examples: ['podbay pod unpause web'] });
