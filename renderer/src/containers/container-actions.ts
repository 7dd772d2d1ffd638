// Which lifecycle actions a container allows in its state, and what a batch action did — pure
// functions (tested without a DOM) behind the row and selection buttons of the Containers page.
import type { ContainerActionReport, ContainerListItem, ContainerStateName } from '../../../shared/types/containers.ts';
import type { Tone } from '../presenters/system-presenters.ts';
import { describeError } from '../presenters/error-presenters.ts';
import { parsePortSpecs } from '../networks/network-presenters.ts';
import { formatCount } from '../presenters/format-bytes.ts';

export type ContainerAction = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'kill' | 'remove';

export const containerActions: readonly ContainerAction[] = ['start', 'stop', 'restart', 'pause', 'unpause', 'kill', 'remove'];

/** Button labels, as podman names the verbs. */
export const actionLabels: Record<ContainerAction, string> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  pause: 'Pause',
  unpause: 'Resume',
  kill: 'Kill',
  remove: 'Remove',
};

/** What the action does to a container, past tense ("Stopped 3 containers"). */
const pastTense: Record<ContainerAction, string> = {
  start: 'Started',
  stop: 'Stopped',
  restart: 'Restarted',
  pause: 'Paused',
  unpause: 'Resumed',
  kill: 'Killed',
  remove: 'Removed',
};

const present: Record<ContainerAction, string> = {
  start: 'start',
  stop: 'stop',
  restart: 'restart',
  pause: 'pause',
  unpause: 'resume',
  kill: 'kill',
  remove: 'remove',
};

/**
 * Whether `action` applies to a container in `state`, as libpod's verbs accept them: start from
 * created, configured or exited; stop and kill while running or paused; pause while running; resume
 * while paused; restart from anything but paused, stopping or removing; remove always (a running
 * one with force, which the dialog asks for).
 */
export function actionAllowed(action: ContainerAction, state: ContainerStateName): boolean {
  switch (action) {
    case 'start':
      return state === 'configured' || state === 'created' || state === 'exited' || state === 'stopped';
    case 'stop':
    case 'kill':
      return state === 'running' || state === 'paused';
    case 'pause':
      return state === 'running';
    case 'unpause':
      return state === 'paused';
    case 'restart':
      return state === 'running' || state === 'configured' || state === 'created' || state === 'exited' || state === 'stopped';
    case 'remove':
      return state !== 'removing';
  }
}

/** The items of a selection `action` applies to (the others are left alone, not failed). */
export function applicableItems<T extends Pick<ContainerListItem, 'state'>>(action: ContainerAction, items: readonly T[]): T[] {
  return items.filter((item) => actionAllowed(action, item.state));
}

/** The actions offered for one container: the primary ones first (start or stop), in a fixed order. */
export function rowActions(state: ContainerStateName): ContainerAction[] {
  return containerActions.filter((action) => action !== 'remove' && actionAllowed(action, state));
}

/** Whether a tty Console makes sense: the container runs (attach needs a running conmon). */
export function canAttach(item: Pick<ContainerListItem, 'state'>): boolean {
  return item.state === 'running';
}

export interface ActionFailure {
  readonly key: string;
  readonly name: string;
  readonly title: string;
  readonly message: string;
  readonly code: string | null;
}

export interface ActionSummary {
  readonly action: ContainerAction;
  readonly doneIds: readonly string[];
  readonly failures: readonly ActionFailure[];
  readonly title: string;
  readonly tone: Tone;
}

/** One line per failed item (its own error) and a title counting what happened. */
export function summarizeAction(action: ContainerAction, reports: readonly ContainerActionReport[], nameOf: (idOrName: string) => string, noun = 'container'): ActionSummary {
  const doneIds = reports.filter((r) => !r.error).map((r) => r.id ?? r.nameOrId);
  const failures = reports
    .filter((r) => r.error !== null)
    .map((r) => {
      const view = describeError(r.error);
      return { key: r.nameOrId, name: nameOf(r.id ?? r.nameOrId), title: view.title, message: view.message, code: view.code };
    });
  const nouns = (n: number) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
  const total = reports.length;
  const title =
    failures.length === 0
      ? `${pastTense[action]} ${nouns(doneIds.length)}`
      : doneIds.length === 0
        ? `Could not ${present[action]} ${total === 1 ? `the ${noun}` : `any of ${nouns(total)}`}`
        : `${pastTense[action]} ${formatCount(doneIds.length)} of ${nouns(total)}; ${formatCount(failures.length)} failed`;
  return { action, doneIds, failures, title, tone: failures.length === 0 ? 'ok' : doneIds.length === 0 ? 'danger' : 'warning' };
}

