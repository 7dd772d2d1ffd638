// Registries as the Registries page and the push dialog show them: one line per registry (what it
// is for, how it is reached, who is logged in) and a registry test as three steps — reachable,
// login, push — each with a tone and a sentence saying what the user can do about it.
import type { RegistryInfo, RegistryTestReport } from '../../../shared/types/registries.ts';
import type { Tone } from '../presenters/system-presenters.ts';

export interface TestStepView {
  readonly key: 'reachable' | 'login' | 'push';
  readonly label: string;
  readonly tone: Tone;
  readonly status: string;
  readonly detail: string;
}

/** The three steps of a test report, in the order they ran. */
export function testSteps(report: RegistryTestReport): TestStepView[] {
  const steps: TestStepView[] = [];
  const r = report.reachable;
  steps.push(
    r.status === 'ok'
      ? { key: 'reachable', label: 'Reachable', tone: 'ok', status: 'Yes', detail: `Answers over ${r.scheme === 'http' ? 'plain HTTP' : 'HTTPS'}; ${authLabel(r.auth)}.` }
      : {
          key: 'reachable',
          label: 'Reachable',
          tone: 'danger',
          status: 'No',
          detail:
            r.error.code === 'ErrRegistryUnreachable'
              ? `No answer: ${r.error.message}. Check the host and port; for plain HTTP or a self-signed certificate mark it insecure or add its CA.`
              : `It answered, but not as a registry: ${r.error.message}.`,
        },
  );
  const l = report.login;
  switch (l.status) {
    case 'ok':
      steps.push({ key: 'login', label: 'Login', tone: 'ok', status: 'Works', detail: `Logged in as ${l.username}.` });
      break;
    case 'not-required':
      steps.push({ key: 'login', label: 'Login', tone: 'ok', status: 'Not needed', detail: 'The registry asks for no credentials.' });
      break;
    case 'anonymous':
      steps.push({ key: 'login', label: 'Login', tone: 'warning', status: 'Anonymous', detail: 'The registry asks for credentials and none are stored: give a username and password.' });
      break;
    case 'refused':
      steps.push({ key: 'login', label: 'Login', tone: 'danger', status: 'Refused', detail: `${l.error.message}. Check the username and password (or token).` });
      break;
    case 'skipped':
      steps.push({ key: 'login', label: 'Login', tone: 'neutral', status: 'Not tried', detail: 'Needs a reachable registry.' });
      break;
  }
  const p = report.push;
  switch (p.status) {
    case 'allowed':
      steps.push({
        key: 'push',
        label: 'Push',
        tone: 'ok',
        status: 'Allowed',
        detail: `May push to ${p.repository} (a test upload was opened and ${p.cleanedUp ? 'cancelled' : 'left for the registry to expire'}).`,
      });
      break;
    case 'denied':
      steps.push({ key: 'push', label: 'Push', tone: 'danger', status: 'Denied', detail: `These credentials may not push to ${p.repository}: log in as a user with write access, or choose a repository you own.` });
      break;
    case 'failed':
      steps.push({ key: 'push', label: 'Push', tone: 'warning', status: 'Unknown', detail: `The test upload to ${p.repository} failed: ${p.error.message}.` });
      break;
    case 'skipped':
      steps.push({ key: 'push', label: 'Push', tone: 'neutral', status: 'Not tried', detail: 'Needs a reachable registry and a working login.' });
      break;
  }
  return steps;
}

function authLabel(scheme: string): string {
  if (scheme === 'none') return 'no authentication';
  if (scheme === 'basic') return 'basic authentication';
  if (scheme === 'bearer') return 'token authentication';
  return `${scheme} authentication`;
}

/** A one-word verdict for a whole test (the dialog's headline). */
export function testVerdict(report: RegistryTestReport): { tone: Tone; text: string } {
  const steps = testSteps(report);
  if (steps.some((s) => s.tone === 'danger')) return { tone: 'danger', text: `${report.host}: ${steps.find((s) => s.tone === 'danger')!.label.toLowerCase()} failed` };
  if (steps.some((s) => s.tone === 'warning')) return { tone: 'warning', text: `${report.host}: reachable, with a warning` };
  return { tone: 'ok', text: `${report.host}: ready to push` };
}

/** What a registry is for, in a few words: "Search · insecure · CA". */
export function registryTraits(r: RegistryInfo): string[] {
  const out: string[] = [];
  if (r.search) out.push('Search');
  if (r.blocked) out.push('Blocked');
  if (r.insecure) out.push('Insecure (HTTP / unverified TLS)');
  if (r.caFiles.length > 0) out.push(r.caFiles.length === 1 ? 'Own CA' : `${r.caFiles.length} CAs`);
  if (r.location) out.push(`→ ${r.location}`);
  return out;
}

export function loginLabel(r: RegistryInfo): string {
  return r.login ? r.login.username : 'Not logged in';
}

/** Where it was configured: "Added in Podbay", "registries.conf", an auth file. */
export function originLabel(r: RegistryInfo): string {
  if (r.managed) return 'Added in Podbay';
  if (r.sources.includes('registries.conf') || r.sources.includes('unqualified-search-registries')) return 'registries.conf';
  return r.login ? 'Login only' : '—';
}

/** Registries a push can go to (not wildcard prefixes, not blocked), search registries first. */
export function pushTargets(list: readonly RegistryInfo[]): RegistryInfo[] {
  return list.filter((r) => !r.host.startsWith('*.') && !r.blocked);
}

/** Trims and checks `host[:port]` the way the engine will (so Add is disabled on what it refuses). */
export function hostProblem(text: string): string | null {
  const host = text.trim().replace(/^(https?|docker):\/\//, '').replace(/\/+$/, '');
  if (host === '') return 'Give the registry host, e.g. registry.example.com or 127.0.0.1:5000.';
  if (host.includes('/')) return 'Only the host and port: repositories are chosen when pushing.';
  if (!/^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(host)) return 'Not a host name: letters, digits, dots and dashes, optionally :port.';
  return null;
}
