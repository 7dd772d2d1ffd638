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
  /** The containers created from the image (what Remove names before it asks). */
  list: (imageId: string) => { id: string; name: string }[];
  /** `rmi -f`: removes (forcibly) the containers using the image. */
  removeUsers: (imageId: string) => Promise<void>;
}

export function containerImageUsers(runtime: () => Runtime, store: ImageStore, signal?: AbortSignal): ImageUsers {
  const records = (imageId: string) =>
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
      });
  const users = (imageId: string): string[] => records(imageId).map((record) => record.config.id);
  return {
    isInUse: (imageId) => users(imageId).length > 0,
    list: (imageId) => records(imageId).map((record) => ({ id: record.config.id, name: record.config.name })),
    removeUsers: async (imageId) => {
      const reports = await removeContainers(runtime(), users(imageId), true, signal);
      const failed = reports.find((r) => r.error);
      if (failed?.error) throw new Error(`removing container ${failed.nameOrId}: ${failed.error.message}`);
    },
  };
}
