// `podbay container inspect NAME…`: a JSON array as podman prints it (its field names), one entry per
// container found; names not found are reported after the array, and the exit code is 125.
import type { ContainerInspect } from '../../../shared/types/containers.ts';
import { inspectContainerWithNetwork } from '../../core/container-inspect.ts';
import type { CommandSpec } from '../command.ts';
import { inspectEach } from './inspect-each.ts';
import { podmanState } from './ps.ts';

const goZero = '0001-01-01T00:00:00Z';

function toPodmanInspect(c: ContainerInspect) {
  return {
    Id: c.id,
    Created: c.createdAt,
    Path: c.command[0] ?? '',
    Args: c.command.slice(1),
    State: {
      Status: podmanState(c.state),
      Running: c.state === 'running',
      Paused: c.state === 'paused',
      Restarting: false,
      OOMKilled: c.oomKilled,
      Dead: false,
      Pid: c.pid,
      ConmonPid: c.conmonPid,
      ExitCode: c.exitCode ?? 0,
      Error: c.error ?? '',
      StartedAt: c.startedAt ?? goZero,
      FinishedAt: c.finishedAt ?? goZero,
    },
    Image: '',
    ImageName: c.image,
    Rootfs: c.rootfs ?? '',
    Pod: c.podId ?? '',
    Name: c.name,
    OCIRuntime: c.ociRuntime,
    LogPath: c.logPath,
    Dependencies: c.dependencies,
    Namespaces: c.sharedNamespaces,
    RestartCount: c.restartCount ?? 0,
    Mounts: (c.mounts ?? []).map((m) => ({
      Type: m.type,
      ...(m.name !== undefined ? { Name: m.name, Driver: 'local' } : {}),
      Source: m.source,
      Destination: m.destination,
      Options: m.options,
      RW: m.rw,
      Propagation: m.propagation,
    })),
    Config: {
      Hostname: c.hostname ?? '',
      Env: c.env,
      Cmd: c.command,
      WorkingDir: c.workingDir ?? '/',
      Labels: c.labels,
      Annotations: c.annotations,
      StopSignal: c.stopSignal,
      Tty: c.terminal,
      User: c.user,
      StopTimeout: c.stopTimeout,
    },
    HostConfig: {
      AutoRemove: c.autoRemove,
      Memory: c.memoryBytes ?? 0,
      NanoCpus: c.cpus === null ? 0 : Math.round(c.cpus * 1e9),
      PidsLimit: c.pidsLimit ?? 0,
      Init: c.init,
      ReadonlyRootfs: c.readOnly ?? false,
      RestartPolicy: { Name: c.restartPolicy?.name === 'no' ? '' : (c.restartPolicy?.name ?? ''), MaximumRetryCount: c.restartPolicy?.maximumRetryCount ?? 0 },
      LogConfig: { Type: 'k8s-file', Path: c.logPath, Size: c.logSizeMax !== undefined && c.logSizeMax > 0 ? String(c.logSizeMax) : '0B' },
      Binds: (c.mounts ?? []).filter((m) => m.type !== 'tmpfs').map((m) => `${m.name ?? m.source}:${m.destination}:${[m.rw ? 'rw' : 'ro', m.propagation, ...m.options].filter(Boolean).join(',')}`),
      Tmpfs: Object.fromEntries((c.mounts ?? []).filter((m) => m.type === 'tmpfs').map((m) => [m.destination, [m.rw ? 'rw' : 'ro', ...m.options].join(',')])),
      NetworkMode: c.networkSettings.mode,
      PortBindings: podmanPortBindings(c),
      IpcMode: namespaceMode(c, 'ipc'),
      PidMode: namespaceMode(c, 'pid'),
      UTSMode: namespaceMode(c, 'uts'),
    },
    NetworkSettings: podmanNetworkSettings(c),
  };
}

/** podman's HostConfig.IpcMode/PidMode/UTSMode: `host`, `container:ID` or `private`. */
function namespaceMode(c: ContainerInspect, kind: 'ipc' | 'pid' | 'uts'): string {
  if (c.hostNamespaces.includes(kind)) return 'host';
  const from = c.sharedNamespaces[kind];
  return from ? `container:${from}` : 'private';
}

/** podman's `"80/tcp": [{HostIp, HostPort}]`, one key per container port of a range. */
function podmanPortBindings(c: ContainerInspect): Record<string, { HostIp: string; HostPort: string }[]> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of c.ports) {
    for (let i = 0; i < p.range; i++) (out[`${p.containerPort + i}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort === 0 ? '' : String(p.hostPort + i) });
  }
  return out;
}

function podmanNetworkSettings(c: ContainerInspect) {
  const endpoint = (n: ContainerInspect['networkSettings']['networks'][number] | undefined) => {
    const v4 = n?.addresses.find((a) => !a.includes(':'));
    return { Gateway: n?.gateway ?? '', IPAddress: v4?.split('/')[0] ?? '', IPPrefixLen: v4 ? Number(v4.split('/')[1]) : 0, MacAddress: n?.macAddress ?? '' };
  };
  const first = c.networkSettings.networks[0];
  return {
    ...endpoint(first),
    Ports: podmanPortBindings(c),
    SandboxKey: c.networkSettings.netnsPath ?? '',
    Networks: Object.fromEntries(c.networkSettings.networks.map((n) => [n.network, { ...endpoint(n), NetworkID: n.network, Aliases: n.aliases }])),
  };
}

export const command: CommandSpec = {
  name: 'container inspect',
  summary: 'Display the configuration of a container',
  usage: 'container inspect [options] CONTAINER [CONTAINER...]',
  minArgs: 1,
  flags: {
    format: { type: 'string', short: 'f', description: "Output format: 'json' (default)", valueName: 'FORMAT' },
  },
  examples: ['podbay container inspect web'],
  run: (run) => inspectEach(run, async (runtime, nameOrId) => {
    return toPodmanInspect(await inspectContainerWithNetwork(runtime, runtime.lookupContainer(nameOrId)));
  }),
};
