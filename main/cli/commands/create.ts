// `podbay create --rootfs PATH [options] CMD [ARG…]`: a container from a root directory, in the
// `configured` state (podman's "Created"), printing its full id. Image-based create arrives with the
// images issue. Flags come before CMD; use `--` before a command whose arguments start with a dash.
import { withAnnotations, withPod } from '../../core/container-config.ts';
import type { ContainerOption } from '../../core/container-config.ts';
import { createContainer } from '../../core/container-create.ts';
import type { CommandSpec } from '../command.ts';
import { containerCreateFlags, createOptionsFromFlags, keyValues } from './container-flags.ts';
import { openCliRuntime, stringList } from './ps.ts';

export { keyValues };

export const command: CommandSpec = {
  name: 'create',
  aliases: ['container create'],
  summary: 'Create but do not start a container',
  usage: 'create --rootfs PATH [options] COMMAND [ARG...]',
  minArgs: 1,
  stopAtFirstPositional: true,
  flags: containerCreateFlags,
  examples: ['podbay create --name web --rootfs /srv/rootfs /bin/httpd -f', 'podbay create --rootfs /srv/rootfs --label app=web -- sh -c "echo hi"'],
  async run(run) {
    const input = createOptionsFromFlags(run);
    const extra: ContainerOption[] = [];
    const annotations = keyValues(stringList(run.flags.annotation), 'annotation');
    if (Object.keys(annotations).length) extra.push(withAnnotations(annotations));
    const runtime = await openCliRuntime(run);
    try {
      if (run.flags.pod !== undefined) extra.push(withPod(runtime.lookupPod(run.flags.pod as string)));
      const ctr = await createContainer(runtime, input, extra, { signal: run.signal });
      run.io.stdout(`${ctr.id()}\n`);
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
