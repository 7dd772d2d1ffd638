// The layer store: extracted layers for overlay under `<graphRoot>/layers/<diffID hex>/diff`.
// Layers are keyed by DiffID (the sha256 of the uncompressed tar) rather than a chain ID: with
// overlay each layer directory holds only its own diff, whiteouts included, so its content does not
// depend on its parents and two images sharing a layer share the directory. A layer is extracted
// into `layers/.tmp-<random>/diff` and renamed into place only after its digests are verified, so
// `layers/<hex>` always holds a complete layer and a crash leaves only `.tmp-*` for GC.
// Extracted files are not fsynced (c/storage does not either): a layer can always be re-extracted
// from its blob, which is fsynced before it is published. After a power loss `system check`
// should verify layers it cannot trust (not yet written).
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { digestHex, parseDigest } from './digest.ts';
import type { Digest } from './digest.ts';

export const layerTempPrefix = '.tmp-';

export class LayerStore {
  readonly root: string;

  constructor(graphRoot: string) {
    this.root = join(graphRoot, 'layers');
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  /** `layers/<hex>` for a DiffID (validated before it forms a path). */
  layerPath(diffId: Digest): string {
    return join(this.root, digestHex(parseDigest(diffId)));
  }

  /** The directory overlay uses as a lower dir. */
  diffPath(diffId: Digest): string {
    return join(this.layerPath(diffId), 'diff');
  }

  has(diffId: Digest): boolean {
    try {
      return statSync(this.diffPath(diffId)).isDirectory();
    } catch {
      return false;
    }
  }

  /** A fresh private directory to extract into; `diff` inside it is the layer root. */
  createTemp(): { dir: string; diff: string } {
    const dir = join(this.root, `${layerTempPrefix}${randomBytes(12).toString('hex')}`);
    mkdirSync(dir, { mode: 0o700 });
    const diff = join(dir, 'diff');
    mkdirSync(diff, { mode: 0o755 });
    return { dir, diff };
  }

  /**
   * Publishes a verified temp layer. When another pull published the same DiffID meanwhile the
   * temp copy is dropped: the content is identical by definition.
   */
  async commit(tempDir: string, diffId: Digest): Promise<void> {
    try {
      await rename(tempDir, this.layerPath(diffId));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && this.has(diffId)) {
        await rm(tempDir, { recursive: true, force: true });
        return;
      }
      throw error;
    }
  }

  async discard(tempDir: string): Promise<void> {
    await rm(tempDir, { recursive: true, force: true });
  }

  /** Removes a layer; the caller has checked no image or container uses it. */
  remove(diffId: Digest): void {
    rmSync(this.layerPath(diffId), { recursive: true, force: true });
  }

  /** Leftovers of interrupted extractions (GC removes those not owned by a running pull). */
  listTemp(): string[] {
    return readdirSync(this.root).filter((n) => n.startsWith(layerTempPrefix)).map((n) => join(this.root, n));
  }

  /** Removes temp layer dirs older than `olderThanMs` (see BlobStore.removeTemp); returns them. */
  removeTemp(olderThanMs: number, now = Date.now()): string[] {
    const removed: string[] = [];
    for (const dir of this.listTemp()) {
      try {
        if (now - statSync(dir).mtimeMs < olderThanMs) continue;
      } catch {
        continue;
      }
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
    return removed;
  }

  list(): Digest[] {
    const out: Digest[] = [];
    for (const name of readdirSync(this.root)) {
      if (name.startsWith(layerTempPrefix)) continue;
      try {
        out.push(parseDigest(`sha256:${name}`));
      } catch {
        // not ours
      }
    }
    return out;
  }
}
