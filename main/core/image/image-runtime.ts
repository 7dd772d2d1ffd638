// The image verbs every front end shares (libimage's Runtime over c/storage): list, inspect, resolve,
// pull (recorded in the store, with events), push, tag, untag, remove, prune. The CLI commands and the
// contract's handlers are thin adapters over this class.
import { hostIdentity } from '../rootless/host-identity.ts';
import { PodbayError } from '../../../shared/errors.ts';
import type {
  ImageInspect,
  ImageListItem,
  ImagePruneReport,
  ImagePullFrame,
  ImagePushFrame,
  ImageRemoveReport,
  ImageResolution,
} from '../../../shared/types/images.ts';
import type { EventLog } from '../events/event-log.ts';
import type { Credentials } from './auth.ts';
import { ImageStore } from './image-store.ts';
import type { GcReport, ImageRecord, RemoveImageOptions } from './image-store.ts';
import type { Platform } from './manifest.ts';
import type { PulledImage, PullOptions } from './pull.ts';
import { formatReference, parseUserReference, qualify, withDefaultTag } from './reference.ts';
import type { RegistriesConf } from './registries-conf.ts';
import type { SignaturePolicy } from './signature-policy.ts';

export interface ImageRuntimeOptions {
  graphRoot: string;
  /**
   * Loaded on first use (pull, push, resolve): listing never parses registries.conf. The registry
   * modules are imported on demand too, so `podbay images` loads only the store.
   */
  registriesConf?: () => RegistriesConf | Promise<RegistriesConf>;
  events?: EventLog;
  /** Whether a container uses the image (ErrImageInUse on removal). */
  isInUse?: RemoveImageOptions['isInUse'];
  /** Removes the containers using an image (`rmi -f`). */
  removeUsers?: RemoveImageOptions['removeUsers'];
  /** Opened store (tests); otherwise `<graphRoot>/storage.db`. */
  store?: ImageStore;
  /** Collect an interrupted pull's garbage on open (default true). */
  recover?: boolean;
  /**
   * policy.json (libpod WithSignaturePolicy; podbay.conf `signature_policy_path`). Unset or the
   * default /etc/containers/policy.json: c/image's lookup ($HOME/.config/containers/policy.json
   * first). Enforced on pull and load.
   */
  signaturePolicyPath?: string;
}

const defaultPolicyPath = '/etc/containers/policy.json';

/** Per-call registry options, as podman's flags. */
export interface RegistryCallOptions {
  /** false: plain HTTP / unverified TLS allowed (`--tls-verify=false`). */
  tlsVerify?: boolean;
  /** `--creds`. */
  credentials?: Credentials;
  /** `--authfile`. */
  authFile?: string;
  signal?: AbortSignal;
  /** Test hooks forwarded to the registry client. */
  fetch?: typeof fetch;
  certsDirs?: string[];
}

export interface PullImageOptions extends RegistryCallOptions {
  /** `--signature-policy` for this call. */
  signaturePolicyPath?: string;
  platform?: Platform;
  allTags?: boolean;
  onFrame?: (frame: ImagePullFrame) => void;
  /** Extra pull options (tests: extraction options, concurrency). */
  pull?: Partial<PullOptions>;
}

export interface PushImageOptions extends RegistryCallOptions {
  onFrame?: (frame: ImagePushFrame) => void;
}

/** Root of the rootless user namespace: owners map, but devices and trusted.* xattrs cannot be made. */
function namespaceExtract(): { extract?: { userNamespace: true } } {
  return hostIdentity().inUserNamespace ? { extract: { userNamespace: true } } : {};
}

export class ImageRuntime {
  readonly store: ImageStore;
  private readonly options: ImageRuntimeOptions;
  private conf: RegistriesConf | undefined;

  private constructor(store: ImageStore, options: ImageRuntimeOptions) {
    this.store = store;
    this.options = options;
  }

  /** Opens the store; when an earlier process died mid-pull, collects its garbage first. */
  static async open(options: ImageRuntimeOptions): Promise<ImageRuntime> {
    const store = options.store ?? ImageStore.open(options.graphRoot);
    if (options.recover !== false && store.hasDeadLeases()) await store.collectGarbage();
    return new ImageRuntime(store, options);
  }

  close(): void {
    this.store.close();
  }

  async registries(): Promise<RegistriesConf> {
    if (!this.conf) {
      this.conf = this.options.registriesConf ? await this.options.registriesConf() : (await import('./registries-conf.ts')).emptyRegistriesConf();
    }
    return this.conf;
  }

