// `podbay image history IMAGE`: the config's history newest first, as podman prints it — the image
// ID on the top line and <missing> below, each non-empty entry sized by its layer's uncompressed
// bytes; `--format json`, `--no-trunc`, `-q`, `-H=false`.
import { PodbayError } from '../../../shared/errors.ts';
import { humanDuration } from '../../../shared/types/containers.ts';
import { humanSize } from '../../../shared/types/images.ts';
import type { ImageInspect } from '../../../shared/types/images.ts';
import type { CommandSpec } from '../command.ts';
import { openCliImages, tabulate } from './images.ts';

export interface HistoryLine {
  id: string;
  created: string | null;
  createdBy: string;
  size: number;
  comment: string;
  tags: string[] | null;
}

/** One line per history entry, newest first; layers without history entries get one each. */
export function historyLines(image: ImageInspect): HistoryLine[] {
  const entries = image.history.length > 0 ? image.history : image.layers.map(() => ({}) as ImageInspect['history'][number]);
  let layer = 0;
  const lines = entries.map((h) => {
    const size = h.empty_layer ? 0 : (image.layers[layer++]?.diffSize ?? 0);
    return { id: '<missing>', created: h.created ?? null, createdBy: h.created_by ?? '', size: Math.max(0, size), comment: h.comment ?? '', tags: null as string[] | null };
  });
  lines.reverse();
  if (lines[0]) {
    lines[0].id = image.id;
    lines[0].tags = image.repoTags.length ? image.repoTags : null;
  }
  return lines;
}

export const command: CommandSpec = {
  name: 'image history',
  aliases: ['history'],
  summary: 'Show history of a specified image',
  usage: 'image history [options] IMAGE',
  minArgs: 1,
  maxArgs: 1,
  flags: {
    format: { type: 'string', description: "'table' (default) or 'json'", valueName: 'FORMAT' },
    human: { type: 'string', short: 'H', description: 'Display sizes and dates in human readable format (default true)', valueName: 'BOOL' },
    'no-trunc': { type: 'boolean', description: 'Do not truncate the output' },
    quiet: { type: 'boolean', short: 'q', description: 'Display the numeric IDs only' },
  },
  examples: ['podbay image history busybox', 'podbay history --format json busybox'],
  async run(run) {
    const { flags, io, args } = run;
    const format = (flags.format as string | undefined) ?? 'table';
    if (format !== 'table' && format !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(format)}: use table or json`);
    const images = await openCliImages(run);
    let image: ImageInspect;
    try {
      image = images.inspect(args[0]!);
    } finally {
      images.close();
    }
    const lines = historyLines(image);
    const noTrunc = flags['no-trunc'] === true;
    const shortId = (id: string) => (id === '<missing>' || noTrunc ? id : id.slice(0, 12));
    if (flags.quiet === true) {
      io.stdout(lines.map((l) => `${shortId(l.id)}\n`).join(''));
      return 0;
    }
    if (format === 'json') {
      io.stdout(`${JSON.stringify(lines.map((l) => ({ id: l.id, created: l.created, CreatedBy: l.createdBy, size: l.size, comment: l.comment, tags: l.tags })), null, 4)}\n`);
      return 0;
    }
    const human = flags.human !== 'false';
    const now = Date.now();
    const rows = [['ID', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT']];
    for (const l of lines) {
      const by = noTrunc || l.createdBy.length <= 45 ? l.createdBy : `${l.createdBy.slice(0, 42)}...`;
      const created = l.created === null ? '' : human ? `${humanDuration(Math.max(0, now - Date.parse(l.created)))} ago` : l.created;
      rows.push([shortId(l.id), created, by, human ? humanSize(l.size) : String(l.size), l.comment]);
    }
    io.stdout(tabulate(rows));
    return 0;
  },
};
