// `podbay system prune [-a] [--volumes] [-f]` (podman system prune): removes stopped pods and
// containers, dangling images (every unused one with -a) and the content nothing references. Without
// -f it asks first, as podman does; an answer other than y (or no terminal to answer on) changes nothing.
import { PodbayError } from '../../../shared/errors.ts';
import { humanSize } from '../../../shared/types/images.ts';
import type { SystemPruneReport } from '../../../shared/types/system-check.ts';
import { pruneSystem } from '../../core/system/system-prune.ts';
import type { CommandSpec } from '../command.ts';
import { confirmed } from './confirm.ts';
import { openCliRuntime } from './ps.ts';

export function formatPruneReport(report: SystemPruneReport): string {
  const section = (title: string, items: string[]) => (items.length ? `Deleted ${title}\n${items.map((i) => `${i}\n`).join('')}` : '');
  return `${section('Pods', report.pods)}${section('Containers', report.containers)}${section('Images', report.images)}${section('Volumes', report.volumes)}Total reclaimed space: ${humanSize(report.reclaimedBytes)}\n`;
}

export const command: CommandSpec = {
  name: 'system prune',
  summary: 'Remove unused data: stopped containers and pods, unused images',
  usage: 'system prune [options]',
  maxArgs: 0,
  flags: {
    all: { type: 'boolean', short: 'a', description: 'Remove all unused images, not just dangling ones' },
    volumes: { type: 'boolean', description: 'Prune volumes too' },
    force: { type: 'boolean', short: 'f', description: 'Do not prompt for confirmation' },
    format: { type: 'string', description: "Output format: 'json' for the report as data", valueName: 'FORMAT' },
  },
  examples: ['podbay system prune', 'podbay system prune -a -f'],
  async run(run) {
    const { flags, io } = run;
    if (flags.format !== undefined && flags.format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(flags.format)}: use json`);
    if (flags.force !== true) {
      const what = ['all pods with no running containers', 'all stopped containers', flags.all === true ? 'all images without at least one container associated with them' : 'all dangling images', ...(flags.volumes === true ? ['all volumes not used by at least one container'] : [])];
      const question = `WARNING! This command removes:\n${what.map((w) => `\t- ${w}\n`).join('')}\nAre you sure you want to continue? [y/N] `;
      if (!(await confirmed(question))) return 0;
    }
    const runtime = await openCliRuntime(run);
    let report: SystemPruneReport;
    try {
      report = await pruneSystem(runtime, { all: flags.all === true, volumes: flags.volumes === true, signal: run.signal });
    } finally {
      runtime.shutdown(true);
    }
    io.stdout(flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatPruneReport(report));
    for (const error of report.errors) io.stderr(`Error: ${error.subject}: ${error.message}\n`);
    return report.errors.length === 0 ? 0 : 125;
  },
};
