// The image store's records: `<graphRoot>/storage.db`, beside the content store (`blobs/`) and the
// layer store (`layers/`), and separate from the container state's `podbay.db` — as podman keeps
// images and layers in containers/storage, apart from libpod's DB.
//
// Several processes open the file at once (daemonless): WAL lets readers run beside the one writer,
// every write is BEGIN IMMEDIATE (writers queue on busy_timeout instead of failing half-way), and
// synchronous=FULL makes a committed record survive power loss. Files are never deleted inside a
// transaction; deletion happens after, under a `gc` lease that excludes pulls (see `collectGarbage`).
//
// Invariants:
//  - an image row exists only once every blob and layer it names is on disk (pulls record in one
//    transaction after verifying and extracting everything);
//  - `blobs.refcount` / `layers.refcount` = rows in `image_blobs` / `image_layers` naming them,
//    recomputed in every transaction that changes those tables; rows at zero are deleted;
//  - a file under `blobs/` or `layers/` with no referencing image is garbage, removed by GC when no
//    pull is running (a running pull's content is not recorded yet).
import { openDatabase } from '../state/sqlite-open.ts';
import type { Database as Db, Statement } from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PodbayError, wrap } from '../../../shared/errors.ts';
import { currentProcessIdentity, holderAlive } from '../lock/lock-manager.ts';
import { sqliteIntegrityProblems } from '../state/sqlite-integrity.ts';
import type { ProcessIdentity } from '../lock/lock-manager.ts';
import { BlobStore } from './blob-store.ts';
import { isDigest, parseDigest } from './digest.ts';
import type { Digest } from './digest.ts';
import { LayerStore } from './layer-store.ts';
import type { ImageConfig } from './manifest.ts';
import type { ImageRecordSink, PulledImage } from './pull.ts';
import { defaultTag, parseUserReference, qualify } from './reference.ts';
import { latestStoreVersion, storeMigrations } from './migrations/index.ts';
import type { StoreMigration } from './migrations/migration.ts';
import { crashPoint } from '../crash-point.ts';

export const storeFileName = 'storage.db';

export interface LayerRecord {
  diffId: Digest;
  blobDigest: Digest;
  compressedSize: number;
  diffSize: number;
  mediaType: string;
  /** Images in this store using the layer. */
  refcount: number;
}

export interface ImageRecord {
  /** Config digest hex. */
  id: string;
  manifestDigest: Digest;
  manifestMediaType: string;
  listDigest: Digest | null;
  configDigest: Digest;
  config: ImageConfig;
  /** The config's `created`, else the time the image was stored (RFC 3339). */
  created: string;
  /** Sum of the layers' uncompressed sizes. */
  size: number;
  /** Unix ms when it entered this store. */
  storedAt: number;
  /** `domain/path:tag`, in the order they were added. */
  names: string[];
  /** `domain/path@digest`. */
  repoDigests: string[];
  /** Bottom layer first (the config's diff_ids order). */
  layers: LayerRecord[];
}

export interface ImageStoreOptions {
  /** How long a writer waits for another process's transaction (ms). */
  busyTimeoutMs?: number;
  /** Schema steps; tests pass a prefix to build an older store. */
  migrations?: readonly StoreMigration[];
  now?: () => number;
  /** Who this process is, for leases (tests fake other processes). */
  identity?: ProcessIdentity;
}

export interface RemoveImageOptions {
  /** Remove an image with several names when named by ID, and an image containers use (see isInUse). */
  force?: boolean;
  /** Whether a container uses the image (libpod checks its containers). Injected by the runtime. */
  isInUse?: (imageId: string) => boolean | Promise<boolean>;
  /** With `force`, removes the containers using the image before the image goes (podman `rmi -f`). */
  removeUsers?: (imageId: string) => Promise<void>;
}

export interface RemoveImageResult {
  imageId: string;
  untagged: string[];
  /** Image IDs whose records were deleted. */
  deleted: string[];
  /** Bytes of uncompressed layers whose last user went (their files go with the next sweep). */
  reclaimedBytes: number;
}

export interface GcReport {
  /** Why nothing was collected: another pull or collection is running. */
  skipped?: 'busy';
  removedBlobs: string[];
  removedLayers: string[];
  removedTemp: string[];
  /** Lease rows of processes that died (an interrupted pull) that were cleared. */
  deadLeases: number;
}

export interface CheckIssue {
  imageId: string;
  kind: 'missing-blob' | 'missing-layer';
  what: string;
}

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'));
}

/**
 * Applies each step above the store's version in its own BEGIN IMMEDIATE transaction; steps at or
 * below `known` (a version read earlier: it only grows) are skipped without taking the write lock.
 */