/** Kill and a stop with timeout 0 lose what the process had not saved: they ask first. */
export function actionNeedsConfirmation(action: ContainerAction): boolean {
  return action === 'kill';
}

// ---------- the Create dialog ----------

export interface CreateForm {
  readonly rootfs: string;
  readonly name: string;
  readonly command: string;
  readonly env: string;
  readonly workdir: string;
  readonly tty: boolean;
  readonly start: boolean;
  /** '' = the default bridge network; else a network name, `none` or `host`. */
  readonly network: string;
  /** podman -p specs, one per line (or comma separated). */
  readonly ports: string;
  /** podman --userns=keep-id (offered rootless only): run as the user, files in binds stay theirs. */
  readonly keepId: boolean;
}

export const emptyCreateForm: CreateForm = { rootfs: '', name: '', command: '/bin/sh', env: '', workdir: '', tty: true, start: true, network: '', ports: '', keepId: false };

/**
 * Splits a command line as a POSIX shell would for words: whitespace separates, single quotes keep
 * everything, double quotes keep all but \" and \\, a backslash escapes the next character outside
 * quotes. Unterminated quotes → an error message.
 */
export function splitCommand(line: string): { args: string[] } | { error: string } {
  const args: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) args.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { error: `unterminated ${quote === "'" ? 'single' : 'double'} quote` };
  if (inWord) args.push(word);
  return { args };
}

export interface CreateInput {
  rootfs: string;
  name?: string;
  command: string[];
  env?: string[];
  workdir?: string;
  terminal: boolean;
  stdin: boolean;
  start: boolean;
  network?: string;
  publish?: string[];
  userns?: 'keep-id';
}

/** podman's rule for container and pod names, and what the dialogs say when one breaks it. */
export const nameRule = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const nameRuleText = 'Letters, digits, _ . - only, starting with a letter or digit';

/** The Environment fields: `NAME=value`, one per line (blank lines skipped). */
export function parseEnvLines(text: string): { env: string[] } | { error: string } {
  const env = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const bad = env.find((e) => !/^[^=\s]+=/.test(e));
  return bad ? { error: `“${bad}” is not NAME=value` } : { env };
}

/** The form as `containers.create` input, or the field errors to show (keyed by field). */
export function createInput(form: CreateForm): { input: CreateInput } | { errors: Partial<Record<keyof CreateForm, string>> } {
  const errors: Partial<Record<keyof CreateForm, string>> = {};
  const rootfs = form.rootfs.trim();
  if (!rootfs) errors.rootfs = 'Enter the directory holding the root filesystem';
  else if (!rootfs.startsWith('/')) errors.rootfs = 'Use an absolute path (starting with /)';
  const name = form.name.trim();
  if (name && !nameRule.test(name)) errors.name = nameRuleText;
  const split = splitCommand(form.command);
  let command: string[] = [];
  if ('error' in split) errors.command = `Command: ${split.error}`;
  else if (split.args.length === 0) errors.command = 'Enter the command to run';
  else command = split.args;
  const parsedEnv = parseEnvLines(form.env);
  const env = 'env' in parsedEnv ? parsedEnv.env : [];
  if ('error' in parsedEnv) errors.env = parsedEnv.error;
  const workdir = form.workdir.trim();
  if (workdir && !workdir.startsWith('/')) errors.workdir = 'Use an absolute path inside the container';
  const ports = parsePortSpecs(form.ports);
  if ('error' in ports) errors.ports = ports.error;
  else if (ports.specs.length > 0 && (form.network === 'none' || form.network === 'host')) errors.ports = `Ports cannot be published with network ${form.network}: choose a bridge network`;
  if (Object.keys(errors).length > 0) return { errors };
  const publish = 'specs' in ports ? ports.specs : [];
  return {
    input: {
      rootfs,
      ...(name ? { name } : {}),
      command,
      ...(env.length ? { env } : {}),
      ...(workdir ? { workdir } : {}),
      terminal: form.tty,
      // A terminal without stdin cannot be typed into: the console keeps both together (podman -it).
      stdin: form.tty,
      start: form.start,
      ...(form.network ? { network: form.network } : {}),
      ...(publish.length ? { publish } : {}),
      ...(form.keepId ? { userns: 'keep-id' as const } : {}),
    },
  };
}
