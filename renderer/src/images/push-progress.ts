// A push's frames folded into the same per-layer progress a pull shows (pull-progress.ts): each blob
// is a "layer" whose bytes go up instead of down, one that the registry already has counts as
// present. Pure, so the task list and its tests share one fold.
import type { ImagePullFrame, ImagePushFrame } from '../../../shared/types/images.ts';

/** The pull frame a push frame means for the progress display; null for frames that carry none. */
export function pushFrameAsPull(frame: ImagePushFrame): ImagePullFrame | null {
  switch (frame.type) {
    case 'push-started':
      return { type: 'manifest', reference: frame.reference, manifestDigest: '', layers: frame.blobs };
    case 'blob-exists':
    case 'blob-mounted':
      return { type: 'layer-exists', digest: frame.digest, size: frame.size };
    case 'blob-bytes':
      return { type: 'layer-bytes', digest: frame.digest, done: frame.done, total: frame.total, bytesPerSecond: frame.bytesPerSecond };
    case 'blob-done':
      return { type: 'layer-done', digest: frame.digest, size: frame.size };
    case 'manifest-written':
    case 'pushed':
      return null;
  }
}
