// `podbay pull [--all-tags] [--tls-verify=false] [--creds U:P] [--authfile F] [--platform OS/ARCH] [-q] REF`:
// podman's output: "Trying to pull …", "Copying blob …" per layer, "Writing manifest …" on stderr
// and the image ID on stdout. On a terminal each layer is a line with its bytes, redrawn in place
// about ten times a second; otherwise each step is one plain line.
import { PodbayError } from '../../../shared/errors.ts';
import { binarySize } from '../../../shared/types/images.ts';
import type { ImagePullFrame, ImagePushFrame } from '../../../shared/types/images.ts';
import type { CommandIO, CommandSpec } from '../command.ts';
import { openCliImages, registryFlags, registryOptions } from './images.ts';

interface LayerLine {
  digest: string;
  done: number;
  total: number;
  bytesPerSecond: number;
  state: 'waiting' | 'copying' | 'verifying' | 'done' | 'skipped';
}

/**
 * Prints pull/push progress as podman does. TTY: one line per blob, rewritten in place (cursor up,
 * erase line) at most every 100 ms. Not a TTY: one line when a blob starts and nothing per byte.
 */
export class ProgressPrinter {
  private readonly lines: LayerLine[] = [];
  private drawn = 0;
  private lastDraw = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Something changed since the block was last drawn. */
  private dirty = false;

  constructor(private readonly io: CommandIO, private readonly tty: boolean, private readonly verb = 'Copying blob') {}

  private line(digest: string, total = 0): LayerLine {
    let line = this.lines.find((l) => l.digest === digest);
    if (!line) {
      line = { digest, done: 0, total, bytesPerSecond: 0, state: 'waiting' };
      this.lines.push(line);
      this.dirty = true;
      if (!this.tty) this.io.stderr(`${this.verb} ${digest}\n`);
    }
    return line;
  }

  text(message: string): void {
    this.draw(true);
    if (this.tty && this.drawn > 0) {
      // Printed above the progress block: erase the block, print, redraw below.
      this.io.stderr(`\x1b[${this.drawn}A\x1b[J${message}\n`);
      this.drawn = 0;
      this.dirty = true;
      this.draw(true);
      return;
    }
    this.io.stderr(`${message}\n`);
  }

  blobs(list: { digest: string; size: number }[]): void {
    for (const b of list) this.line(b.digest, b.size);
    this.draw(true);
  }

  bytes(digest: string, done: number, total: number, bytesPerSecond = 0): void {
    const line = this.line(digest, total);
    Object.assign(line, { done, total, bytesPerSecond, state: done >= total ? 'verifying' : 'copying' });
    this.dirty = true;
    this.draw(false);
  }

  state(digest: string, state: LayerLine['state'], total?: number): void {
    const line = this.line(digest, total);
    line.state = state;
    if (total !== undefined) line.total = total;
    if (state === 'done' || state === 'skipped') line.done = line.total;
    if (!this.tty && state === 'skipped') this.io.stderr(`${this.verb} ${digest} skipped: already exists\n`);
    this.dirty = true;
    this.draw(state === 'done' || state === 'skipped');
  }

