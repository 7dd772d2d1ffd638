// The flags `create` and `run` share (podman's container create flags), and their parsing into
// ContainerCreateOptions. Flags come before IMAGE (or, with --rootfs, before the command): podman's
// SetInterspersed(false).
import { PodbayError } from '../../../shared/errors.ts';
import type { ContainerCreateOptions } from '../../../shared/types/containers.ts';
import { resolve } from 'node:path';
import type { CreateHooks } from '../../core/container-create.ts';
import { parseUsernsMode } from '../../core/rootless/keep-id.ts';
import { absoluteVolumeFlag, parseLogOptions, parseMountFlag, parseRestartPolicy } from '../../core/container-mounts.ts';
import type { CommandRun, FlagSpec } from '../command.ts';
import { stringList } from './ps.ts';

export const containerCreateFlags: Record<string, FlagSpec> = {
  name: { type: 'string', description: 'Assign a name to the container', valueName: 'NAME' },
  rootfs: { type: 'string', description: 'Use this directory as the root filesystem (no image)', valueName: 'PATH' },
  pull: { type: 'string', description: 'Pull image policy: always, missing (default) or never', valueName: 'POLICY' },
  entrypoint: { type: 'string', description: 'Overwrite the default ENTRYPOINT of the image (a string or a JSON array)', valueName: 'CMD' },
  'tls-verify': { type: 'string', description: 'Require HTTPS and verify certificates when pulling (default true)', valueName: 'BOOL' },
  label: { type: 'string', short: 'l', multiple: true, description: 'Set metadata on the container', valueName: 'KEY=VALUE' },
  annotation: { type: 'string', multiple: true, description: 'Add an annotation to the container', valueName: 'KEY=VALUE' },
  'stop-signal': { type: 'string', description: 'Signal to stop the container (default SIGTERM)', valueName: 'SIGNAL' },
  'stop-timeout': { type: 'string', description: 'Seconds to wait before killing the container on stop (default 10)', valueName: 'SECONDS' },
  pod: { type: 'string', description: 'Run the container in an existing pod', valueName: 'POD' },
  ipc: { type: 'string', description: "IPC namespace to use: private (default), host, or container:NAME to join another container's", valueName: 'MODE' },
  pid: { type: 'string', description: "PID namespace to use: private (default), host, or container:NAME to join another container's", valueName: 'MODE' },
  uts: { type: 'string', description: "UTS namespace to use: private (default), host, or container:NAME to join another container's", valueName: 'MODE' },
  userns: { type: 'string', description: "User namespace to use: keep-id (rootless: run as your own uid, mapped to itself) or host (the default)", valueName: 'MODE' },
  env: { type: 'string', short: 'e', multiple: true, description: 'Set an environment variable', valueName: 'NAME=VALUE' },
  workdir: { type: 'string', short: 'w', description: 'Working directory inside the container', valueName: 'DIR' },
  user: { type: 'string', short: 'u', description: 'Username or UID[:GID] to run the command as', valueName: 'USER' },
  hostname: { type: 'string', description: 'Set the container hostname', valueName: 'NAME' },
  interactive: { type: 'boolean', short: 'i', description: 'Keep STDIN open even if not attached' },
  tty: { type: 'boolean', short: 't', description: 'Allocate a pseudo-TTY' },
  memory: { type: 'string', short: 'm', description: 'Memory limit (format: <number>[<unit>], where unit = b, k, m or g)', valueName: 'LIMIT' },
  cpus: { type: 'string', description: 'Number of CPUs (e.g. 1.5)', valueName: 'N' },
  'pids-limit': { type: 'string', description: 'Tune the container pids limit (-1 for unlimited)', valueName: 'N' },
  init: { type: 'boolean', description: 'Run an init inside the container that forwards signals and reaps processes' },
  rm: { type: 'boolean', description: 'Remove the container when it exits' },
  network: { type: 'string', multiple: true, description: 'Connect to a network: bridge (default), NAME[:ip=IP,alias=NAME,…], none or host', valueName: 'NETWORK' },
  publish: { type: 'string', short: 'p', multiple: true, description: "Publish a container's port to the host: [ip:][hostPort:]containerPort[/protocol]", valueName: 'PORT' },
  'publish-all': { type: 'boolean', short: 'P', description: "Publish the image's exposed ports to free host ports" },
  // Storage and restart
  volume: { type: 'string', short: 'v', multiple: true, description: 'Bind mount a host path or mount a named volume (created if missing): [SRC:]DST[:OPTS]', valueName: 'VOLUME' },
  mount: { type: 'string', multiple: true, description: 'Attach a filesystem mount: type=bind|volume|tmpfs,source=…,destination=…[,ro]', valueName: 'MOUNT' },
  tmpfs: { type: 'string', multiple: true, description: 'Mount a tmpfs: DST[:OPTS] (default options rw,noexec,nosuid,nodev)', valueName: 'TMPFS' },
  'read-only': { type: 'boolean', description: "Make the container's root filesystem read-only" },
  'read-only-tmpfs': { type: 'string', description: 'With --read-only, mount writable tmpfs on /run, /tmp and /var/tmp (default true)', valueName: 'BOOL' },
  restart: { type: 'string', description: 'Restart policy when the container exits: no, on-failure[:MAX], always, unless-stopped', valueName: 'POLICY' },
  'log-opt': { type: 'string', multiple: true, description: 'Logging option: max-size=SIZE (the log is truncated past it)', valueName: 'OPT' },
};

