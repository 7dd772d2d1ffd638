// `podbay image inspect IMAGE…`: one JSON array of what was found (podman's field names for the
// common fields, plus the layer details Podbay keeps), `Error:` per name not found, exit 125 then.
import { PodbayError } from '../../../shared/errors.ts';
import type { ImageInspect } from '../../../shared/types/images.ts';
import type { CommandSpec } from '../command.ts';
import { openCliImages } from './images.ts';

function toPodmanInspect(i: ImageInspect) {
  return {
    Id: i.id,
    Digest: i.digest,
    RepoTags: i.repoTags,
    RepoDigests: i.repoDigests,
    Parent: '',
    Comment: '',
    Created: i.created,
    Config: i.config,
    Version: '',
    Author: i.author ?? '',
    Architecture: i.architecture,
    Os: i.os,
    ...(i.variant ? { Variant: i.variant } : {}),
    Size: i.size,
    VirtualSize: i.size,
    GraphDriver: { Name: 'overlay', Data: { LowerDir: i.layerPaths.slice(1).join(':'), UpperDir: i.layerPaths[0] ?? '' } },
    RootFS: { Type: 'layers', Layers: i.layers.map((l) => l.diffId) },
    Labels: Object.keys(i.labels).length ? i.labels : null,
    Annotations: {},
    ManifestType: i.manifestMediaType,
    User: typeof i.config.User === 'string' ? i.config.User : '',
    History: i.history,
    NamesHistory: [],
    Podbay: { ConfigDigest: i.configDigest, ListDigest: i.listDigest, StoredAt: i.storedAt, Layers: i.layers, LayerPaths: i.layerPaths },
  };
}

export const command: CommandSpec = {
  name: 'image inspect',
  summary: 'Display the configuration of an image',
  usage: 'image inspect [options] IMAGE [IMAGE...]',
  minArgs: 1,
  flags: {
    format: { type: 'string', short: 'f', description: "Format the output: 'json' (default)", valueName: 'FORMAT' },
  },
  examples: ['podbay image inspect busybox'],
  async run(run) {
    const { flags, args, io } = run;
    if (flags.format !== undefined && flags.format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(flags.format)}: use json`);
    const images = await openCliImages(run);
    const found: unknown[] = [];
    const errors: string[] = [];
    try {
      for (const nameOrId of args) {
        try {
          found.push(toPodmanInspect(images.inspect(nameOrId)));
        } catch (error) {
          if (!(error instanceof PodbayError)) throw error;
          errors.push(`Error: ${error.message}\n`);
        }
      }
    } finally {
      images.close();
    }
    io.stdout(`${JSON.stringify(found, null, 4)}\n`);
    for (const e of errors) io.stderr(e);
    return errors.length ? 125 : 0;
  },
};
