// `podbay images`: podman images over the image store. Table as podman prints it (one row per name,
// `<none>` for dangling images, newest first), `-q` unique short IDs, `--format json` with podman's
// field names, `--digests`, `--no-trunc`, `--filter`. Also the helpers the other image commands
// share (opening the store for one command, registry flags).
import { PodbayError } from '../../../shared/errors.ts';
import { humanDuration } from '../../../shared/types/containers.ts';
import { humanSize } from '../../../shared/types/images.ts';
import type { ImageListItem } from '../../../shared/types/images.ts';
import { ImageRuntime } from '../../core/image/image-runtime.ts';
import type { RegistryCallOptions } from '../../core/image/image-runtime.ts';
import type { CommandRun, CommandSpec, FlagSpec } from '../command.ts';

/** Columns padded as Go's tabwriter.NewWriter(w, 12, 2, 2, ' ', 0) does for podman; the last is not. */
export function tabulate(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, Math.max(cell.length + 2, 12))));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 12))).join('').trimEnd() + '\n').join('');
}

export function stringList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * The image store named by the global flags, for one command; closed by the caller. With
 * `containers`, removal checks (and `-f` removes) the containers using an image.
 */
export async function openCliImages(run: CommandRun, options: { containers?: boolean } = {}): Promise<ImageRuntime> {
  const ctx = await run.context();
  let users: Awaited<ReturnType<typeof loadUsers>> | undefined;
  const images: ImageRuntime = await ImageRuntime.open({
    graphRoot: ctx.paths.graphRoot,
    events: ctx.events,
    registriesConf: async () => (await import('../../core/image/registries-conf.ts')).imageRegistriesConf(ctx.config.image),
    signaturePolicyPath: ctx.config.image.signaturePolicyPath,
    ...(options.containers
      ? {
          isInUse: async (id: string) => (users ??= await loadUsers(run, images)).isInUse(id),
          removeUsers: async (id: string) => (users ??= await loadUsers(run, images)).removeUsers(id),
        }
      : {}),
  });
  return images;
}

/** Loads the container state only when an image is about to be removed (`podbay images` never does). */
async function loadUsers(run: CommandRun, images: ImageRuntime) {
  const ctx = await run.context();
  const [{ Runtime }, { containerImageUsers }] = await Promise.all([import('../../core/runtime.ts'), import('../../core/image/image-users.ts')]);
  let runtime: ReturnType<typeof Runtime.forPaths> | undefined;
  const get = () => (runtime ??= Runtime.forPaths(ctx.paths, { ociRuntime: run.global.runtime, events: ctx.events }));
  return containerImageUsers(get, images.store, run.signal);
}

/** `--tls-verify`, `--creds`, `--authfile` as podman. */
export const registryFlags: Record<string, FlagSpec> = {
  'tls-verify': { type: 'string', description: 'Require HTTPS and verify certificates when contacting registries (default true)', valueName: 'BOOL' },
  creds: { type: 'string', description: 'Use USERNAME[:PASSWORD] for accessing the registry', valueName: 'USER:PASS' },
  authfile: { type: 'string', description: 'Path of the authentication file (default ${XDG_RUNTIME_DIR}/containers/auth.json)', valueName: 'FILE' },
};

/**
 * Reads the registry flags. `--tls-verify` takes `=true|false`; given bare before the positional
 * arguments, util.parseArgs hands it the next word, which is put back as a positional here.
 */
export function registryOptions(run: CommandRun): RegistryCallOptions & { args: string[] } {
  const args = [...run.args];
  let tlsVerify: boolean | undefined;
  const raw = run.flags['tls-verify'];
  if (typeof raw === 'string') {
    if (raw === 'true' || raw === '') tlsVerify = true;
    else if (raw === 'false') tlsVerify = false;
    else {
      tlsVerify = true;
      args.unshift(raw);
    }
  }
  let credentials: RegistryCallOptions['credentials'];
  if (typeof run.flags.creds === 'string') {
    const colon = run.flags.creds.indexOf(':');
    if (colon <= 0) throw new PodbayError('ErrInvalidArg', '--creds must be USERNAME:PASSWORD (podbay does not prompt)');
    credentials = { username: run.flags.creds.slice(0, colon), password: run.flags.creds.slice(colon + 1) };
  }
  const authFile = typeof run.flags.authfile === 'string' ? run.flags.authfile : (process.env.REGISTRY_AUTH_FILE || undefined);
  return { tlsVerify, credentials, authFile, signal: run.signal, args };
}

