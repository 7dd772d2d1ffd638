// The content store: manifests, configs and compressed layer blobs exactly as pulled, named by
// digest under `<graphRoot>/blobs/<algorithm>/<hex>`. Blobs are written to a temp file in the same
// directory, verified (digest and size) while streaming, fsynced, then renamed into place, so a
// reader never sees a partial blob and a crash leaves only `.tmp-*` garbage for `listTemp`/GC.
// Nothing here knows about reference counts: the state engineer's records decide what is in use.
import { createReadStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PodbayError } from '../../../shared/errors.ts';
import { Hasher, digestAlgorithm, digestHex, parseDigest } from './digest.ts';
import type { Digest, DigestAlgorithm } from './digest.ts';
import { crashPoint } from '../crash-point.ts';

export const tempPrefix = '.tmp-';
const maxInFlight = 8;

export interface BlobInfo {
  digest: Digest;
  size: number;
}

export interface TempBlobFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Throws ErrCanceled when the signal has fired; the reason is kept as the cause. */
export function throwIfAborted(signal: AbortSignal | undefined, doing: string): void {
  if (signal?.aborted) throw new PodbayError('ErrCanceled', `${doing}: canceled`, { cause: signal.reason });
}

/**
 * One blob being written. `write` appends and hashes; `commit` verifies and publishes; `abort`
 * removes the temp file. After `commit` or `abort` the writer is spent. Not safe for concurrent
 * `write` calls: await each one (the pull pipeline does).
 */
