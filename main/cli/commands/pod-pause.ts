// `podbay pod pause POD…`: freezes every running container of the pod (podman pod pause).
import { podActionCommand } from './pod-action.ts';

export const command = podActionCommand({ verb: 'pause', summary: 'Pause one or more pods', examples: ['podbay pod pause web'] });