  /** The signature policy for a call: its own path (`--signature-policy`), else the runtime's. */
  async signaturePolicy(path?: string): Promise<SignaturePolicy> {
    const { loadSignaturePolicy } = await import('./signature-policy.ts');
    const chosen = path ?? this.options.signaturePolicyPath;
    return loadSignaturePolicy({ path: chosen ?? defaultPolicyPath, explicit: chosen !== undefined && chosen !== defaultPolicyPath });
  }

  private emit(action: string, id: string, name: string): void {
    this.options.events?.write({ type: 'image', action, id, name });
  }

  // Reads

  /**
   * `podbay images`: filters as podman (`dangling`, `label`, `reference`, `before`, `since`, `id`,
   * `intermediate`). `hideIntermediate` (podman without `-a`) drops intermediate images: nameless
   * images whose layers are a strict prefix of another image's (a build's parents).
   */
  list(filters: Record<string, readonly string[]> = {}, options: { hideIntermediate?: boolean } = {}): ImageListItem[] {
    const records = this.store.list();
    const layerUsers = new Map<string, number>();
    for (const r of records) for (const l of new Set(r.layers.map((x) => x.diffId))) layerUsers.set(l, (layerUsers.get(l) ?? 0) + 1);
    const needsIntermediate = options.hideIntermediate === true || (filters.intermediate?.length ?? 0) > 0;
    const intermediate = needsIntermediate ? intermediateImages(records) : new Set<string>();
    let items = records.map((r) => toListItem(r, layerUsers));
    if (options.hideIntermediate) items = items.filter((i) => !intermediate.has(i.id));
    return applyFilters(items, filters, (nameOrId) => toListItem(this.store.lookupImage(nameOrId), layerUsers), (id) => intermediate.has(id));
  }

  inspect(nameOrId: string): ImageInspect {
    const record = this.store.lookupImage(nameOrId);
    const users = new Map<string, number>();
    for (const l of record.layers) users.set(l.diffId, l.refcount);
    const config = record.config as unknown as Record<string, unknown>;
    return {
      ...toListItem(record, users),
      manifestMediaType: record.manifestMediaType,
      listDigest: record.listDigest,
      configDigest: record.configDigest,
      architecture: String(config.architecture ?? ''),
      os: String(config.os ?? ''),
      variant: typeof config.variant === 'string' ? config.variant : null,
      author: typeof config.author === 'string' ? config.author : null,
      config: (config.config as Record<string, unknown> | undefined) ?? {},
      history: Array.isArray(config.history) ? (config.history as ImageInspect['history']) : [],
      layers: record.layers.map((l) => ({ digest: l.blobDigest, diffId: l.diffId, size: l.compressedSize, diffSize: l.diffSize, mediaType: l.mediaType })),
      layerPaths: this.store.layerPaths(record),
    };
  }

  /**
   * What a container started from `nameOrId` mounts: the image record and its overlay lower dirs,
   * top layer first (`withRootFSFromImage` resolves through this).
   */
  rootfsLayers(nameOrId: string): { image: ImageRecord; lowerDirs: string[] } {
    const image = this.store.lookupImage(nameOrId);
    return { image, lowerDirs: this.store.layerPaths(image) };
  }

  /** `images.resolve`: the references a pull of `input` would try, in order. */
  async resolve(input: string): Promise<ImageResolution> {
    const { resolveShortName } = await import('./registries-conf.ts');
    const r = resolveShortName(await this.registries(), input.trim(), { interactive: false });
    return { input, origin: r.origin, candidates: r.candidates.map((c) => formatReference(withDefaultTag(c))) };
  }

  // Pull and push

