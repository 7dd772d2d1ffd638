// The shape of podman's pod verbs (pod start, stop, kill, restart): act on each pod named (or all with
// --all), print its full id when every member went along, `Error: …` for the pod or each member that
// did not. Exit 0 when all worked, 125 otherwise (1 when no pod by that name exists, as podman).
import { PodbayError } from '../../../shared/errors.ts';
import { podActions } from '../../core/pod-lifecycle.ts';
import type { PodActionOptions, PodVerb } from '../../core/pod-lifecycle.ts';
import type { CommandRun, CommandSpec, FlagSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export function podActionCommand(spec: {
  verb: PodVerb;
  summary: string;
  flags?: Record<string, FlagSpec>;
  examples?: string[];
  options?: (run: CommandRun) => PodActionOptions;
}): CommandSpec {
  const name = `pod ${spec.verb}`;
  return {
    name,
    summary: spec.summary,
    usage: `${name} [options] POD [POD...]`,
    flags: { all: { type: 'boolean', short: 'a', description: `${spec.verb[0]?.toUpperCase()}${spec.verb.slice(1)} all pods` }, ...spec.flags },
    ...(spec.examples ? { examples: spec.examples } : {}),
    async run(run) {
      const { args, flags, io } = run;
      const all = flags.all === true;
      if (all && args.length > 0) throw new PodbayError('ErrInvalidArg', '--all and pods cannot be given together');
      if (!all && args.length === 0) throw new PodbayError('ErrInvalidArg', `${name} requires at least 1 argument\nSee 'podbay ${name} --help'`);
      const options = { ...spec.options?.(run), ...(run.signal ? { signal: run.signal } : {}) };
      const runtime = await openCliRuntime(run);
      let reports;
      try {
        const names = all ? runtime.pods().map((p) => p.id()) : args;
        reports = await podActions(runtime, spec.verb, names, options);
      } finally {
        runtime.shutdown(true);
      }
      let exit = 0;
      for (const report of reports) {
        if (report.error) {
          io.stderr(`Error: ${report.error.message}\n`);
          exit = Math.max(exit, report.error.code === 'ErrNoSuchPod' ? 1 : 125);
          continue;
        }
        for (const member of report.containerErrors) {
          io.stderr(`Error: ${spec.verb} ${member.name}: ${member.error.message}\n`);
          exit = 125;
        }
        if (report.containerErrors.length === 0) io.stdout(`${report.id}\n`);
      }
      return exit;
    },
  };
}
