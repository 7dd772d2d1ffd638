// The Create pod dialog as pure functions (tested without a DOM): the form — the pod's name, ports,
// shared namespaces, network and labels, and the containers to add from local images — checked and
// turned into a plan of engine calls; then the plan run step by step (pod, each container, start),
// each step's outcome reported, and a pod left half-made removed again.
import type { TypedClient } from '../../../shared/client.ts';
import type { InputOf } from '../../../shared/contract/define.ts';
import type { Contract } from '../../../shared/contract.ts';
import { nameRule, nameRuleText, parseEnvLines, splitCommand } from '../containers/container-actions.ts';
import { parsePortSpecs } from '../networks/network-presenters.ts';
import { parseKeyValueLines } from '../volumes/volume-list-model.ts';

export const podShareChoices = ['net', 'ipc', 'uts', 'pid', 'cgroup'] as const;
export type PodShare = (typeof podShareChoices)[number];

export const podShareLabels: Record<PodShare, string> = {
  net: 'Network (localhost between containers)',
  ipc: 'IPC (shared memory)',
  uts: 'UTS (hostname)',
  pid: 'PID (see each other’s processes)',
  cgroup: 'Cgroup (one cgroup view)',
};

export interface PodMemberForm {
  /** Stable across edits and removals (React keys, error keys). */
  readonly key: number;
  image: string;
  name: string;
  /** Empty: the image's own command. */
  command: string;
  env: string;
}

export interface CreatePodForm {
  name: string;
  ports: string;
  /** '' is the default bridge network. */
  network: string;
  labels: string;
  share: Record<PodShare, boolean>;
  members: PodMemberForm[];
  start: boolean;
}

export const emptyPodForm: CreatePodForm = {
  name: '',
  ports: '',
  network: '',
  labels: '',
  share: { net: true, ipc: true, uts: true, pid: false, cgroup: false },
  members: [],
  start: true,
};

export function newMember(key: number, image = ''): PodMemberForm {
  return { key, image, name: '', command: '', env: '' };
}

export type MemberErrors = Partial<Record<'image' | 'name' | 'command' | 'env', string>>;

export interface CreatePodErrors {
  name?: string;
  ports?: string;
  labels?: string;
  /** Per member, by its key. */
  members?: Record<number, MemberErrors>;
}

type PodCreateInput = InputOf<Contract['pods.create']>;
type ContainerCreateInput = InputOf<Contract['containers.create']>;

export interface CreatePodPlan {
  pod: PodCreateInput;
  /** Each without `pod`: the pod's id is filled in once it exists. */
  members: { label: string; input: ContainerCreateInput }[];
  start: boolean;
}

/** The form as engine calls, or the field errors to show. */
export function createPodPlan(form: CreatePodForm): { plan: CreatePodPlan } | { errors: CreatePodErrors } {
  const errors: CreatePodErrors = {};
  const name = form.name.trim();
  if (name && !nameRule.test(name)) errors.name = nameRuleText;
  const share = podShareChoices.filter((k) => form.share[k]);
  const ports = parsePortSpecs(form.ports);
  if ('error' in ports) errors.ports = ports.error;
  else if (ports.specs.length > 0 && !form.share.net) errors.ports = 'Published ports need the network namespace shared: tick Network';
  else if (ports.specs.length > 0 && (form.network === 'none' || form.network === 'host')) errors.ports = `Ports cannot be published with network ${form.network}: choose a bridge network`;
  const labels = parseKeyValueLines(form.labels);
  if ('error' in labels) errors.labels = labels.error;

  const members: CreatePodPlan['members'] = [];
  const memberErrors: Record<number, MemberErrors> = {};
  const seen = new Set<string>();
  form.members.forEach((m, index) => {
    const own: MemberErrors = {};
    const image = m.image.trim();
    if (!image) own.image = 'Choose an image';
    const ctrName = m.name.trim();
    if (ctrName && !nameRule.test(ctrName)) own.name = nameRuleText;
    else if (ctrName && (seen.has(ctrName) || ctrName === name)) own.name = 'Another container of the pod (or the pod) has this name';
    if (ctrName) seen.add(ctrName);
    const split = m.command.trim() ? splitCommand(m.command) : { args: [] };
    if ('error' in split) own.command = `Command: ${split.error}`;
    const env = parseEnvLines(m.env);
    if ('error' in env) own.env = env.error;
    if (Object.keys(own).length > 0) {
      memberErrors[m.key] = own;
      return;
    }
    const args = 'args' in split ? split.args : [];
    const envList = 'env' in env ? env.env : [];
    members.push({
      label: ctrName || `container ${index + 1} (${image})`,
      // Local images only: the dialog offers what the store holds.
      input: { image, pull: 'never', command: args, ...(ctrName ? { name: ctrName } : {}), ...(envList.length ? { env: envList } : {}) },
    });
  });
  if (Object.keys(memberErrors).length > 0) errors.members = memberErrors;
  if (Object.keys(errors).length > 0) return { errors };
  const specs = 'specs' in ports ? ports.specs : [];
  const labelValues = 'values' in labels ? labels.values : {};
  return {
    plan: {
      pod: {
        ...(name ? { name } : {}),
        share,
        ...(specs.length ? { publish: specs } : {}),
        ...(form.network && form.share.net ? { network: form.network } : {}),
        ...(Object.keys(labelValues).length ? { labels: labelValues } : {}),
      },
      members,
      start: form.start && members.length > 0,
    },
  };
}

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface CreatePodStep {
  readonly key: string;
  readonly label: string;
  readonly state: StepState;
  /** What the engine said (ErrorData or a thrown error), shown by ErrorPanel. */
  readonly error?: unknown;
  readonly message?: string | undefined;
}

