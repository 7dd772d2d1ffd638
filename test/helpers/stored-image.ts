// Puts an image built offline (image-builder.ts) straight into a runtime's image store, as `load`
// records one: blobs into the content store, layers extracted from them, the image recorded under
// `names`. For tests that need an image in the store and no registry.
import { storeImage as recordImage } from '../../main/core/image/archive.ts';
import type { Descriptor } from '../../main/core/image/manifest.ts';
import type { Runtime } from '../../main/core/runtime.ts';
import { storeImage as putBlobs } from './image-builder.ts';
import type { BuiltImage } from './image-builder.ts';

/** Stores `image` in `runtime`'s graph root under `names` (full names, e.g. localhost/busybox:latest); returns its ID. */
export async function addImage(runtime: Runtime, image: BuiltImage, names: string[]): Promise<string> {
  const images = await runtime.images();
  await putBlobs(images.store.graphRoot, image);
  const manifest = JSON.parse(image.manifest.toString()) as { mediaType: string; config: Descriptor; layers: Descriptor[] };
  const pulled = await recordImage(images.store, { manifestDigest: image.manifestDigest, manifestMediaType: manifest.mediaType, config: manifest.config, layers: manifest.layers, names }, { knownLayer: (d) => images.store.knownLayer(d) });
  return pulled.id;
}
