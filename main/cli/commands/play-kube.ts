// `podbay play kube [--down] [--replace] [--network NET] FILE|-`: creates and starts the pods a
// Kubernetes YAML describes (pull progress on stderr), or takes them down; podman's output — the
// pod and container ids — and a warning per kind or field that was ignored.
import { createReadStream } from 'node:fs';
import { maxKubeYamlBytes } from '../../../shared/types/kube.ts';
import type { KubeIgnored } from '../../../shared/types/kube.ts';
import { downKube, playKube } from '../../core/kube/kube-play.ts';
import type { CommandIO, CommandSpec, FlagSpec } from '../command.ts';
import { registryFlags, registryOptions } from './images.ts';
import { openCliRuntime, stringList } from './ps.ts';
import { ProgressPrinter, pullFramePrinter } from './pull.ts';

/** The file (or stdin), read only up to one byte past the limit: the reader refuses what is longer. */
async function readYaml(path: string): Promise<string> {
  const source = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 64 * 1024 });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buffer);
    size += buffer.length;
    if (size > maxKubeYamlBytes) break;
  }
  if (path !== '-') (source as ReturnType<typeof createReadStream>).destroy();
  return Buffer.concat(chunks).toString('utf8');
}

function warnIgnored(io: CommandIO, ignored: readonly KubeIgnored[]): void {
  for (const entry of ignored) io.stderr(`Warning: ${entry.path}: ${entry.reason}: ignored\n`);
}

export const command: CommandSpec = {
  name: 'play kube',
  aliases: ['kube play'],
  summary: 'Play a pod and its containers from a Kubernetes YAML',
  usage: 'play kube [options] KUBEFILE|-',
  minArgs: 1,
  maxArgs: 1,
  flags: {
    down: { type: 'boolean', description: 'Stop and remove the pods the YAML describes' },
    replace: { type: 'boolean', description: 'Remove pods of the same names first' },
    network: { type: 'string', multiple: true, description: "The pods' network: bridge (default), NAME, none or host", valueName: 'NETWORK' },
    quiet: { type: 'boolean', short: 'q', description: 'Suppress the pull progress' },
    'tls-verify': registryFlags['tls-verify'] as FlagSpec,
  },
  examples: ['podbay play kube web.yaml', 'podbay play kube --replace web.yaml', 'podbay play kube --down web.yaml', 'podbay generate kube web | podbay play kube --replace -'],
  async run(run) {
    const { flags, io } = run;
    const { tlsVerify, args } = registryOptions(run);
    const yaml = await readYaml(args[0] ?? '-');
    const runtime = await openCliRuntime(run);
    try {
      if (flags.down === true) {
        const report = await downKube(runtime, yaml, { signal: run.signal });
        warnIgnored(io, report.ignored);
        io.stdout(`Pods stopped:\n${report.pods.map((p) => `${p.id}\n`).join('')}Pods removed:\n${report.pods.map((p) => `${p.id}\n`).join('')}`);
        return 0;
      }
      const printer = new ProgressPrinter(io, io.isTTY);
      const print = pullFramePrinter(printer);
      const network = stringList(flags.network);
      try {
        const report = await playKube(runtime, yaml, {
          replace: flags.replace === true,
          ...(tlsVerify !== undefined ? { tlsVerify } : {}),
          ...(network.length ? { network } : {}),
          signal: run.signal,
          ...(flags.quiet === true ? {} : { onPullFrame: (_image: string, frame: Parameters<typeof print>[0]) => print(frame) }),
        });
        printer.finish();
        warnIgnored(io, report.ignored);
        for (const pod of report.pods) io.stdout(`Pod:\n${pod.id}\nContainers:\n${pod.containers.map((c) => `${c.id}\n`).join('')}\n`);
      } finally {
        printer.finish();
      }
      return 0;
    } finally {
      runtime.shutdown(true);
    }
  },
};
