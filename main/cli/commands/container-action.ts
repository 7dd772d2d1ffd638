// The shape of podman's simple batch verbs (start, stop, kill, pause, unpause, restart): act on each
// container named, print each name as given when it worked and `Error: …` for each that did not.
// Exit 0 when all worked, 125 otherwise (podman's code for these verbs).
import { PodbayError } from '../../../shared/errors.ts';
import type { Container } from '../../core/container.ts';
import { containerAction } from '../../core/container-batch.ts';
import type { CommandRun, CommandSpec, FlagSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export function actionCommand(spec: {
  name: string;
  aliases?: string[];
  summary: string;
  flags?: Record<string, FlagSpec>;
  examples?: string[];
  act: (ctr: Container, run: CommandRun) => Promise<unknown>;
}): CommandSpec {
  return {
    name: spec.name,
    aliases: spec.aliases ?? [`container ${spec.name}`],
    summary: spec.summary,
    usage: `${spec.name} [options] CONTAINER [CONTAINER...]`,
    flags: { all: { type: 'boolean', short: 'a', description: 'Act on all containers' }, ...spec.flags },
    ...(spec.examples ? { examples: spec.examples } : {}),
    async run(run) {
      const { args, flags, io } = run;
      const all = flags.all === true;
      if (all && args.length > 0) throw new PodbayError('ErrInvalidArg', '--all and containers cannot be given together');
      if (!all && args.length === 0) throw new PodbayError('ErrInvalidArg', `${spec.name} requires at least 1 argument\nSee 'podbay ${spec.name} --help'`);
      const runtime = await openCliRuntime(run);
      let reports;
      try {
        const names = all ? runtime.containers().map((c) => c.id()) : args;
        reports = await containerAction(runtime, names, (ctr) => spec.act(ctr, run), run.signal);
      } finally {
        runtime.shutdown(true);
      }
      let exit = 0;
      for (const report of reports) {
        if (report.error) {
          io.stderr(`Error: ${report.error.message}\n`);
          exit = 125;
        } else io.stdout(`${report.nameOrId}\n`);
      }
      return exit;
    },
  };
}

export function timeoutFlag(text: unknown): number | undefined {
  if (text === undefined) return undefined;
  const value = String(text);
  if (!/^\d+$/.test(value)) throw new PodbayError('ErrInvalidArg', `invalid timeout "${value}": expected whole seconds, 0 or more`);
  return Number(value);
}