export class BlobWriter {
  private readonly hasher: Hasher;
  private done = false;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly store: BlobStore,
    private readonly handle: FileHandle,
    readonly tempPath: string,
    private readonly expected: { digest?: Digest; size?: number },
    algorithm: DigestAlgorithm,
  ) {
    this.hasher = new Hasher(algorithm);
  }

  get bytes(): number {
    return this.hasher.bytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.done) throw new PodbayError('ErrInternal', 'writing a finished blob');
    // Refuse as soon as the stream exceeds what the manifest promised: a registry cannot make us
    // store more than the descriptor's size (a hostile endless body).
    if (this.expected.size !== undefined && this.hasher.bytes + chunk.length > this.expected.size) {
      await this.abort();
      throw new PodbayError('ErrInvalidArg', `blob ${this.expected.digest ?? ''}: more data than the expected ${this.expected.size} bytes`);
    }
    const position = this.hasher.bytes;
    this.hasher.update(chunk);
    // Positional writes let several chunks be in flight in the thread pool while the caller hashes
    // and decompresses the next ones; at most `maxInFlight` are pending, so memory stays bounded.
    // The caller must not reuse `chunk` (fetch and stream chunks are fresh buffers).
    const write = this.writeAll(chunk, position);
    this.inFlight.add(write);
    write.catch(() => undefined).finally(() => this.inFlight.delete(write));
    if (this.inFlight.size >= maxInFlight) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }

  private async writeAll(chunk: Uint8Array, position: number): Promise<void> {
    try {
      let offset = 0;
      while (offset < chunk.length) {
        const { bytesWritten } = await this.handle.write(chunk, offset, chunk.length - offset, position + offset);
        offset += bytesWritten;
      }
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }

  /** Waits for every pending write; rethrows the first write error. */
  async flush(): Promise<void> {
    await this.settle();
  }

  private async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    if (this.failure) throw this.failure;
  }

  /** Verifies size and digest, fsyncs, renames into place. A mismatch removes the temp file. */
  async commit(): Promise<BlobInfo> {
    if (this.done) throw new PodbayError('ErrInternal', 'committing a finished blob');
    const size = this.hasher.bytes;
    const digest = this.hasher.digest();
    const what = `blob ${this.expected.digest ?? digest}`;
    try {
      await this.settle();
      if (this.expected.size !== undefined && size !== this.expected.size) {
        throw new PodbayError('ErrInvalidArg', `${what}: size ${size} does not match the expected ${this.expected.size}`);
      }
      if (this.expected.digest !== undefined && digest !== this.expected.digest) {
        throw new PodbayError('ErrInvalidArg', `${what}: digest did not match, expected ${this.expected.digest}, got ${digest}`);
      }
      await this.handle.sync();
      await this.handle.close();
      this.done = true;
      crashPoint('blob.synced');
      const finalPath = this.store.path(digest);
      await rename(this.tempPath, finalPath);
      await this.store.syncDir(digestAlgorithm(digest));
      crashPoint('blob.renamed');
      return { digest, size };
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  async abort(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    if (!this.done) {
      this.done = true;
      await this.handle.close().catch(() => undefined);
    }
    await rm(this.tempPath, { force: true });
  }
}

export class BlobStore {
  readonly root: string;

  /** `graphRoot` is created if missing; blob directories are 0700 (blobs may be private images). */
  constructor(graphRoot: string) {
    this.root = join(graphRoot, 'blobs');
    for (const algorithm of ['sha256', 'sha512']) mkdirSync(join(this.root, algorithm), { recursive: true, mode: 0o700 });
  }

  /** The path of a blob. Accepts only a validated digest (re-checked: the brand is a compile-time promise). */
  path(digest: Digest): string {
    const valid = parseDigest(digest);
    return join(this.root, digestAlgorithm(valid), digestHex(valid));
  }

  async stat(digest: Digest): Promise<BlobInfo | undefined> {
    try {
      const s = await stat(this.path(digest));
      return s.isFile() ? { digest, size: s.size } : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async has(digest: Digest): Promise<boolean> {
    return (await this.stat(digest)) !== undefined;
  }

  /** Starts a blob. With `expected.digest` the commit verifies it; without, the blob is named by what was written. */
  async createWriter(expected: { digest?: Digest; size?: number } = {}): Promise<BlobWriter> {
    const algorithm = expected.digest ? digestAlgorithm(parseDigest(expected.digest)) : 'sha256';
    const tempPath = join(this.root, algorithm, `${tempPrefix}${randomBytes(12).toString('hex')}`);
    const handle = await open(tempPath, 'wx', 0o644);
    return new BlobWriter(this, handle, tempPath, expected, algorithm);
  }

  /** Stores a stream, verifying it. Never holds more than one chunk in memory. */
  async put(
    source: AsyncIterable<Uint8Array>,
    expected: { digest?: Digest; size?: number } = {},
    options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
  ): Promise<BlobInfo> {
    return (await this.putUncommitted(source, expected, options)).committed;
  }

  /**
   * Like `put`, but resolves once every byte is written, with the commit (verify, fsync, rename)
   * still running in `committed`: a reader of a sequential archive reads the next member while the
   * kernel flushes this one (each 25 MiB fsync of a load took ~35 ms). `committed` is already
   * handled (no unhandled rejection); the caller must still await it before using the blob.
   */
  async putUncommitted(
    source: AsyncIterable<Uint8Array>,
    expected: { digest?: Digest; size?: number } = {},
    options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
  ): Promise<{ committed: Promise<BlobInfo> }> {
    const writer = await this.createWriter(expected);
    try {
      for await (const chunk of source) {
        throwIfAborted(options.signal, `storing blob ${expected.digest ?? ''}`);
        await writer.write(chunk);
        options.onBytes?.(writer.bytes);
      }
    } catch (error) {
      await writer.abort();
      throw error;
    }
    const committed = writer.commit();
    committed.catch(() => undefined);
    return { committed };
  }

  async putBytes(data: Uint8Array, expectedDigest?: Digest): Promise<BlobInfo> {
    return this.put((async function* () { yield data; })(), { digest: expectedDigest, size: expectedDigest ? data.length : undefined });
  }

  /** Streams a blob. A missing blob is ErrNoSuchImage: image content that is not in the store. */
  read(digest: Digest, options: { start?: number; highWaterMark?: number } = {}): Readable {
    const path = this.path(digest);
    try {
      statSync(path);
    } catch (error) {
      throw new PodbayError('ErrNoSuchImage', `blob ${digest} is not in the store`, { cause: error });
    }
    return createReadStream(path, { start: options.start, highWaterMark: options.highWaterMark });
  }

  /** Reads a small blob (manifest, config) whole, refusing anything larger than `maxBytes`. */
  async readBytes(digest: Digest, maxBytes = 4 * 1024 * 1024): Promise<Buffer> {
    const info = await this.stat(digest);
    if (!info) throw new PodbayError('ErrNoSuchImage', `blob ${digest} is not in the store`);
    if (info.size > maxBytes) throw new PodbayError('ErrInvalidArg', `blob ${digest} is ${info.size} bytes, more than the ${maxBytes} allowed here`);
    const handle = await open(this.path(digest), 'r');
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  /** Removes a blob; the caller has checked it is unreferenced. Missing blobs are fine. */
  async delete(digest: Digest): Promise<void> {
    await rm(this.path(digest), { force: true });
  }

  /** Every stored blob (skips temp files and anything whose name is not a valid digest). */
  async list(): Promise<BlobInfo[]> {
    const out: BlobInfo[] = [];
    for (const algorithm of ['sha256', 'sha512'] as const) {
      for (const name of await readdir(join(this.root, algorithm))) {
        if (name.startsWith(tempPrefix)) continue;
        let digest: Digest;
        try {
          digest = parseDigest(`${algorithm}:${name}`);
        } catch {
          continue;
        }
        const info = await this.stat(digest);
        if (info) out.push(info);
      }
    }
    return out;
  }

  /** Temp files left by interrupted writes. A GC removes those older than any running pull. */
  listTemp(): TempBlobFile[] {
    const out: TempBlobFile[] = [];
    for (const algorithm of ['sha256', 'sha512']) {
      const dir = join(this.root, algorithm);
      for (const name of readdirSync(dir)) {
        if (!name.startsWith(tempPrefix)) continue;
        try {
          const s = statSync(join(dir, name));
          out.push({ path: join(dir, name), size: s.size, mtimeMs: s.mtimeMs });
        } catch {
          // Removed meanwhile by its writer: not garbage.
        }
      }
    }
    return out;
  }

  /**
   * Removes temp files older than `olderThanMs` (a running pull's temp file is younger: it is
   * written continuously). For `system check` / prune; returns what was removed.
   */
  removeTemp(olderThanMs: number, now = Date.now()): string[] {
    const removed: string[] = [];
    for (const temp of this.listTemp()) {
      if (now - temp.mtimeMs < olderThanMs) continue;
      rmSync(temp.path, { force: true });
      removed.push(temp.path);
    }
    return removed;
  }

  /** fsyncs a blob directory so a rename survives a crash. */
  async syncDir(algorithm: DigestAlgorithm): Promise<void> {
    const handle = await open(join(this.root, algorithm), 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
