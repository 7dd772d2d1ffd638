// What the System page says about system.info, as pure functions (tested without a DOM).
import type {
  FixAdvice,
  CgroupInfo,
  CgroupMode,
  ComponentInfo,
  OverlayKind,
  RootlessInfo,
  SubordinateRange,
  ComponentRole,
  ComponentStatus,
  RlimitInfo,
  SystemInfo,
} from '../../../shared/types/system-info.ts';
import { formatBytes, formatCount } from './format-bytes.ts';

export type Tone = 'ok' | 'warning' | 'danger' | 'neutral';

export function componentStatusLabel(status: ComponentStatus): { label: string; tone: Tone } {
  switch (status) {
    case 'ok':
      return { label: 'Ready', tone: 'ok' };
    case 'missing':
      return { label: 'Missing', tone: 'danger' };
    case 'unusable':
      return { label: 'Unusable', tone: 'warning' };
  }
}

const roleLabels: Record<ComponentRole, string> = {
  'oci-runtime': 'OCI runtime',
  monitor: 'Container monitor',
  init: 'Pod infra init',
  network: 'Network backend',
  dns: 'Network DNS',
};

export function componentRoleLabel(role: ComponentRole): string {
  return roleLabels[role];
}

export function cgroupModeLabel(mode: CgroupMode): string {
  switch (mode) {
    case 'v2':
      return 'cgroup v2 (unified)';
    case 'hybrid':
      return 'cgroup v1 (hybrid)';
    case 'v1':
      return 'cgroup v1 (legacy)';
  }
}

/** One sentence on what the mode means for running containers. */
export function cgroupModeDescription(cgroups: CgroupInfo): string {
  switch (cgroups.mode) {
    case 'v2':
      return 'One unified hierarchy: every runtime can apply resource limits.';
    case 'v1':
      return 'Legacy per-controller hierarchies: limits work, but some features (e.g. rootless limits) need cgroup v2.';
    case 'hybrid': {
      const controllers = cgroups.unifiedControllers;
      return controllers.length === 0
        ? 'v1 controllers with an empty cgroup2 tree mounted beside them: runtimes treat it as v1.'
        : `v1 controllers, with ${controllers.join(', ')} on the cgroup2 tree beside them: crun refuses this layout.`;
    }
  }
}

export function controllersLabel(controllers: readonly string[]): string {
  return controllers.length === 0 ? 'none' : controllers.join(', ');
}

/** A soft or hard rlimit in its units; null means unlimited. */
export function formatRlimit(value: number | null, units: string): string {
  if (value === null) return 'unlimited';
  if (units === 'bytes') return formatBytes(value);
  if (units === 'us') return `${formatCount(value)} µs`;
  if (units === 'seconds') return `${formatCount(value)} s`;
  return formatCount(value);
}