/** -v, --mount, --tmpfs, --read-only, --restart and --log-opt → their create options; relative host paths against `cwd`. */
export function storageFlags(run: CommandRun, args: string[], cwd = process.cwd()): Partial<ContainerCreateOptions> {
  const { flags } = run;
  const volumes = stringList(flags.volume).map((v) => absoluteVolumeFlag(v, cwd));
  const mounts = stringList(flags.mount).map((m) => {
    const spec = parseMountFlag(m);
    return spec.source?.startsWith('.') && spec.type === 'bind' ? { ...spec, source: resolve(cwd, spec.source) } : spec;
  });
  const tmpfs = stringList(flags.tmpfs);
  let readOnlyTmpfs: boolean | undefined;
  const rot = flags['read-only-tmpfs'];
  if (typeof rot === 'string') {
    // Like --pull: a bare flag before IMAGE got the next word, which is put back.
    if (rot === 'false') readOnlyTmpfs = false;
    else {
      readOnlyTmpfs = true;
      if (rot !== 'true' && rot !== '') args.unshift(rot);
    }
  }
  const restart = typeof flags.restart === 'string' ? parseRestartPolicy(flags.restart) : undefined;
  const { logSizeMax } = parseLogOptions(stringList(flags['log-opt']));
  return {
    ...(volumes.length ? { volumes } : {}),
    ...(mounts.length ? { mounts } : {}),
    ...(tmpfs.length ? { tmpfs } : {}),
    ...(flags['read-only'] ? { readOnly: true } : {}),
    ...(readOnlyTmpfs !== undefined ? { readOnlyTmpfs } : {}),
    ...(restart ? { restartPolicy: restart.policy, ...(restart.retries !== undefined ? { restartRetries: restart.retries } : {}) } : {}),
    ...(logSizeMax !== undefined ? { logSizeMax } : {}),
  };
}

/** podman's KEY=VALUE list flags (--label, --annotation): a bare KEY means an empty value. */
export function keyValues(values: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of values) {
    const eq = entry.indexOf('=');
    const key = eq === -1 ? entry : entry.slice(0, eq);
    if (key === '') throw new PodbayError('ErrInvalidArg', `invalid --${flag} "${entry}": expected KEY=VALUE`);
    out[key] = eq === -1 ? '' : entry.slice(eq + 1);
  }
  return out;
}

/** docker/go-units RAMInBytes: "512m", "1g", "1.5GB", "100000" (bytes). */
export function parseMemory(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmgt])?b?$/i.exec(text.trim());
  if (!match) throw new PodbayError('ErrInvalidArg', `invalid memory limit "${text}": expected <number>[<unit>], unit one of b, k, m, g`);
  const units: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  return Math.floor(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1));
}

function integer(text: string, flag: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim()) || Number(text) < min) throw new PodbayError('ErrInvalidArg', `invalid --${flag} "${text}": expected a whole number, ${min} or more`);
  return Number(text);
}

/** podman --entrypoint: a JSON array is the argv, any other string one argument ("" clears it). */
export function parseEntrypoint(text: string): string[] {
  if (text.trim().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return parsed as string[];
  }
  return [text];
}

const pullPolicies = ['always', 'missing', 'never'] as const;

/**
 * `--pull` and `--tls-verify` take `=VALUE`; given bare before IMAGE, util.parseArgs hands them the
 * next word, which is put back as a positional here (bare --pull means always, as podman).
 */
