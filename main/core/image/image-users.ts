// Which images containers use, for ErrImageInUse (libpod checks its containers before removing an
// image). The container state records the image as the user named it (container-config.ts
// `rootfsImage.name`); it is resolved through the image store here, so a container created from
// `busybox` protects the image `busybox` names now. Once containers record the image ID, the lead
// can compare IDs directly.
import { removeContainers } from '../runtime-batch.ts';
import type { Runtime } from '../runtime.ts';
import type { ImageStore } from './image-store.ts';

export interface ImageUsers {
  isInUse: (imageId: string) => boolean;
  /** `rmi -f`: removes (forcibly) the containers using the image. */
  removeUsers: (imageId: string) => Promise<void>;
}

export function containerImageUsers(runtime: () => Runtime, store: ImageStore, signal?: AbortSignal): ImageUsers {
  const users = (imageId: string): string[] =>
    runtime()
      .state()
      .allContainers()
      .filter((record) => {
        const name = record.config.rootfsImage?.name;
        if (!name) return false;
        try {
          return store.lookupImageId(name) === imageId;
        } catch {
          return false;
        }
      })
      .map((record) => record.config.id);
  return {
    isInUse: (imageId) => users(imageId).length > 0,
    removeUsers: async (imageId) => {
      const reports = await removeContainers(runtime(), users(imageId), true, signal);
      const failed = reports.find((r) => r.error);
      if (failed?.error) throw new Error(`removing container ${failed.nameOrId}: ${failed.error.message}`);
    },
  };
}