/** The steps a plan takes, all pending. */
export function planSteps(plan: CreatePodPlan): CreatePodStep[] {
  return [
    { key: 'pod', label: `Create pod${plan.pod.name ? ` ${plan.pod.name}` : ''}`, state: 'pending' },
    ...plan.members.map((m, i) => ({ key: `member-${i}`, label: `Create ${m.label}`, state: 'pending' as const })),
    ...(plan.start ? [{ key: 'start', label: 'Start the pod', state: 'pending' as const }] : []),
  ];
}

export interface CreatePodOutcome {
  podId: string | null;
  podName: string | null;
  ok: boolean;
  steps: CreatePodStep[];
}

/**
 * Runs the plan: the pod, then each container in it (`pod` set to the new pod's id), then the pod's
 * start. A container that cannot be created stops the run and removes the pod again (with what was
 * made in it): nothing half-created stays. A start that fails for some members keeps the pod, with the
 * members' errors in the start step. `onSteps` sees every change.
 */
export async function runCreatePod(client: Pick<TypedClient, 'call'>, plan: CreatePodPlan, onSteps: (steps: CreatePodStep[]) => void): Promise<CreatePodOutcome> {
  let steps = planSteps(plan);
  const set = (key: string, change: Partial<CreatePodStep>) => {
    steps = steps.map((s) => (s.key === key ? { ...s, ...change } : s));
    onSteps(steps);
  };
  const skipRest = () => {
    steps = steps.map((s) => (s.state === 'pending' ? { ...s, state: 'skipped' as const } : s));
    onSteps(steps);
  };
  set('pod', { state: 'running' });
  let pod;
  try {
    pod = await client.call('pods.create', plan.pod);
  } catch (error) {
    set('pod', { state: 'failed', error });
    skipRest();
    return { podId: null, podName: null, ok: false, steps };
  }
  set('pod', { state: 'done', label: `Create pod ${pod.name}` });
  for (const [index, member] of plan.members.entries()) {
    const key = `member-${index}`;
    set(key, { state: 'running' });
    try {
      await client.call('containers.create', { ...member.input, pod: pod.id });
      set(key, { state: 'done' });
    } catch (error) {
      set(key, { state: 'failed', error });
      skipRest();
      // Removed again, with the containers already made in it: all or nothing.
      const removed = await client.call('pods.remove', { nameOrIds: [pod.id], force: true }).then(
        (reports) => reports[0]?.error === null,
        () => false,
      );
      set('pod', { message: removed ? 'removed again: a container could not be created' : 'could not be removed again: remove it from the list' });
      return { podId: removed ? null : pod.id, podName: pod.name, ok: false, steps };
    }
  }
  if (plan.start) {
    set('start', { state: 'running' });
    try {
      const [report] = await client.call('pods.start', { nameOrIds: [pod.id] });
      const failure = report?.error ?? null;
      const members = report?.containerErrors ?? [];
      if (failure) set('start', { state: 'failed', error: failure });
      else if (members.length > 0) set('start', { state: 'failed', error: { ...(members[0] as (typeof members)[number]).error, message: members.map((m) => `${m.name}: ${m.error.message}`).join('; ') } });
      else set('start', { state: 'done' });
    } catch (error) {
      set('start', { state: 'failed', error });
    }
  }
  return { podId: pod.id, podName: pod.name, ok: steps.every((s) => s.state === 'done'), steps };
}
