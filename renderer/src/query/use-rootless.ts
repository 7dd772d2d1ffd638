// Whether the engine runs rootless (system.info's mode): the create dialogs then offer only what a
// rootless container can have — slirp4netns, none or host, and keep-id — instead of bridge networks.
import { useCall } from './use-call.ts';

/** False until system.info answers: rootful is the mode that offers more, and the engine refuses what cannot work. */
export function useRootless(): boolean {
  return useCall('system.info', {}).data?.podbay.mode === 'rootless';
}
