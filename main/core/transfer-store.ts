// Files that cross the web host's HTTP boundary: an upload (an archive or tarball the browser sends
// for load/import) or a download (an archive `save` wrote for the browser to fetch). Each lives in
// `<runRoot>/transfers/` under a random 128-bit ID that names nothing else; IDs are checked before
// they form a path. Uploads are written to `.part` and renamed when complete, so a procedure never
// reads half a file. Anything older than `maxAgeMs` is swept. Shared by every transfer kind (image
// archives here; container export and cp downloads can use the same store).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PodbayError } from '../../shared/errors.ts';

export interface DownloadInfo {
  path: string;
  /** What the browser saves it as. */
  filename: string;
  contentType: string;
  bytes: number;
}

const idPattern = /^[0-9a-f]{32}$/;

export class TransferStore {
  readonly dir: string;
  private readonly maxAgeMs: number;

  constructor(dir: string, options: { maxAgeMs?: number } = {}) {
    this.dir = dir;
    this.maxAgeMs = options.maxAgeMs ?? 60 * 60 * 1000;
  }

  private ensure(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  private checkId(id: string): string {
    if (!idPattern.test(id)) throw new PodbayError('ErrInvalidArg', `invalid transfer id ${JSON.stringify(id.slice(0, 80))}`);
    return id;
  }

  /** A new upload: write to `partPath`, then `completeUpload`. */
  beginUpload(): { id: string; partPath: string } {
    this.ensure();
    this.sweep();
    const id = randomBytes(16).toString('hex');
    return { id, partPath: join(this.dir, `${id}.part`) };
  }

  completeUpload(id: string): void {
    renameSync(join(this.dir, `${this.checkId(id)}.part`), join(this.dir, `${id}.upload`));
  }

  abortUpload(id: string): void {
    rmSync(join(this.dir, `${this.checkId(id)}.part`), { force: true });
  }

  /** The path of a complete upload (ErrNoSuchImage-style not-found: ErrInvalidArg naming the id). */
  uploadPath(id: string): string {
    const path = join(this.dir, `${this.checkId(id)}.upload`);
    try {
      statSync(path);
    } catch {
      throw new PodbayError('ErrInvalidArg', `no uploaded file ${id}: upload it first (uploads are kept for an hour)`);
    }
    return path;
  }

  /** Removes an upload once a procedure consumed it. */
  release(id: string): void {
    rmSync(join(this.dir, `${this.checkId(id)}.upload`), { force: true });
  }

  /** A new download: the producer writes `path`, then `publishDownload`. */
  beginDownload(filename: string, contentType = 'application/x-tar'): { id: string; path: string } {
    this.ensure();
    this.sweep();
    const id = randomBytes(16).toString('hex');
    // The name only reaches Content-Disposition: strip paths and anything outside printable ASCII.
    const safe = basename(filename).replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, 200) || 'download';
    writeFileSync(join(this.dir, `${id}.meta`), JSON.stringify({ filename: safe, contentType }), { mode: 0o600 });
    return { id, path: join(this.dir, `${id}.download`) };
  }

  download(id: string): DownloadInfo {
    const path = join(this.dir, `${this.checkId(id)}.download`);
    let meta: { filename: string; contentType: string };
    let bytes: number;
    try {
      meta = JSON.parse(readFileSync(join(this.dir, `${id}.meta`), 'utf8')) as { filename: string; contentType: string };
      bytes = statSync(path).size;
    } catch {
      throw new PodbayError('ErrInvalidArg', `no download ${id} (downloads are kept for an hour and fetched once)`);
    }
    return { path, filename: meta.filename, contentType: meta.contentType, bytes };
  }

  removeDownload(id: string): void {
    this.checkId(id);
    rmSync(join(this.dir, `${id}.download`), { force: true });
    rmSync(join(this.dir, `${id}.meta`), { force: true });
  }

  /** Removes transfers older than the maximum age (a browser that never fetched or never finished). */
  sweep(now = Date.now()): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      try {
        if (now - statSync(join(this.dir, name)).mtimeMs > this.maxAgeMs) rmSync(join(this.dir, name), { force: true });
      } catch {
        // gone already
      }
    }
  }
}
