// `podbay create [options] IMAGE [CMD [ARG…]]` or `create --rootfs PATH [options] CMD [ARG…]`: a
// container in the `configured` state (podman's "Created"), printing its full id. The image is pulled
// first as `--pull` says (missing by default), its progress on stderr. Flags come before IMAGE; use
// `--` before a command whose arguments start with a dash.
import { withAnnotations } from '../../core/container-config.ts';
import type { ContainerOption } from '../../core/container-config.ts';
import { createContainer } from '../../core/container-create.ts';
import type { CommandSpec } from '../command.ts';
import { containerCreateFlags, createOptionsFromFlags, keyValues, pullHooks } from './container-flags.ts';
import { openCliRuntime, stringList } from './ps.ts';

export { keyValues };

export const command: CommandSpec = {
  name: 'create',
  aliases: ['container create'],
  summary: 'Create but do not start a container',
  usage: 'create [options] IMAGE [COMMAND [ARG...]]  |  create --rootfs PATH [options] COMMAND [ARG...]',
  minArgs: 1,
  stopAtFirstPositional: true,
  flags: containerCreateFlags,
  examples: ['podbay create --name web busybox httpd -f -p 8080', 'podbay create --pull always --entrypoint sh busybox -c "echo hi"', 'podbay create --rootfs /srv/rootfs --label app=web -- sh -c "echo hi"'],
  async run(run) {
    const input = createOptionsFromFlags(run);
    const extra: ContainerOption[] = [];
    const annotations = keyValues(stringList(run.flags.annotation), 'annotation');
    if (Object.keys(annotations).length) extra.push(withAnnotations(annotations));
    const runtime = await openCliRuntime(run);
    try {
      const ctr = await createContainer(runtime, input, extra, { signal: run.signal }, await pullHooks(run, input));
      run.io.stdout(`${ctr.id()}\n`);
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
