// `podbay pod inspect POD…`: a JSON array (podman 5), one entry per pod found; names not found are
// reported after it, and the exit code is 125.
import { PodbayError } from '../../../shared/errors.ts';
import { inspectPod } from '../../core/pod-inspect.ts';
import type { CommandSpec } from '../command.ts';
import { toPodmanPodJson } from './pod-ps.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'pod inspect',
  summary: 'Display information describing a pod',
  usage: 'pod inspect [options] POD [POD...]',
  minArgs: 1,
  flags: {
    format: { type: 'string', short: 'f', description: "Output format: 'json' (default)", valueName: 'FORMAT' },
  },
  examples: ['podbay pod inspect web'],
  async run(run) {
    const { flags, args, io } = run;
    if (flags.format !== undefined && flags.format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(flags.format)}: use json`);
    const runtime = await openCliRuntime(run);
    const found: ReturnType<typeof toPodmanPodJson>[] = [];
    const errors: string[] = [];
    try {
      for (const nameOrId of args) {
        try {
          found.push(toPodmanPodJson(inspectPod(runtime.lookupPod(nameOrId), runtime.state())));
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
  },
};
