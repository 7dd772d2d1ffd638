// `podbay generate kube [--service] [-f FILE] POD|CTR...`: the Kubernetes YAML of pods and
// containers on stdout, or in FILE (written beside it and renamed into place), as podman.
import { renameSync, writeFileSync } from 'node:fs';
import { generateKube } from '../../core/kube/kube-generate.ts';
import type { CommandSpec } from '../command.ts';
import { openCliRuntime } from './ps.ts';

export const command: CommandSpec = {
  name: 'generate kube',
  aliases: ['kube generate'],
  summary: 'Generate Kubernetes YAML based on containers or pods',
  usage: 'generate kube [options] POD|CONTAINER [POD|CONTAINER...]',
  minArgs: 1,
  flags: {
    service: { type: 'boolean', short: 's', description: 'Generate a Service (type NodePort) for each pod with ports' },
    filename: { type: 'string', short: 'f', description: 'Write the YAML to this file', valueName: 'FILE' },
  },
  examples: ['podbay generate kube web > web.yaml', 'podbay generate kube --service -f web.yaml web', 'podbay generate kube ctr1 ctr2'],
  async run(run) {
    const { flags, args, io } = run;
    const runtime = await openCliRuntime(run);
    try {
      const yaml = await generateKube(runtime, args, { service: flags.service === true });
      const file = flags.filename as string | undefined;
      if (file) {
        const temp = `${file}.podbay-${process.pid}.tmp`;
        writeFileSync(temp, yaml);
        renameSync(temp, file);
      } else {
        io.stdout(yaml);
      }
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
