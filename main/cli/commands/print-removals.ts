// How podman's removal commands (rm, pod rm, network rm) answer: a line on stdout for each object
// removed, `Error: …` on stderr for each that was not, and the exit code of the worst failure —
// 1 when something did not exist, 2 when something was in a state (or use) that forbids removal,
// 125 for anything else.
import type { ErrorCode, ErrorData } from '../../../shared/errors.ts';
import type { CommandIO } from '../command.ts';

export interface RemovalLine {
  error: ErrorData | null;
}

export function printRemovals<R extends RemovalLine>(io: CommandIO, reports: readonly R[], removed: (report: R) => string, codes: { missing: ErrorCode; busy: ErrorCode }): number {
  let exit = 0;
  for (const report of reports) {
    if (!report.error) {
      io.stdout(`${removed(report)}\n`);
      continue;
    }
    io.stderr(`Error: ${report.error.message}\n`);
    exit = Math.max(exit, report.error.code === codes.missing ? 1 : report.error.code === codes.busy ? 2 : 125);
  }
  return exit;
}