  private render(l: LayerLine): string {
    const short = l.digest.replace(/^sha256:/, '').slice(0, 12);
    if (l.state === 'skipped') return `${this.verb} ${short} skipped: already exists`;
    if (l.state === 'done') return `${this.verb} ${short} done   ${binarySize(l.total)} / ${binarySize(l.total)}`;
    const width = 20;
    const fraction = l.total > 0 ? Math.min(1, l.done / l.total) : 0;
    const filled = Math.round(fraction * width);
    const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${'-'.repeat(width - filled)}]`;
    const speed = l.bytesPerSecond > 0 ? ` | ${binarySize(l.bytesPerSecond)}/s` : '';
    const tail = l.state === 'verifying' ? ' verifying' : '';
    return `${this.verb} ${short} ${bar} ${binarySize(l.done)} / ${binarySize(l.total)}${speed}${tail}`;
  }

  /** Redraws the block when `force` or when 100 ms have passed; otherwise schedules one redraw. */
  draw(force: boolean): void {
    if (!this.tty || !this.dirty) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.draw(true);
      }, 100 - (now - this.lastDraw));
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.lastDraw = now;
    this.dirty = false;
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.io.stderr(`${up}${this.lines.map((l) => `\x1b[2K${this.render(l)}\n`).join('')}`);
    this.drawn = this.lines.length;
  }

  finish(): void {
    this.draw(true);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export function pullFramePrinter(printer: ProgressPrinter): (frame: ImagePullFrame) => void {
  let configShown = false;
  return (frame) => {
    switch (frame.type) {
      case 'resolving':
        printer.text(`Trying to pull ${frame.reference}...`);
        break;
      case 'manifest':
        printer.text('Getting image source signatures');
        printer.blobs(frame.layers);
        break;
      case 'layer-bytes':
        printer.bytes(frame.digest, frame.done, frame.total, frame.bytesPerSecond);
        break;
      case 'layer-exists':
        printer.state(frame.digest, 'skipped', frame.size);
        break;
      case 'layer-verifying':
        printer.state(frame.digest, 'verifying');
        break;
      case 'layer-done':
        printer.state(frame.digest, 'done', frame.size);
        break;
      case 'layer-resumed':
        break;
      case 'done':
        printer.finish();
        if (!configShown) printer.text(`Copying config sha256:${frame.imageId}`);
        configShown = true;
        printer.text('Writing manifest to image destination');
        break;
      default:
        break;
    }
  };
}

export function pushFramePrinter(printer: ProgressPrinter): (frame: ImagePushFrame) => void {
  return (frame) => {
    switch (frame.type) {
      case 'blob-bytes':
        printer.bytes(frame.digest, frame.done, frame.total, frame.bytesPerSecond);
        break;
      case 'blob-exists':
      case 'blob-mounted':
        printer.state(frame.digest, 'skipped', frame.size);
        break;
      case 'blob-done':
        printer.state(frame.digest, 'done', frame.size);
        break;
      case 'manifest-written':
        printer.finish();
        printer.text('Writing manifest to image destination');
        break;
      default:
        break;
    }
  };
}

export function parsePlatform(value: string): { os: string; architecture: string; variant?: string } {
  const [os, architecture, variant, extra] = value.split('/');
  if (!os || !architecture || extra !== undefined) throw new PodbayError('ErrInvalidArg', `invalid platform ${JSON.stringify(value)}: expected OS/ARCH[/VARIANT]`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

export const command: CommandSpec = {
  name: 'pull',
  aliases: ['image pull'],
  summary: 'Pull an image from a registry',
  usage: 'pull [options] IMAGE',
  minArgs: 1,
  flags: {
    ...registryFlags,
    'all-tags': { type: 'boolean', short: 'a', description: 'Pull all tagged images in the repository' },
    platform: { type: 'string', description: 'Specify the platform for selecting the image', valueName: 'OS/ARCH' },
    quiet: { type: 'boolean', short: 'q', description: 'Suppress output information when pulling images' },
    'signature-policy': { type: 'string', description: 'Path to a signature-policy file (policy.json)', valueName: 'FILE' },
  },
  examples: ['podbay pull busybox', 'podbay pull --tls-verify=false 127.0.0.1:5000/ns/app:1.0', 'podbay pull --all-tags quay.io/ns/app'],
  async run(run) {
    const { flags, io } = run;
    const registry = registryOptions(run);
    if (registry.args.length !== 1) throw new PodbayError('ErrInvalidArg', "pull requires exactly 1 argument\nSee 'podbay pull --help'");
    const quiet = flags.quiet === true;
    const printer = new ProgressPrinter(io, io.isTTY);
    const images = await openCliImages(run);
    try {
      const pulled = await images.pull(registry.args[0]!, {
        ...registry,
        allTags: flags['all-tags'] === true,
        signaturePolicyPath: typeof flags['signature-policy'] === 'string' ? flags['signature-policy'] : undefined,
        platform: typeof flags.platform === 'string' ? parsePlatform(flags.platform) : undefined,
        onFrame: quiet ? undefined : pullFramePrinter(printer),
      });
      printer.finish();
      io.stdout(pulled.map((i) => `${i.id}\n`).join(''));
      return 0;
    } finally {
      printer.finish();
      images.close();
    }
  },
};
