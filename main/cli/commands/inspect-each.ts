// What `container inspect` and `pod inspect` share, as podman prints it: one JSON array of what was
// found, then an `Error:` line per name that was not, and exit 125 when any was missing.
import { PodbayError } from '../../../shared/errors.ts';
import type { Runtime } from '../../core/runtime.ts';
import type { CommandRun } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export async function inspectEach(run: CommandRun, inspectOne: (runtime: Runtime, nameOrId: string) => unknown): Promise<number> {
  const { flags, args, io } = run;
  if (flags.format !== undefined && flags.format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(flags.format)}: use json`);
  const runtime = await openCliRuntime(run);
  const found: unknown[] = [];
  const errors: string[] = [];
  try {
    for (const nameOrId of args) {
      try {
        found.push(await inspectOne(runtime, nameOrId));
      } catch (error) {
        if (!(error instanceof PodbayError)) throw error;
        errors.push(`Error: ${error.message}\n`);
      }
    }
  } finally {
    runtime.shutdown(true);
  }
  io.stdout(`${JSON.stringify(found, null, 4)}\n`);
  for (const e of errors) io.stderr(e);
  return errors.length ? 125 : 0;
}