export function migrateStore(db: Db, steps: readonly StoreMigration[], known = 0): void {
  for (const step of steps) {
    if (step.version <= known) continue;
    db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current >= step.version) return;
      if (current !== step.version - 1) throw new PodbayError('ErrInternal', `image store schema step ${step.version} (${step.name}) cannot follow version ${current}`);
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
}

interface ImageRow {
  id: string;
  manifest_digest: string;
  manifest_media_type: string;
  list_digest: string | null;
  config_digest: string;
  config: string;
  created: string;
  size: number;
  stored_at: number;
}

interface LayerRow {
  diff_id: string;
  blob_digest: string;
  compressed_size: number;
  diff_size: number;
  media_type: string;
  refcount: number;
}

interface LeaseRow {
  token: string;
  kind: 'pull' | 'gc';
  pid: number;
  start_time: string;
  boot_id: string;
}

const hexRe = /^[a-f0-9]{1,64}$/;

export class ImageStore implements ImageRecordSink {
  readonly graphRoot: string;
  readonly path: string;
  readonly blobs: BlobStore;
  readonly layers: LayerStore;
  private db: Db | null;
  private readonly statements = new Map<string, Statement>();
  private readonly now: () => number;
  private readonly identity: ProcessIdentity;

  private constructor(graphRoot: string, path: string, db: Db, options: ImageStoreOptions) {
    this.graphRoot = graphRoot;
    this.path = path;
    this.db = db;
    this.blobs = new BlobStore(graphRoot);
    this.layers = new LayerStore(graphRoot);
    this.now = options.now ?? Date.now;
    this.identity = options.identity ?? currentProcessIdentity();
  }