export function pullFlags(run: CommandRun): { pull?: ContainerCreateOptions['pull']; tlsVerify?: boolean; args: string[] } {
  const args = [...run.args];
  const out: { pull?: ContainerCreateOptions['pull']; tlsVerify?: boolean; args: string[] } = { args };
  const tls = run.flags['tls-verify'];
  if (typeof tls === 'string') {
    if (tls === 'false') out.tlsVerify = false;
    else {
      out.tlsVerify = true;
      if (tls !== 'true' && tls !== '') args.unshift(tls);
    }
  }
  const pull = run.flags.pull;
  if (typeof pull === 'string') {
    if ((pullPolicies as readonly string[]).includes(pull)) out.pull = pull as ContainerCreateOptions['pull'];
    else if (pull === 'true' || pull === '') out.pull = 'always';
    else if (pull === 'false') out.pull = 'never';
    else if (pull === 'newer') throw new PodbayError('ErrInvalidArg', 'pull policy "newer" is not supported: use always, missing or never');
    else {
      out.pull = 'always';
      args.unshift(pull);
    }
  }
  return out;
}

export function createOptionsFromFlags(run: CommandRun): ContainerCreateOptions {
  const { flags } = run;
  const rootfs = flags.rootfs as string | undefined;
  const { pull, tlsVerify, args: positional } = pullFlags(run);
  const storage = storageFlags(run, positional);
  let args = positional;
  let image: string | undefined;
  if (!rootfs) {
    image = args[0];
    if (!image) throw new PodbayError('ErrInvalidArg', 'an image name (or --rootfs PATH) is required');
    args = args.slice(1);
  } else if (args.length === 0) {
    throw new PodbayError('ErrInvalidArg', 'a command is required with --rootfs');
  }
  // Repeating --network joins several networks (a comma separates options of one: NAME:ip=…,alias=…).
  const network = stringList(flags.network);
  const publish = stringList(flags.publish);
  const env = stringList(flags.env).map((e) => (e.includes('=') ? e : `${e}=${process.env[e] ?? ''}`));
  const labels = keyValues(stringList(flags.label), 'label');
  const cpus = flags.cpus === undefined ? undefined : Number(flags.cpus);
  if (cpus !== undefined && !(cpus > 0)) throw new PodbayError('ErrInvalidArg', `invalid --cpus "${String(flags.cpus)}": expected a number above 0`);
  return {
    ...(rootfs ? { rootfs } : { image }),
    ...(pull ? { pull } : {}),
    ...(tlsVerify !== undefined ? { tlsVerify } : {}),
    ...(flags.entrypoint !== undefined ? { entrypoint: parseEntrypoint(flags.entrypoint as string) } : {}),
    command: args,
    ...(flags.name !== undefined ? { name: flags.name as string } : {}),
    ...(env.length ? { env } : {}),
    ...(flags.workdir ? { workdir: flags.workdir as string } : {}),
    ...(flags.user ? { user: flags.user as string } : {}),
    ...(flags.hostname ? { hostname: flags.hostname as string } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(flags.tty ? { terminal: true } : {}),
    ...(flags.interactive ? { stdin: true } : {}),
    ...(flags.memory !== undefined ? { memoryBytes: parseMemory(flags.memory as string) } : {}),
    ...(cpus !== undefined ? { cpus } : {}),
    ...(flags['pids-limit'] !== undefined ? { pidsLimit: integer(flags['pids-limit'] as string, 'pids-limit', -1) } : {}),
    ...(flags.init ? { init: true } : {}),
    ...(flags['stop-signal'] !== undefined ? { stopSignal: flags['stop-signal'] as string } : {}),
    ...(flags['stop-timeout'] !== undefined ? { stopTimeout: integer(flags['stop-timeout'] as string, 'stop-timeout', 0) } : {}),
    ...(flags.rm ? { autoRemove: true } : {}),
    ...(network.length ? { network } : {}),
    ...(publish.length ? { publish } : {}),
    ...(flags['publish-all'] ? { publishAll: true } : {}),
    ...(flags.pod !== undefined ? { pod: flags.pod as string } : {}),
    ...usernsFlag(flags.userns),
    ...(['ipc', 'pid', 'uts'] as const).reduce((out, kind) => (flags[kind] !== undefined ? { ...out, [kind]: flags[kind] as string } : out), {}),
    ...storage,
  };
}

function usernsFlag(value: unknown): Pick<ContainerCreateOptions, 'userns'> {
  if (value === undefined) return {};
  const mode = parseUsernsMode(value as string);
  return mode ? { userns: mode } : {};
}

/** Pull progress on stderr as `podbay pull` prints it, for an image create/run may pull. */
export async function pullHooks(run: CommandRun, input: ContainerCreateOptions): Promise<CreateHooks> {
  if (input.image === undefined || input.pull === 'never') return {};
  const { ProgressPrinter, pullFramePrinter } = await import('./pull.ts');
  const printer = new ProgressPrinter(run.io, run.io.isTTY);
  const print = pullFramePrinter(printer);
  return {
    onPullFrame: (frame) => {
      print(frame);
      if (frame.type === 'done') printer.finish();
    },
  };
}