  /**
   * Pulls `input` (or every tag of it) into the store under a pull lease, records each image in one
   * transaction, and writes a `pull` event. Frames: `resolved` first, then progress, then `image`
   * for each image. Cancelling (`signal`) aborts the transfer; only garbage a collection removes
   * is left behind.
   */
  async pull(input: string, options: PullImageOptions = {}): Promise<ImageListItem[]> {
    const frame = options.onFrame ?? (() => undefined);
    const conf = await this.registries();
    const resolution = await this.resolve(input);
    const { pullAllTags, pullImage } = await import('./pull.ts');
    frame({ type: 'resolved', resolution });
    const policy = await this.signaturePolicy(options.signaturePolicyPath);
    return this.underPullLease(options.signal, async () => {
      const pullOptions: PullOptions = {
        graphRoot: this.store.graphRoot,
        registriesConf: conf,
        tlsVerify: options.tlsVerify,
        auth: options.credentials ? { credentials: options.credentials } : undefined,
        authFilePaths: options.authFile ? [options.authFile] : undefined,
        platform: options.platform,
        signal: options.signal,
        onProgress: (event) => frame(event),
        records: this.store,
        knownLayer: (diffId) => this.store.knownLayer(diffId),
        fetch: options.fetch,
        certsDirs: options.certsDirs,
        policy,
        ...namespaceExtract(),
        ...options.pull,
      };
      const pulled: PulledImage[] = options.allTags ? await pullAllTags(input, pullOptions) : [await pullImage(input, pullOptions)];
      const items: ImageListItem[] = [];
      for (const image of pulled) {
        this.emit('pull', image.id, image.repoTags[0] ?? image.repoDigests[0] ?? input);
        const item = this.listItem(image.id);
        items.push(item);
        frame({ type: 'image', image: item });
      }
      return items;
    });
  }