const unix = (time: string) => Math.floor(Date.parse(time) / 1000);

function toPodmanJson(item: ImageListItem, now: number) {
  return {
    Id: item.id,
    ParentId: '',
    RepoTags: item.repoTags.length ? item.repoTags : null,
    RepoDigests: item.repoDigests,
    Size: item.size,
    SharedSize: item.sharedSize,
    VirtualSize: item.size,
    Labels: Object.keys(item.labels).length ? item.labels : null,
    Containers: 0,
    Names: item.repoTags.length ? item.repoTags : null,
    Digest: item.digest,
    History: item.repoTags.length ? item.repoTags : null,
    Created: unix(item.created),
    CreatedAt: item.created,
    Dangling: item.dangling,
    CreatedSince: `${humanDuration(Math.max(0, now - Date.parse(item.created)))} ago`,
  };
}

/** `key=value` filter flags grouped by key. */
export function parseImageFilters(values: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new PodbayError('ErrInvalidArg', `invalid filter ${JSON.stringify(value)}: expected KEY=VALUE`);
    (out[value.slice(0, eq)] ??= []).push(value.slice(eq + 1));
  }
  return out;
}

export const command: CommandSpec = {
  name: 'images',
  aliases: ['image ls', 'image list'],
  summary: 'List images in local storage',
  usage: 'images [options] [IMAGE]',
  maxArgs: 1,
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Show all images (default hides intermediate images)' },
    digests: { type: 'boolean', description: 'Show digests' },
    filter: { type: 'string', short: 'f', multiple: true, description: 'Filter output based on conditions provided (dangling, intermediate, label, reference, id, before, since)', valueName: 'KEY=VALUE' },
    format: { type: 'string', description: "Pretty-print images: 'table' (default) or 'json'", valueName: 'FORMAT' },
    'no-trunc': { type: 'boolean', description: 'Do not truncate output' },
    quiet: { type: 'boolean', short: 'q', description: 'Display only image IDs' },
  },
  examples: ['podbay images', 'podbay images --format json', 'podbay images --filter dangling=true -q'],
  async run(run) {
    const { flags, io, args } = run;
    const format = (flags.format as string | undefined) ?? 'table';
    if (format !== 'table' && format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use table or json`);
    const filters = parseImageFilters(stringList(flags.filter));
    if (args[0] !== undefined) (filters.reference ??= []).push(args[0]);
    const images = await openCliImages(run);
    let items: ImageListItem[];
    try {
      items = images.list(filters, { hideIntermediate: flags.all !== true && args[0] === undefined });
    } finally {
      images.close();
    }
    items.sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || a.id.localeCompare(b.id));
    const now = Date.now();
    const noTrunc = flags['no-trunc'] === true;
    const shownId = (id: string) => (noTrunc ? `sha256:${id}` : id.slice(0, 12));
    if (flags.quiet === true) {
      const seen = new Set<string>();
      io.stdout(items.filter((i) => !seen.has(i.id) && seen.add(i.id)).map((i) => `${shownId(i.id)}\n`).join(''));
      return 0;
    }
    if (format === 'json') {
      io.stdout(`${JSON.stringify(items.map((i) => toPodmanJson(i, now)), null, 4)}\n`);
      return 0;
    }
    const digests = flags.digests === true;
    const rows = [['REPOSITORY', 'TAG', ...(digests ? ['DIGEST'] : []), 'IMAGE ID', 'CREATED', 'SIZE']];
    for (const item of items) {
      const names = item.repoTags.length ? item.repoTags : ['<none>:<none>'];
      for (const name of names) {
        const colon = name.lastIndexOf(':');
        rows.push([
          name.slice(0, colon),
          name.slice(colon + 1),
          ...(digests ? [item.digest] : []),
          shownId(item.id),
          `${humanDuration(Math.max(0, now - Date.parse(item.created)))} ago`,
          humanSize(item.size),
        ]);
      }
    }
    io.stdout(tabulate(rows));
    return 0;
  },
};