/** Rows for the limits table, the most consulted limits first. */
export function rlimitRows(rlimits: readonly RlimitInfo[]): { resource: string; label: string; soft: string; hard: string }[] {
  const first = ['RLIMIT_NOFILE', 'RLIMIT_NPROC', 'RLIMIT_MEMLOCK', 'RLIMIT_STACK', 'RLIMIT_CORE'];
  const rank = (r: RlimitInfo) => {
    const i = first.indexOf(r.resource);
    return i === -1 ? first.length : i;
  };
  return [...rlimits]
    .map((r, index) => ({ r, index }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.index - b.index)
    .map(({ r }) => ({ resource: r.resource, label: r.label, soft: formatRlimit(r.soft, r.units), hard: formatRlimit(r.hard, r.units) }));
}

/** "or choose runc (--runtime runc)" → "Or choose runc (--runtime runc)." */
export function alternativeSentence(alternative: string): string {
  const text = alternative.trim();
  const withOr = /^or\b/i.test(text) ? text : `or ${text}`;
  const capital = withOr.charAt(0).toUpperCase() + withOr.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export interface Problem {
  /** Stable key for lists. */
  readonly key: string;
  readonly title: string;
  readonly problem: string;
  readonly fix: FixAdvice | null;
  readonly tone: Tone;
}

/**
 * One panel per missing or unusable component, and one for the default OCI runtime when its problem
 * is not already told by a component (e.g. a runtime name that is not known at all).
 */
export function systemProblems(info: SystemInfo): Problem[] {
  const problems: Problem[] = [];
  for (const component of info.components) {
    if (component.status === 'ok') continue;
    problems.push({
      key: `component:${component.name}`,
      title: componentProblemTitle(component),
      problem: component.problem ?? (component.status === 'missing' ? `${component.name} was not found on this machine.` : `${component.name} cannot be used here.`),
      fix: component.fix,
      tone: isEssential(component, info) ? 'danger' : 'warning',
    });
  }
  for (const p of info.rootless?.problems ?? []) {
    // Without a network helper containers still run (--network none/host): a warning, not a blocker.
    problems.push({ key: `rootless:${p.key}`, title: p.title, problem: p.problem, fix: p.fix, tone: p.key === 'network-helper' ? 'warning' : 'danger' });
  }
  const runtime = info.ociRuntime;
  if (!runtime.usable && !info.components.some((c) => c.name === runtime.default && c.status !== 'ok')) {
    problems.push({
      key: 'oci-runtime',
      title: `The OCI runtime ${runtime.default} cannot run containers`,
      problem: runtime.problem ?? 'The default OCI runtime is not usable.',
      fix: runtime.fix,
      tone: 'danger',
    });
  }
  return problems;
}

function componentProblemTitle(component: ComponentInfo): string {
  const role = componentRoleLabel(component.role);
  return component.status === 'missing' ? `${component.name} (${role}) is missing` : `${component.name} (${role}) cannot be used on this host`;
}

/** The default runtime and conmon are needed for any container; the rest only for some features. */
function isEssential(component: ComponentInfo, info: SystemInfo): boolean {
  return component.name === info.ociRuntime.default || component.role === 'monitor';
}

export interface EngineStatus {
  readonly label: string;
  readonly detail: string;
  readonly tone: Tone;
}

/** The header's one-glance answer: can this engine run containers? */
export function engineStatus(info: SystemInfo): EngineStatus {
  const runtime = info.ociRuntime;
  const component = info.components.find((c) => c.name === runtime.default);
  const version = component?.version ? ` ${component.version}` : '';
  const conmon = info.components.find((c) => c.role === 'monitor');
  if (!runtime.usable) return { label: 'Engine not ready', detail: `${runtime.default}${version} unusable`, tone: 'danger' };
  if (conmon && conmon.status !== 'ok') return { label: 'Engine not ready', detail: `conmon ${conmon.status}`, tone: 'danger' };
  return { label: 'Engine ready', detail: `${runtime.default}${version}`, tone: 'ok' };
}

export function modeLabel(mode: SystemInfo['podbay']['mode'], uid: number): string {
  return mode === 'rootful' ? `Rootful (uid ${uid})` : `Rootless (uid ${uid})`;
}

export function memoryLabel(bytes: number): string {
  return formatBytes(bytes);
}

export function archLabel(arch: string): string {
  const names: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i386', arm: 'armv7l', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return names[arch] ?? arch;
}

/** "100000–165535 (65,536 IDs)", ranges joined; "none" when the user has none. */
export function subordinateRangesLabel(ranges: readonly SubordinateRange[]): string {
  if (ranges.length === 0) return 'none';
  return ranges.map((r) => `${r.start}–${r.start + r.count - 1} (${formatCount(r.count)} IDs)`).join(', ');
}

export function overlayLabel(kind: OverlayKind): string {
  switch (kind) {
    case 'native':
      return 'native overlay in the user namespace';
    case 'fuse-overlayfs':
      return 'fuse-overlayfs';
    case 'vfs':
      return 'vfs (full copies: slower, more disk)';
  }
}

export function networkHelperLabel(helper: RootlessInfo['networkHelper']): string {
  return helper ? `${helper.name}${helper.version ? ` ${helper.version}` : ''}` : 'none (only --network none or host)';
}

export function rootlessLimitsLabel(rootless: RootlessInfo, cgroups: CgroupInfo): string {
  if (rootless.resourceLimits) return 'available (cgroup v2 delegation)';
  return cgroups.version === 'v1'
    ? 'refused: cgroup v1 cannot delegate limits to a user (--memory, --cpus, --pids-limit need cgroup v2)'
    : 'refused: the user’s cgroup v2 subtree has no memory and pids controllers delegated';
}
