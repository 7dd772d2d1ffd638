// Which images containers use, for ErrImageInUse (libpod checks its containers before removing an
// image). Each container records the ID of the image it was created from (container-config.ts
// `rootfsImage.id`), which is what is compared: re-tagging `busybox` to another image does not free
// the one a container runs on. Records written before IDs were recorded fall back to resolving the
// name they kept.
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
        const image = record.config.rootfsImage;
        if (!image) return false;
        if (image.id) return image.id === imageId;
        try {
          return store.lookupImageId(image.name) === imageId;
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
