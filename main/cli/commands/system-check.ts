// `podbay system check [--repair] [--quick] [--force] [--format json]` (podman system check): reports
// what is damaged or left over in the store and, with --repair, repairs it, saying what it did. Exit 0
// when nothing is left to repair, 1 when problems remain (as fsck: scripts can tell), 125 on errors.
import { PodbayError, hasCode } from '../../../shared/errors.ts';
import type { SystemCheckIssue, SystemCheckReport } from '../../../shared/types/system-check.ts';
import { unresolvedIssues } from '../../../shared/types/system-check.ts';
import { checkSystem } from '../../core/system/system-check.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function issueLines(issue: SystemCheckIssue): string {
  const outcome = issue.repaired ? `repaired: ${issue.repaired}` : issue.repairable ? 'repairable' : 'not repairable here';
  return `  ${issue.kind}: ${issue.problem}\n    ${issue.subject} (${outcome})\n`;
}

/** The report as text: what was checked, each problem with what was done, and a verdict. */
export function formatCheckReport(report: SystemCheckReport): string {
  const c = report.checked;
  let text = `Checked ${plural(c.containers, 'container')}, ${plural(c.pods, 'pod')}, ${plural(c.images, 'image')} (${plural(c.blobs, 'blob')}, ${plural(c.layers, 'layer')})${report.quick ? ', quickly' : ''}.\n`;
  for (const skipped of report.skipped) text += `Not checked: ${skipped}.\n`;
  if (report.issues.length === 0) return `${text}No problems found.\n`;
  text += `${plural(report.issues.length, 'problem')} found:\n${report.issues.map(issueLines).join('')}`;
  const left = unresolvedIssues(report);
  const repaired = report.issues.length - left.length;
  if (left.length === 0) return `${text}All ${plural(repaired, 'problem')} repaired.\n`;
  const repairable = left.filter((i) => i.repairable).length;
  if (repaired > 0) text += `${plural(repaired, 'problem')} repaired.\n`;
  if (repairable > 0) text += `${plural(repairable, 'problem')} can be repaired: run podbay system check --repair${left.some((i) => i.kind === 'missing-files' && !i.repairable) ? ' (--force also removes containers on damaged images)' : ''}.\n`;
  if (left.length > repairable) text += `${plural(left.length - repairable, 'problem')} cannot be repaired by podbay.\n`;
  return text;
}

/** A store too damaged to open is itself the finding. */
function unopenable(error: PodbayError, repair: boolean, quick: boolean): SystemCheckReport {
  return {
    repair,
    quick,
    checked: { containers: 0, pods: 0, images: 0, blobs: 0, layers: 0 },
    issues: [{ kind: 'database', subject: 'podbay.db', problem: error.message, repairable: false }],
    skipped: ['everything else: the store could not be opened'],
  };
}

export const command: CommandSpec = {
  name: 'system check',
  summary: 'Check storage consistency and optionally repair it',
  usage: 'system check [options]',
  maxArgs: 0,
  flags: {
    repair: { type: 'boolean', short: 'r', description: 'Repair what can be repaired (remove damaged images, leftovers, stale locks)' },
    quick: { type: 'boolean', short: 'q', description: 'Skip the slow checks (full database integrity, re-hashing every blob)' },
    force: { type: 'boolean', short: 'f', description: 'With --repair, also remove containers whose image content is damaged or missing' },
    format: { type: 'string', description: "Output format: 'json' for the report as data", valueName: 'FORMAT' },
  },
  examples: ['podbay system check', 'podbay system check --repair', 'podbay system check --quick --format json'],
  async run(run) {
    const { flags, io } = run;
    if (flags.format !== undefined && flags.format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(flags.format)}: use json`);
    const repair = flags.repair === true;
    const quick = flags.quick === true;
    let report: SystemCheckReport;
    try {
      const runtime = await openCliRuntime(run);
      try {
        report = await checkSystem(runtime, { repair, quick, force: flags.force === true, signal: run.signal });
      } finally {
        runtime.shutdown(true);
      }
    } catch (error) {
      if (!(error instanceof PodbayError) || !(hasCode(error, 'ErrStoreCorrupt') || hasCode(error, 'ErrStoreTooNew'))) throw error;
      report = unopenable(error, repair, quick);
    }
    io.stdout(flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report));
    return unresolvedIssues(report).length === 0 ? 0 : 1;
  },
};