  /**
   * Opens (creating if absent) `<graphRoot>/storage.db`. A file that is not a sound database →
   * ErrStoreCorrupt; one written by a newer Podbay → ErrStoreTooNew; both leave the file untouched.
   */
  static open(graphRoot: string, options: ImageStoreOptions = {}): ImageStore {
    const path = join(graphRoot, storeFileName);
    const existed = existsSync(path);
    if (!existed) mkdirSync(graphRoot, { recursive: true, mode: 0o700 });
    let db: Db;
    try {
      db = openDatabase(path, { fileMustExist: false });
    } catch (error) {
      if (isCorruption(error)) throw new PodbayError('ErrStoreCorrupt', `image store ${path} is not a valid database`, { cause: error });
      throw wrap(error, `opening image store ${path}`);
    }
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 30_000))}`);
      let version: number;
      try {
        version = db.pragma('user_version', { simple: true }) as number;
        if (existed) {
          const result = db.pragma('quick_check', { simple: true });
          if (result !== 'ok') throw new PodbayError('ErrStoreCorrupt', `image store ${path} failed its integrity check: ${String(result)}`);
        }
      } catch (error) {
        if (error instanceof PodbayError) throw error;
        if (isCorruption(error)) throw new PodbayError('ErrStoreCorrupt', `image store ${path} is not a valid database: ${(error as Error).message}`, { cause: error });
        throw wrap(error, `reading image store ${path}`);
      }
      const steps = options.migrations ?? storeMigrations;
      if (version > latestStoreVersion) {
        throw new PodbayError('ErrStoreTooNew', `image store ${path} has schema version ${version}, newer than this Podbay understands (${latestStoreVersion}): upgrade Podbay`);
      }
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrateStore(db, steps, version);
      return new ImageStore(graphRoot, path, db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.statements.clear();
  }

  private sql(text: string): Statement {
    if (!this.db) throw new PodbayError('ErrInternal', `image store ${this.path} is closed`);
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** One BEGIN IMMEDIATE transaction; `fn` must not await. */
  private write<T>(fn: () => T): T {
    if (!this.db) throw new PodbayError('ErrInternal', `image store ${this.path} is closed`);
    try {
      return this.db.transaction(() => {
        const result = fn();
        crashPoint('images.before-commit'); // killed with the transaction's writes not yet committed
        return result;
      }).immediate();
    } catch (error) {
      if (error instanceof PodbayError) throw error;
      const code = (error as { code?: unknown })?.code;
      if (code === 'SQLITE_BUSY') throw new PodbayError('ErrInternal', `image store ${this.path} stayed locked by another process`, { cause: error });
      if (isCorruption(error)) throw new PodbayError('ErrStoreCorrupt', `image store ${this.path} is corrupt: ${(error as Error).message}`, { cause: error });
      throw wrap(error, `writing image store ${this.path}`);
    }
  }

  /** A consistent snapshot for multi-statement reads. */
  private read<T>(fn: () => T): T {
    if (!this.db) throw new PodbayError('ErrInternal', `image store ${this.path} is closed`);
    return this.db.transaction(fn).deferred();
  }

  // Reads

  /** Every image, oldest first, with names, digests and layers (four queries, whatever the count). */
  list(): ImageRecord[] {
    return this.read(() => {
      const rows = this.sql('SELECT * FROM images ORDER BY stored_at, id').all() as ImageRow[];
      return this.hydrate(rows, true);
    });
  }

  private hydrate(rows: ImageRow[], all: boolean): ImageRecord[] {
    if (rows.length === 0) return [];
    const names = new Map<string, string[]>();
    const digests = new Map<string, string[]>();
    const layers = new Map<string, LayerRecord[]>();
    const push = <V>(map: Map<string, V[]>, key: string, value: V) => {
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    const where = all ? '' : ` WHERE image_id IN (${rows.map(() => '?').join(',')})`;
    const ids = all ? [] : rows.map((r) => r.id);
    for (const r of this.sql(`SELECT image_id, name FROM image_names${where} ORDER BY added_at, name`).all(...ids) as { image_id: string; name: string }[]) push(names, r.image_id, r.name);
    for (const r of this.sql(`SELECT image_id, repo_digest FROM image_digests${where} ORDER BY repo_digest`).all(...ids) as { image_id: string; repo_digest: string }[]) push(digests, r.image_id, r.repo_digest);
    const layerWhere = all ? '' : ` WHERE il.image_id IN (${rows.map(() => '?').join(',')})`;
    for (const r of this.sql(`SELECT il.image_id, l.* FROM image_layers il JOIN layers l ON l.diff_id = il.diff_id${layerWhere} ORDER BY il.image_id, il.position`).all(...ids) as (LayerRow & { image_id: string })[]) {
      push(layers, r.image_id, toLayer(r));
    }
    return rows.map((row) => ({
      id: row.id,
      manifestDigest: row.manifest_digest as Digest,
      manifestMediaType: row.manifest_media_type,
      listDigest: row.list_digest as Digest | null,
      configDigest: row.config_digest as Digest,
      config: JSON.parse(row.config) as ImageConfig,
      created: row.created,
      size: row.size,
      storedAt: row.stored_at,
      names: names.get(row.id) ?? [],
      repoDigests: digests.get(row.id) ?? [],
      layers: layers.get(row.id) ?? [],
    }));
  }

  /** By full ID → ErrNoSuchImage when absent. */
  getImage(id: string): ImageRecord {
    const row = this.sql('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
    if (!row) throw new PodbayError('ErrNoSuchImage', `${id}: image not known`);
    return this.read(() => this.hydrate([row], false)[0]!);
  }

  hasImage(id: string): boolean {
    return this.sql('SELECT 1 FROM images WHERE id = ?').get(id) !== undefined;
  }

  /**
   * libimage `LookupImage`: a full ID (optionally `sha256:`-prefixed), an exact name (`:latest`
   * added), a unique ID prefix, `repo@digest` or a manifest digest, then a short name matched
   * against the end of stored names (`busybox` → `…/busybox:latest`, `localhost/` preferred).
   * Not found → ErrNoSuchImage; several images for a short name or a prefix → ErrInvalidArg.
   */
  lookupImage(nameOrId: string): ImageRecord {
    return this.getImage(this.lookupImageId(nameOrId));
  }

  lookupImageId(nameOrId: string): string {
    if (typeof nameOrId !== 'string' || nameOrId === '') throw new PodbayError('ErrInvalidArg', 'must provide a non-empty image name or ID');
    const input = nameOrId.startsWith('sha256:') && /^sha256:[a-f0-9]{64}$/.test(nameOrId) ? nameOrId.slice(7) : nameOrId;
    if (/^[a-f0-9]{64}$/.test(input)) {
      if (this.hasImage(input)) return input;
      const byManifest = this.sql('SELECT id FROM images WHERE manifest_digest = ? OR list_digest = ? LIMIT 1').get(`sha256:${input}`, `sha256:${input}`) as { id: string } | undefined;
      if (byManifest) return byManifest.id;
    }
    if (isDigest(nameOrId)) throw notFound(nameOrId);
    let user: ReturnType<typeof parseUserReference> | undefined;
    try {
      user = parseUserReference(input);
    } catch {
      user = undefined;
    }
    if (user) {
      if (user.digest !== undefined) {
        const repo = user.domain !== undefined ? qualify(user, user.domain) : undefined;
        const rows = this.sql('SELECT image_id, repo_digest FROM image_digests WHERE repo_digest LIKE ? ESCAPE \'\\\'').all(`%@${user.digest}`) as { image_id: string; repo_digest: string }[];
        const matching = rows.filter((r) => {
          const name = r.repo_digest.slice(0, r.repo_digest.indexOf('@'));
          return repo ? name === `${repo.domain}/${repo.path}` : name === user!.path || name.endsWith(`/${user!.path}`);
        });
        const ids = [...new Set(matching.map((r) => r.image_id))];
        if (ids.length === 1) return ids[0]!;
        if (ids.length > 1) throw ambiguous(nameOrId, ids);
        throw notFound(nameOrId);
      }
      const tag = user.tag ?? defaultTag;
      if (user.domain !== undefined) {
        const q = qualify(user, user.domain);
        const exact = this.sql('SELECT image_id FROM image_names WHERE name = ?').get(`${q.domain}/${q.path}:${tag}`) as { image_id: string } | undefined;
        if (exact) return exact.image_id;
      }
    }
    if (hexRe.test(input) && input.length >= 3) {
      const rows = this.sql('SELECT id FROM images WHERE id >= ? AND id < ? ORDER BY id LIMIT 11').all(input, `${input}g`) as { id: string }[];
      if (rows.length === 1) return rows[0]!.id;
      if (rows.length > 1) throw ambiguous(nameOrId, rows.map((r) => r.id));
    }
    if (user && user.domain === undefined) {
      const tag = user.tag ?? defaultTag;
      const suffix = `/${user.path}:${tag}`;
      const rows = this.sql("SELECT image_id, name FROM image_names WHERE name LIKE ? ESCAPE '\\' ORDER BY added_at").all(`%${escapeLike(suffix)}`) as { image_id: string; name: string }[];
      const local = rows.find((r) => r.name === `localhost${suffix}`);
      if (local) return local.image_id;
      const ids = [...new Set(rows.map((r) => r.image_id))];
      if (ids.length === 1) return ids[0]!;
      if (ids.length > 1) throw ambiguous(nameOrId, ids, rows.map((r) => r.name));
    }
    throw notFound(nameOrId);
  }

  /** A layer this store has recorded (and therefore verified); undefined when unknown. */
  knownLayer(diffId: Digest): LayerRecord | undefined {
    const row = this.sql('SELECT * FROM layers WHERE diff_id = ?').get(diffId) as LayerRow | undefined;
    return row ? toLayer(row) : undefined;
  }

  /** Images whose layer stack includes `diffId`. */
  imagesUsingLayer(diffId: Digest): string[] {
    return (this.sql('SELECT DISTINCT image_id FROM image_layers WHERE diff_id = ?').all(diffId) as { image_id: string }[]).map((r) => r.image_id);
  }

  blobRefcount(digest: Digest): number {
    return (this.sql('SELECT refcount FROM blobs WHERE digest = ?').get(digest) as { refcount: number } | undefined)?.refcount ?? 0;
  }

  // Writes

  /**
   * Records a pulled image in one transaction: the image, its names (a name held by another image
   * moves here, as podman), repo digests, layers, blobs and reference counts. The caller has
   * verified every blob and extracted every layer (pull.ts does, under a pull lease).
   */
  recordPulledImage(image: PulledImage): void {
    const now = this.now();
    const manifestSize = this.blobSize(image.manifestDigest);
    const listSize = image.listDigest ? this.blobSize(image.listDigest) : 0;
    const configSize = this.blobSize(image.configDigest);
    this.write(() => {
      const layerSizes: number[] = [];
      for (const layer of image.layers) {
        const known = this.sql('SELECT diff_size FROM layers WHERE diff_id = ?').get(layer.diffId) as { diff_size: number } | undefined;
        const diffSize = layer.diffSize >= 0 ? layer.diffSize : (known?.diff_size ?? 0);
        layerSizes.push(diffSize);
        this.sql(
          `INSERT INTO layers (diff_id, blob_digest, compressed_size, diff_size, media_type, refcount) VALUES (?, ?, ?, ?, ?, 0)
           ON CONFLICT (diff_id) DO UPDATE SET diff_size = CASE WHEN excluded.diff_size > 0 THEN excluded.diff_size ELSE layers.diff_size END`,
        ).run(layer.diffId, layer.digest, layer.size, diffSize, layer.mediaType);
      }
      const size = layerSizes.reduce((a, b) => a + b, 0);
      const created = typeof image.config.created === 'string' && image.config.created !== '' ? image.config.created : new Date(now).toISOString();
      this.sql(
        `INSERT INTO images (id, manifest_digest, manifest_media_type, list_digest, config_digest, config, created, size, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET manifest_digest = excluded.manifest_digest, manifest_media_type = excluded.manifest_media_type,
           list_digest = excluded.list_digest, size = excluded.size`,
      ).run(image.id, image.manifestDigest, image.manifestMediaType, image.listDigest ?? null, image.configDigest, JSON.stringify(image.config), created, size, now);
      const previousBlobs = (this.sql('SELECT digest FROM image_blobs WHERE image_id = ?').all(image.id) as { digest: string }[]).map((r) => r.digest);
      const previousLayers = (this.sql('SELECT diff_id FROM image_layers WHERE image_id = ?').all(image.id) as { diff_id: string }[]).map((r) => r.diff_id);
      this.sql('DELETE FROM image_layers WHERE image_id = ?').run(image.id);
      this.sql('DELETE FROM image_blobs WHERE image_id = ?').run(image.id);
      image.layers.forEach((layer, i) => this.sql('INSERT INTO image_layers (image_id, position, diff_id) VALUES (?, ?, ?)').run(image.id, i, layer.diffId));
      const blobs: [Digest, number, string][] = [[image.manifestDigest, manifestSize, 'manifest'], [image.configDigest, configSize, 'config']];
      if (image.listDigest) blobs.push([image.listDigest, listSize, 'list']);
      for (const layer of image.layers) blobs.push([layer.digest, layer.size, 'layer']);
      for (const [digest, bytes, role] of blobs) {
        this.sql('INSERT INTO blobs (digest, size, refcount) VALUES (?, ?, 0) ON CONFLICT (digest) DO NOTHING').run(digest, bytes);
        this.sql('INSERT OR IGNORE INTO image_blobs (image_id, digest, role) VALUES (?, ?, ?)').run(image.id, digest, role);
      }
      for (const name of image.repoTags) this.sql('INSERT INTO image_names (name, image_id, added_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET image_id = excluded.image_id, added_at = excluded.added_at').run(name, image.id, now);
      const repoDigests = new Set(image.repoDigests);
      for (const tagged of image.repoTags) {
        const repo = tagged.slice(0, tagged.lastIndexOf(':'));
        repoDigests.add(`${repo}@${image.manifestDigest}`);
        if (image.listDigest) repoDigests.add(`${repo}@${image.listDigest}`);
      }
      for (const rd of repoDigests) this.sql('INSERT OR IGNORE INTO image_digests (image_id, repo_digest) VALUES (?, ?)').run(image.id, rd);
      this.recount([...previousBlobs, ...blobs.map((b) => b[0])], [...previousLayers, ...image.layers.map((l) => l.diffId)]);
    });
  }

  private blobSize(digest: Digest): number {
    try {
      return statSync(this.blobs.path(digest)).size;
    } catch (error) {
      throw new PodbayError('ErrNoSuchImage', `recording image: blob ${digest} is not in the store`, { cause: error });
    }
  }

  /** Recomputes reference counts of the given blobs and layers; deletes rows nothing references. Inside a write. */
  private recount(digests: readonly string[], diffIds: readonly string[]): void {
    for (const digest of new Set(digests)) {
      this.sql('UPDATE blobs SET refcount = (SELECT count(*) FROM image_blobs WHERE digest = ?) WHERE digest = ?').run(digest, digest);
      this.sql('DELETE FROM blobs WHERE digest = ? AND refcount = 0').run(digest);
    }
    for (const diffId of new Set(diffIds)) {
      this.sql('UPDATE layers SET refcount = (SELECT count(*) FROM image_layers WHERE diff_id = ?) WHERE diff_id = ?').run(diffId, diffId);
      this.sql('DELETE FROM layers WHERE diff_id = ? AND refcount = 0').run(diffId);
    }
  }

  /**
   * `podbay tag`: adds `name` (normalized: a short name gets `localhost/`, a missing tag `latest`,
   * as podman) to the image; a name held by another image moves. Returns the full name.
   */
  tag(nameOrId: string, newName: string): { imageId: string; name: string } {
    const name = normalizeTagName(newName);
    const imageId = this.lookupImageId(nameOrId);
    this.write(() => {
      if (!this.hasImage(imageId)) throw notFound(nameOrId);
      this.sql('INSERT INTO image_names (name, image_id, added_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET image_id = excluded.image_id, added_at = excluded.added_at').run(name, imageId, this.now());
    });
    return { imageId, name };
  }

  /**
   * `podbay untag`: removes `names` (normalized as for tag) from the image, or every name when none
   * is given. A name the image does not have → ErrInvalidArg naming it (podman's wording: "not tagged").
   */
  untag(nameOrId: string, names: readonly string[] = []): { imageId: string; removed: string[] } {
    const imageId = this.lookupImageId(nameOrId);
    const wanted = names.map(normalizeTagName);
    const removed = this.write(() => {
      const current = (this.sql('SELECT name FROM image_names WHERE image_id = ? ORDER BY added_at, name').all(imageId) as { name: string }[]).map((r) => r.name);
      const targets = wanted.length ? wanted : current;
      for (const name of targets) {
        if (!current.includes(name)) throw new PodbayError('ErrInvalidArg', `${name}: tag not known for image ${imageId.slice(0, 12)}`);
        this.sql('DELETE FROM image_names WHERE name = ?').run(name);
      }
      return targets;
    });
    return { imageId, removed };
  }

  /**
   * libimage `Image.Remove`: named by one of several names → only that name goes (untag); named by
   * ID with several names → ErrImageInUse-style refusal unless `force`; used by a container →
   * ErrImageInUse unless `force` (which removes those containers first, through `removeUsers`).
   * The record and its references go in one transaction; unreferenced files go in a sweep after it.
   */
  async remove(nameOrId: string, options: RemoveImageOptions = {}): Promise<RemoveImageResult> {
    const imageId = this.lookupImageId(nameOrId);
    const image = this.getImage(imageId);
    const byName = image.names.find((n) => n === tryNormalize(nameOrId)) ?? (image.names.length > 1 ? image.names.find((n) => nameMatchesShort(n, nameOrId)) : undefined);
    if (byName !== undefined && image.names.length > 1) {
      this.untag(imageId, [byName]);
      return { imageId, untagged: [byName], deleted: [], reclaimedBytes: 0 };
    }
    if (image.names.length > 1 && !options.force) {
      throw new PodbayError('ErrImageInUse', `unable to delete image "${imageId}" by ID with more than one tag (${image.names.join(', ')}): please force removal`);
    }
    if (options.isInUse && (await options.isInUse(imageId))) {
      if (!options.force || !options.removeUsers) {
        throw new PodbayError('ErrImageInUse', `image ${imageId.slice(0, 12)} is in use by a container: remove the container first${options.force ? '' : ' or force removal'}`);
      }
      await options.removeUsers(imageId);
    }
    const reclaimedBytes = this.write(() => {
      if (!this.hasImage(imageId)) throw notFound(nameOrId);
      const blobs = (this.sql('SELECT digest FROM image_blobs WHERE image_id = ?').all(imageId) as { digest: string }[]).map((r) => r.digest);
      const layers = (this.sql('SELECT il.diff_id, l.diff_size, l.refcount FROM image_layers il JOIN layers l ON l.diff_id = il.diff_id WHERE il.image_id = ?').all(imageId) as { diff_id: string; diff_size: number; refcount: number }[]);
      this.sql('DELETE FROM images WHERE id = ?').run(imageId);
      this.recount(blobs, layers.map((l) => l.diff_id));
      return layers.filter((l) => l.refcount <= 1).reduce((n, l) => n + l.diff_size, 0);
    });
    crashPoint('rmi.recorded');
    await this.collectGarbage();
    return { imageId, untagged: image.names, deleted: [imageId], reclaimedBytes };
  }

  // Leases and garbage collection

  private leases(): LeaseRow[] {
    return this.sql('SELECT token, kind, pid, start_time, boot_id FROM leases').all() as LeaseRow[];
  }

  private alive(row: LeaseRow): boolean {
    return holderAlive({ pid: row.pid, startTime: row.start_time, bootId: row.boot_id }, this.identity);
  }

  /** Dead processes' leases (an interrupted pull leaves one): their presence means garbage to collect. */
  hasDeadLeases(): boolean {
    return this.leases().some((l) => !this.alive(l));
  }

  /**
   * Registers a pull in progress so no collection removes content it has stored but not yet
   * recorded. Waits (outside any transaction) while a collection runs. Returns the lease token.
   */
  async beginPull(signal?: AbortSignal): Promise<string> {
    const token = randomUUID();
    for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
      const taken = this.write(() => {
        if (this.leases().some((l) => l.kind === 'gc' && this.alive(l))) return false;
        this.insertLease(token, 'pull');
        return true;
      });
      if (taken) return token;
      if (signal?.aborted) throw new PodbayError('ErrCanceled', 'waiting for an image garbage collection: canceled', { cause: signal.reason });
      await sleep(delay);
    }
  }

  endLease(token: string): void {
    this.write(() => this.sql('DELETE FROM leases WHERE token = ?').run(token));
  }

  private insertLease(token: string, kind: 'pull' | 'gc'): void {
    this.sql('INSERT INTO leases (token, kind, pid, start_time, boot_id, acquired_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      token,
      kind,
      this.identity.pid,
      this.identity.startTime,
      this.identity.bootId,
      this.now(),
    );
  }

  /**
   * Removes what no image references: blob files, layer directories, temp files of interrupted
   * writes, and dead processes' leases. Runs only when no pull is live in any process (their
   * content is not recorded yet): otherwise returns `skipped: 'busy'` and a later run collects.
   * Safe at start-up, after `rmi`, and for `system prune/check`. `keepLayers`: layers to keep even
   * though no image names them (containers still mount them: `system check` passes these).
   */
  async collectGarbage(options: { keepLayers?: ReadonlySet<string> } = {}): Promise<GcReport> {
    const report: GcReport = { removedBlobs: [], removedLayers: [], removedTemp: [], deadLeases: 0 };
    const token = randomUUID();
    const taken = this.write(() => {
      const leases = this.leases();
      const dead = leases.filter((l) => !this.alive(l));
      for (const l of dead) this.sql('DELETE FROM leases WHERE token = ?').run(l.token);
      report.deadLeases = dead.length;
      if (leases.some((l) => this.alive(l))) return false;
      this.insertLease(token, 'gc');
      return true;
    });
    if (!taken) return { ...report, skipped: 'busy' };
    try {
      const referencedBlobs = new Set((this.sql('SELECT DISTINCT digest FROM image_blobs').all() as { digest: string }[]).map((r) => r.digest));
      const referencedLayers = new Set((this.sql('SELECT DISTINCT diff_id FROM image_layers').all() as { diff_id: string }[]).map((r) => r.diff_id));
      for (const blob of await this.blobs.list()) {
        if (referencedBlobs.has(blob.digest)) continue;
        await this.blobs.delete(blob.digest);
        crashPoint('gc.removed');
        report.removedBlobs.push(blob.digest);
      }
      for (const diffId of this.layers.list()) {
        if (referencedLayers.has(diffId) || options.keepLayers?.has(diffId)) continue;
        this.layers.remove(diffId);
        crashPoint('gc.removed');
        report.removedLayers.push(diffId);
      }
      // No pull is live anywhere, so every temp file is an interrupted write's leftover.
      report.removedTemp.push(...this.blobs.removeTemp(0), ...this.layers.removeTemp(0));
      this.write(() => {
        this.sql('DELETE FROM blobs WHERE refcount = 0').run();
        this.sql('DELETE FROM layers WHERE refcount = 0').run();
      });
    } finally {
      this.endLease(token);
    }
    return report;
  }

  /**
   * `system check`: images whose content is missing on disk. With `repair`, those images' records
   * are removed (their remaining files become garbage for the next collection).
   */
  check(options: { repair?: boolean } = {}): CheckIssue[] {
    const issues: CheckIssue[] = [];
    for (const image of this.list()) {
      const blobs = (this.sql('SELECT digest FROM image_blobs WHERE image_id = ?').all(image.id) as { digest: string }[]).map((r) => r.digest);
      for (const digest of blobs) {
        if (!isDigest(digest) || !existsSync(this.blobs.path(digest))) issues.push({ imageId: image.id, kind: 'missing-blob', what: digest });
      }
      for (const layer of image.layers) {
        if (!this.layers.has(layer.diffId)) issues.push({ imageId: image.id, kind: 'missing-layer', what: layer.diffId });
      }
    }
    if (options.repair && issues.length > 0) {
      const broken = [...new Set(issues.map((i) => i.imageId))];
      this.write(() => {
        for (const id of broken) {
          const blobs = (this.sql('SELECT digest FROM image_blobs WHERE image_id = ?').all(id) as { digest: string }[]).map((r) => r.digest);
          const layers = (this.sql('SELECT diff_id FROM image_layers WHERE image_id = ?').all(id) as { diff_id: string }[]).map((r) => r.diff_id);
          this.sql('DELETE FROM images WHERE id = ?').run(id);
          this.recount(blobs, layers);
        }
      });
    }
    return issues;
  }

  /** SQLite's verdict on storage.db (see State.integrityProblems). */
  integrityProblems(quick: boolean): string[] {
    if (!this.db) throw new PodbayError('ErrInternal', `image store ${this.path} is closed`);
    return sqliteIntegrityProblems(this.db, quick);
  }

  /**
   * Reference counts that differ from the rows naming the blob or layer (the invariant in the header),
   * and rows nothing references any more. With `repair`, every count is recomputed and unreferenced
   * rows are deleted, in one transaction.
   */
  refcountProblems(options: { repair?: boolean } = {}): { kind: 'blob' | 'layer'; key: string; stored: number; actual: number }[] {
    const find = () => [
      ...(this.sql('SELECT b.digest AS key, b.refcount AS stored, (SELECT count(*) FROM image_blobs ib WHERE ib.digest = b.digest) AS actual FROM blobs b').all() as { key: string; stored: number; actual: number }[])
        .filter((r) => r.stored !== r.actual || r.actual === 0)
        .map((r) => ({ kind: 'blob' as const, ...r })),
      ...(this.sql('SELECT l.diff_id AS key, l.refcount AS stored, (SELECT count(*) FROM image_layers il WHERE il.diff_id = l.diff_id) AS actual FROM layers l').all() as { key: string; stored: number; actual: number }[])
        .filter((r) => r.stored !== r.actual || r.actual === 0)
        .map((r) => ({ kind: 'layer' as const, ...r })),
    ];
    if (!options.repair) return this.read(find);
    return this.write(() => {
      const found = find();
      this.recount(found.filter((p) => p.kind === 'blob').map((p) => p.key), found.filter((p) => p.kind === 'layer').map((p) => p.key));
      return found;
    });
  }

  /** Leases of live and of dead processes (a dead one is an interrupted pull or collection). */
  leaseCounts(): { live: number; dead: number } {
    const leases = this.leases();
    const live = leases.filter((l) => this.alive(l)).length;
    return { live, dead: leases.length - live };
  }

  /**
   * Deletes the records of these images (their content is damaged) in one transaction; their files
   * become garbage for the next collection. Returns the ids that were there.
   */
  removeDamaged(ids: readonly string[]): string[] {
    return this.write(() => {
      const removed: string[] = [];
      for (const id of ids) {
        if (!this.hasImage(id)) continue;
        const blobs = (this.sql('SELECT digest FROM image_blobs WHERE image_id = ?').all(id) as { digest: string }[]).map((r) => r.digest);
        const layers = (this.sql('SELECT diff_id FROM image_layers WHERE image_id = ?').all(id) as { diff_id: string }[]).map((r) => r.diff_id);
        this.sql('DELETE FROM images WHERE id = ?').run(id);
        this.recount(blobs, layers);
        removed.push(id);
      }
      return removed;
    });
  }

  /** The overlay lower dirs of an image, top layer first (what a container's rootfs mounts). */
  layerPaths(image: ImageRecord): string[] {
    return image.layers.map((l) => this.layers.diffPath(l.diffId)).reverse();
  }

  /** Removes the store's files entirely (tests; `system reset`). */
  static destroy(graphRoot: string): void {
    for (const name of [storeFileName, `${storeFileName}-wal`, `${storeFileName}-shm`, 'blobs', 'layers']) rmSync(join(graphRoot, name), { recursive: true, force: true });
  }
}

function toLayer(row: LayerRow): LayerRecord {
  return {
    diffId: parseDigest(row.diff_id),
    blobDigest: parseDigest(row.blob_digest),
    compressedSize: row.compressed_size,
    diffSize: row.diff_size,
    mediaType: row.media_type,
    refcount: row.refcount,
  };
}

function notFound(nameOrId: string): PodbayError {
  return new PodbayError('ErrNoSuchImage', `${nameOrId}: image not known`);
}

function ambiguous(nameOrId: string, ids: string[], names: string[] = []): PodbayError {
  const shown = ids.slice(0, 10).map((id) => id.slice(0, 12));
  return new PodbayError('ErrInvalidArg', `more than one image matches "${nameOrId}": ${shown.join(', ')}${names.length ? ` (${names.slice(0, 10).join(', ')})` : ''}`);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A name as podman stores a new tag: qualified (`localhost/` for short names) with a tag. */
export function normalizeTagName(input: string): string {
  const user = parseUserReference(input);
  if (user.digest !== undefined) throw new PodbayError('ErrInvalidArg', `${input}: a tag cannot contain a digest`);
  const q = user.domain !== undefined ? qualify(user, user.domain) : { domain: 'localhost', path: user.path };
  return `${q.domain}/${q.path}:${user.tag ?? defaultTag}`;
}

function tryNormalize(input: string): string | undefined {
  try {
    const user = parseUserReference(input);
    if (user.domain === undefined || user.digest !== undefined) return undefined;
    const q = qualify(user, user.domain);
    return `${q.domain}/${q.path}:${user.tag ?? defaultTag}`;
  } catch {
    return undefined;
  }
}

function nameMatchesShort(name: string, input: string): boolean {
  try {
    const user = parseUserReference(input);
    if (user.domain !== undefined || user.digest !== undefined) return false;
    return name.endsWith(`/${user.path}:${user.tag ?? defaultTag}`);
  } catch {
    return false;
  }
}

