// `podbay create --rootfs PATH [options] CMD [ARG…]`: a container from a root directory, in the
// `configured` state (podman's "Created"), printing its full id. Image-based create arrives with the
// images issue. Flags come before CMD; use `--` before a command whose arguments start with a dash.
import { PodbayError } from '../../../shared/errors.ts';
import { withAnnotations, withLabels, withName, withPod, withRootFSFromPath, withStopSignal } from '../../core/container-config.ts';
import type { ContainerOption, ContainerSpec } from '../../core/container-config.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime, stringList } from './ps.ts';

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

export const command: CommandSpec = {
  name: 'create',
  aliases: ['container create'],
  summary: 'Create but do not start a container',
  usage: 'create --rootfs PATH [options] COMMAND [ARG...]',
  minArgs: 1,
  stopAtFirstPositional: true,
  flags: {
    name: { type: 'string', description: 'Assign a name to the container', valueName: 'NAME' },
    rootfs: { type: 'string', description: 'Use this directory as the root filesystem (no image)', valueName: 'PATH' },
    label: { type: 'string', short: 'l', multiple: true, description: 'Set metadata on the container', valueName: 'KEY=VALUE' },
    annotation: { type: 'string', multiple: true, description: 'Add an annotation to the container', valueName: 'KEY=VALUE' },
    'stop-signal': { type: 'string', description: 'Signal to stop the container (default SIGTERM)', valueName: 'SIGNAL' },
    pod: { type: 'string', description: 'Run the container in an existing pod', valueName: 'POD' },
    env: { type: 'string', short: 'e', multiple: true, description: 'Set an environment variable', valueName: 'NAME=VALUE' },
    workdir: { type: 'string', short: 'w', description: 'Working directory inside the container', valueName: 'DIR' },
    hostname: { type: 'string', description: 'Set the container hostname', valueName: 'NAME' },
  },
  examples: ['podbay create --name web --rootfs /srv/rootfs /bin/httpd -f', 'podbay create --rootfs /srv/rootfs --label app=web -- sh -c "echo hi"'],
  async run(run) {
    const { flags, args, io } = run;
    const rootfs = flags.rootfs as string | undefined;
    if (!rootfs) throw new PodbayError('ErrNotImplemented', 'creating a container from an image comes with image support: use --rootfs PATH');
    const spec: ContainerSpec = { process: { args } };
    const env = stringList(flags.env);
    if (env.length) spec.process.env = env.map((e) => (e.includes('=') ? e : `${e}=${process.env[e] ?? ''}`));
    if (flags.workdir) spec.process.cwd = flags.workdir as string;
    if (flags.hostname) spec.hostname = flags.hostname as string;
    const options: ContainerOption[] = [withRootFSFromPath(rootfs)];
    if (flags.name !== undefined) options.push(withName(flags.name as string));
    const labels = keyValues(stringList(flags.label), 'label');
    if (Object.keys(labels).length) options.push(withLabels(labels));
    const annotations = keyValues(stringList(flags.annotation), 'annotation');
    if (Object.keys(annotations).length) options.push(withAnnotations(annotations));
    if (flags['stop-signal'] !== undefined) options.push(withStopSignal(flags['stop-signal'] as string));
    const runtime = await openCliRuntime(run);
    try {
      if (flags.pod !== undefined) options.push(withPod(runtime.lookupPod(flags.pod as string)));
      const ctr = await runtime.newContainer(spec, options, { signal: run.signal });
      io.stdout(`${ctr.id()}\n`);
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
