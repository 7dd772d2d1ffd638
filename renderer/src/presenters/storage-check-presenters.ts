// What the System page says about a system.check report, as pure functions (tested without a DOM).
import type { CheckIssueKind, SystemCheckIssue, SystemCheckReport } from '../../../shared/types/system-check.ts';
import { unresolvedIssues } from '../../../shared/types/system-check.ts';
import type { Tone } from './system-presenters.ts';

const kindLabels: Record<CheckIssueKind, string> = {
  database: 'Damaged database',
  'damaged-image': 'Damaged image',
  refcount: 'Wrong reference count',
  garbage: 'Leftover content',
  'stale-lock': 'Stale lock',
  'dead-monitor': 'Container monitor gone',
  'orphan-runtime': 'Leftover runtime container',
  'leaked-mount': 'Leftover mount',
  'orphan-files': 'Leftover files',
  'missing-files': 'Missing files',
  'stale-network': 'Leftover network state',
};

export function checkIssueLabel(kind: CheckIssueKind): string {
  return kindLabels[kind];
}

export interface CheckSummary {
  tone: Tone;
  headline: string;
  detail: string;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function checkSummary(report: SystemCheckReport): CheckSummary {
  const c = report.checked;
  const checked = `Checked ${count(c.containers, 'container')}, ${count(c.pods, 'pod')} and ${count(c.images, 'image')} (${count(c.blobs, 'blob')}, ${count(c.layers, 'layer')})${report.quick ? ', quickly' : ''}.`;
  const skipped = report.skipped.length ? ` Not checked: ${report.skipped.join('; ')}.` : '';
  if (report.issues.length === 0) return { tone: 'ok', headline: 'No problems found', detail: checked + skipped };
  const left = unresolvedIssues(report);
  const repaired = report.issues.length - left.length;
  if (left.length === 0) return { tone: 'ok', headline: `All ${count(repaired, 'problem')} repaired`, detail: checked + skipped };
  const repairable = left.filter((i) => i.repairable).length;
  const parts = [repaired > 0 ? `${repaired} repaired` : null, repairable > 0 ? `${repairable} can be repaired` : null, left.length > repairable ? `${left.length - repairable} cannot be repaired here` : null].filter(Boolean);
  return { tone: left.length > repairable ? 'danger' : 'warning', headline: `${count(report.issues.length, 'problem')} found: ${parts.join(', ')}`, detail: checked + skipped };
}

export interface CheckIssueRow {
  key: string;
  label: string;
  subject: string;
  problem: string;
  outcome: string;
  tone: Tone;
}

function outcome(issue: SystemCheckIssue): { text: string; tone: Tone } {
  if (issue.repaired) return { text: `Repaired: ${issue.repaired}`, tone: 'ok' };
  if (issue.repairable) return { text: 'Repairable', tone: 'warning' };
  return { text: 'Not repairable here', tone: 'danger' };
}

export function checkIssueRows(report: SystemCheckReport): CheckIssueRow[] {
  return report.issues.map((issue, i) => {
    const o = outcome(issue);
    return { key: `${i}-${issue.kind}-${issue.subject}`, label: checkIssueLabel(issue.kind), subject: issue.subject, problem: sentence(issue.problem), outcome: o.text, tone: o.tone };
  });
}

/** Whether a Repair action would change anything. */
export function canRepair(report: SystemCheckReport): boolean {
  return unresolvedIssues(report).some((i) => i.repairable);
}

function sentence(text: string): string {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}