  /**
   * Runs `work` under a pull lease (no collection removes what it stores before it is recorded); on
   * failure the lease ends first and what it left is collected.
   */
  private async underPullLease<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    const lease = await this.store.beginPull(signal);
    try {
      return await work();
    } catch (error) {
      this.store.endLease(lease);
      await this.collectAfterFailure();
      throw error;
    } finally {
      this.store.endLease(lease);
    }
  }

  /** A failed or cancelled pull/load leaves content it stored but never recorded: collect it now (skipped while other pulls run). */
  private async collectAfterFailure(): Promise<void> {
    try {
      await this.store.collectGarbage();
    } catch {
      // Best effort: the next start collects what is left.
    }
  }

  private listItem(id: string): ImageListItem {
    const record = this.store.getImage(id);
    const users = new Map<string, number>();
    for (const l of record.layers) users.set(l.diffId, l.refcount);
    return toListItem(record, users);
  }

  /**
   * `podbay push IMAGE [DESTINATION]`: the stored manifest, config and layers byte for byte. Without
   * a destination the image's name is used (a name, not an ID, must then have been given).
   */
  async push(source: string, destination: string | undefined, options: PushImageOptions = {}): Promise<{ reference: string; manifestDigest: string }> {
    const image = this.store.lookupImage(source);
    let target = destination;
    if (target === undefined) {
      const named = image.names.find((n) => n === source || n.endsWith(`/${source}`) || n.endsWith(`/${source}:latest`));
      if (!named) throw new PodbayError('ErrInvalidArg', `${source}: give a destination to push an image named by ID`);
      target = named;
    }
    const user = parseUserReference(target.replace(/^docker:\/\//, ''));
    if (user.domain === undefined) throw new PodbayError('ErrInvalidArg', `${target}: push needs a fully qualified destination (registry/repository[:tag])`);
    const ref = withDefaultTag(qualify(user, user.domain));
    const frame = options.onFrame ?? (() => undefined);
    const [{ pushImage }, { isInsecureRegistry }] = await Promise.all([import('./push.ts'), import('./registries-conf.ts')]);
    const insecure = isInsecureRegistry(await this.registries(), ref.domain);
    const report = await pushImage(ref, {
      graphRoot: this.store.graphRoot,
      manifestDigest: image.manifestDigest,
      tlsVerify: options.tlsVerify,
      insecure,
      auth: options.credentials ? { credentials: options.credentials } : undefined,
      authFilePaths: options.authFile ? [options.authFile] : undefined,
      signal: options.signal,
      onProgress: (event) => frame(event),
      fetch: options.fetch,
      certsDirs: options.certsDirs,
    });
    this.emit('push', image.id, report.reference);
    frame({ type: 'pushed', reference: report.reference, manifestDigest: report.manifestDigest });
    return { reference: report.reference, manifestDigest: report.manifestDigest };
  }

  // Names

  tag(nameOrId: string, names: readonly string[]): string[] {
    const added: string[] = [];
    for (const name of names) {
      const { imageId, name: full } = this.store.tag(nameOrId, name);
      this.emit('tag', imageId, full);
      added.push(full);
    }
    return added;
  }

  untag(nameOrId: string, names: readonly string[] = []): string[] {
    const { imageId, removed } = this.store.untag(nameOrId, names);
    for (const name of removed) this.emit('untag', imageId, name);
    return removed;
  }

  // Removal

  /** `podbay rmi`: each image on its own, one report per name (podman ImageRemoveReport). */
  async remove(nameOrIds: readonly string[], force = false, signal?: AbortSignal): Promise<ImageRemoveReport[]> {
    const reports: ImageRemoveReport[] = [];
    for (const nameOrId of nameOrIds) {
      if (signal?.aborted) {
        reports.push({ nameOrId, untagged: [], deleted: [], error: { code: 'ErrCanceled', message: 'canceled' } });
        continue;
      }
      try {
        const result = await this.store.remove(nameOrId, { force, isInUse: this.options.isInUse, removeUsers: this.options.removeUsers });
        for (const name of result.untagged) this.emit('untag', result.imageId, name);
        for (const id of result.deleted) this.emit('remove', id, result.untagged[0] ?? id);
        reports.push({ nameOrId, untagged: result.untagged, deleted: result.deleted });
      } catch (error) {
        const e = error instanceof PodbayError ? error : new PodbayError('ErrInternal', (error as Error).message, { cause: error });
        reports.push({ nameOrId, untagged: [], deleted: [], error: { code: e.code, message: e.message } });
      }
    }
    return reports;
  }

  /** `podbay image prune [-a]`: dangling images (no names), or every image no container uses. */
  async prune(options: { all?: boolean } = {}): Promise<ImagePruneReport> {
    const report: ImagePruneReport = { deleted: [], reclaimedBytes: 0 };
    for (const image of this.store.list()) {
      if (!options.all && image.names.length > 0) continue;
      if (this.options.isInUse && (await this.options.isInUse(image.id))) continue;
      const result = await this.store.remove(image.id, { force: true });
      for (const id of result.deleted) this.emit('remove', id, id);
      report.deleted.push(...result.deleted);
      report.reclaimedBytes += result.reclaimedBytes;
    }
    return report;
  }

  // Archives

  /**
   * `podbay save`: images by name or ID into one archive. An image named by one of its names is
   * saved under that name; by ID, under no name (as podman).
   */
  async save(nameOrIds: readonly string[], output: string, format: 'docker-archive' | 'oci-archive' | 'oci-dir', signal?: AbortSignal): Promise<void> {
    const { saveImages } = await import('./archive.ts');
    const items = nameOrIds.map((input) => {
      const image = this.store.lookupImage(input);
      const byId = image.id.startsWith(input.replace(/^sha256:/, ''));
      const matching = image.names.filter((n) => n === input || n.endsWith(`/${input}`) || n.endsWith(`/${input}:latest`) || n === `${input}:latest`);
      return { image, names: byId ? [] : matching.length ? matching : image.names.slice(0, 1) };
    });
    await saveImages(this.store, items, output, { format, signal });
    for (const { image } of items) this.emit('save', image.id, output);
  }

  /** `podbay load`: every image of a docker-archive or oci-archive (detected), under a pull lease. */
  async load(input: string, signal?: AbortSignal, options: { signaturePolicyPath?: string } = {}): Promise<ImageListItem[]> {
    const [{ loadArchive }, { enforcePolicy, pathScopes }] = await Promise.all([import('./archive.ts'), import('./signature-policy.ts')]);
    const policy = await this.signaturePolicy(options.signaturePolicyPath);
    return this.underPullLease(signal, async () => {
      const loaded = await loadArchive(this.store, input, {
        signal,
        ...namespaceExtract(),
        knownLayer: (diffId) => this.store.knownLayer(diffId),
        // As podman load: the archive's transport and path scopes of policy.json.
        admit: (format) => enforcePolicy(policy, format, pathScopes(input), `${format}:${input}`),
      });
      return loaded.map((image) => {
        this.emit('loadfromarchive', image.id, image.repoTags[0] ?? input);
        return this.listItem(image.id);
      });
    });
  }

  /**
   * `podbay import`: a rootfs tarball (plain or gzip) → a new single-layer image with `changes`
   * applied, named `reference` when given (short names become localhost/…), under a pull lease.
   */
  async importImage(source: AsyncIterable<Uint8Array>, options: { changes?: readonly string[]; message?: string; reference?: string; signal?: AbortSignal; platform?: Platform } = {}): Promise<ImageListItem> {
    const { importTarball } = await import('./import.ts');
    const image = await this.underPullLease(options.signal, () =>
      importTarball(this.store, source, { ...namespaceExtract(), changes: options.changes, message: options.message, platform: options.platform, signal: options.signal, knownLayer: (diffId) => this.store.knownLayer(diffId) }),
    );
    const id = image.id;
    this.emit('import', id, options.reference ?? id);
    if (options.reference) this.tag(id, [options.reference]);
    return this.listItem(id);
  }

  collectGarbage(): Promise<GcReport> {
    return this.store.collectGarbage();
  }
}

/** IDs of nameless images whose layer chain is a strict prefix of another image's (libimage IsIntermediate). */
function intermediateImages(records: readonly ImageRecord[]): Set<string> {
  const out = new Set<string>();
  const chains = records.map((r) => r.layers.map((l) => l.diffId).join(','));
  records.forEach((r, i) => {
    if (r.names.length > 0 || r.layers.length === 0) return;
    const prefix = `${chains[i]},`;
    if (chains.some((c, j) => j !== i && c.startsWith(prefix))) out.add(r.id);
  });
  return out;
}

function toListItem(r: ImageRecord, layerUsers: Map<string, number>): ImageListItem {
  const config = r.config as unknown as { config?: { Labels?: Record<string, string> | null } };
  const sharedSize = r.layers.filter((l) => (layerUsers.get(l.diffId) ?? 1) > 1).reduce((n, l) => n + l.diffSize, 0);
  return {
    id: r.id,
    digest: r.manifestDigest,
    repoTags: r.names,
    repoDigests: r.repoDigests,
    created: r.created,
    size: r.size,
    sharedSize,
    labels: { ...(config.config?.Labels ?? {}) },
    storedAt: new Date(r.storedAt).toISOString(),
    dangling: r.names.length === 0,
  };
}

/** Glob as podman's `reference=` filter (path.Match on the name). */
function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

function matchesReference(item: ImageListItem, pattern: string): boolean {
  const re = globToRegExp(pattern.includes(':') || pattern.includes('@') ? pattern : `${pattern}`);
  return item.repoTags.some((name) => {
    const repo = name.slice(0, name.lastIndexOf(':'));
    const candidates = [name, repo];
    // Short patterns match the end of a name (`busybox` ~ docker.io/library/busybox).
    const slash = repo.indexOf('/');
    if (slash >= 0) candidates.push(name.slice(slash + 1), repo.slice(slash + 1), name.slice(name.lastIndexOf('/') + 1), repo.slice(repo.lastIndexOf('/') + 1));
    return candidates.some((c) => re.test(c));
  });
}

/** podman's image filters: keys AND'ed, values of one key OR'ed (labels AND'ed). Unknown key → ErrInvalidArg. */
export function applyFilters(
  items: ImageListItem[],
  filters: Record<string, readonly string[]>,
  lookup: (nameOrId: string) => ImageListItem,
  isIntermediate: (id: string) => boolean = () => false,
): ImageListItem[] {
  let out = items;
  for (const [key, values] of Object.entries(filters)) {
    if (values.length === 0) continue;
    switch (key) {
      case 'dangling':
      case 'intermediate': {
        const wanted = values.map((v) => {
          if (v !== 'true' && v !== 'false') throw new PodbayError('ErrInvalidArg', `invalid ${key} filter value "${v}": true or false`);
          return v === 'true';
        });
        out = out.filter((i) => wanted.includes(key === 'dangling' ? i.dangling : isIntermediate(i.id)));
        break;
      }
      case 'label':
        out = out.filter((i) =>
          values.every((v) => {
            const eq = v.indexOf('=');
            return eq < 0 ? Object.hasOwn(i.labels, v) : i.labels[v.slice(0, eq)] === v.slice(eq + 1);
          }),
        );
        break;
      case 'reference':
        out = out.filter((i) => values.some((v) => matchesReference(i, v)));
        break;
      case 'id':
        out = out.filter((i) => values.some((v) => i.id.startsWith(v.replace(/^sha256:/, ''))));
        break;
      case 'before':
      case 'since': {
        const times = values.map((v) => Date.parse(lookup(v).created));
        out = out.filter((i) => times.every((t) => (key === 'before' ? Date.parse(i.created) < t : Date.parse(i.created) > t)));
        break;
      }
      default:
        throw new PodbayError('ErrInvalidArg', `invalid image filter "${key}": use dangling, intermediate, label, reference, id, before or since`);
    }
  }
  return out;
}
