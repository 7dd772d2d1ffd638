// `podbay volume create [--label K=V] [--opt K=V] [--ignore] [NAME]` (podman volume create): prints the
// volume's name (drawn when none is given).
import { withVolumeDriver, withVolumeLabels, withVolumeName, withVolumeOptions } from '../../core/volume-config.ts';
import type { VolumeOption } from '../../core/volume-config.ts';
import type { CommandSpec } from '../command.ts';
import { keyValues } from './container-flags.ts';
import { openCliRuntime, stringList } from './ps.ts';

export const command: CommandSpec = {
  name: 'volume create',
  summary: 'Create a new volume',
  usage: 'volume create [options] [NAME]',
  maxArgs: 1,
  flags: {
    driver: { type: 'string', short: 'd', description: 'Volume driver (only local)', valueName: 'DRIVER' },
    label: { type: 'string', short: 'l', multiple: true, description: 'Set metadata for a volume', valueName: 'KEY=VALUE' },
    opt: { type: 'string', short: 'o', multiple: true, description: 'Driver option: type, device, o (a mount made while containers use it), uid, gid, nocopy', valueName: 'KEY=VALUE' },
    ignore: { type: 'boolean', description: 'Do not fail if the volume already exists' },
  },
  examples: ['podbay volume create data', 'podbay volume create --label app=db dbdata', 'podbay volume create --opt type=tmpfs --opt device=tmpfs --opt o=size=64m scratch'],
  async run(run) {
    const { flags, args, io } = run;
    const options: VolumeOption[] = [];
    if (args[0] !== undefined) options.push(withVolumeName(args[0]));
    if (typeof flags.driver === 'string') options.push(withVolumeDriver(flags.driver));
    const labels = keyValues(stringList(flags.label), 'label');
    if (Object.keys(labels).length) options.push(withVolumeLabels(labels));
    const opts = keyValues(stringList(flags.opt), 'opt');
    if (Object.keys(opts).length) options.push(withVolumeOptions(opts));
    const runtime = await openCliRuntime(run);
    try {
      const vol = await runtime.newVolume(options, { ignoreIfExists: flags.ignore === true });
      io.stdout(`${vol.name()}\n`);
    } finally {
      runtime.shutdown(true);
    }
    return 0;
  },
};
