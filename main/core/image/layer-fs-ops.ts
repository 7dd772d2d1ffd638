// The three file-system operations Node cannot do by itself: mknod (devices, FIFOs and overlay
// whiteouts), and setting extended attributes (opaque dirs, security.capability, ACLs). They go
// through coreutils' `mknod` and attr's `setfattr` (a whole layer's attributes in one
// `setfattr --restore`) with argument arrays, via the injected exec,
// so tests can record them and a later native addon can replace them without touching the
// extractor. Callers pass paths whose parents they have already verified; neither tool follows a
// symlink at the leaf (`mknod` creates, `setfattr -h` works on the link itself).
import { PodbayError } from '../../../shared/errors.ts';
import { realExec } from '../exec.ts';
import type { Exec } from '../exec.ts';

export type NodeKind = 'char' | 'block' | 'fifo';

export interface LayerFsOps {
  /** Creates a device node or FIFO at `path` (which must not exist) with permission bits `mode`. */
  mknod(path: string, kind: NodeKind, mode: number, major: number, minor: number): Promise<void>;
  /** Sets one extended attribute on `path` itself (never through a symlink). */
  setXattr(path: string, name: string, value: Buffer): Promise<void>;
  /** Sets many at once, in order (one process for a whole layer); absent: `setXattr` each. */
  setXattrs?(items: readonly XattrItem[]): Promise<void>;
}

export interface XattrItem {
  path: string;
  name: string;
  value: Buffer;
}

/** A path as getfattr --dump writes it: bytes outside printable ASCII, and the backslash, as \ooo. */
export function dumpQuote(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) out += byte > 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  return out;
}

/** The `getfattr --dump` text `setfattr --restore` reads: one block per path, values in hex. */
export function xattrDump(items: readonly XattrItem[]): string {
  let out = '';
  let current: string | undefined;
  for (const item of items) {
    if (item.path !== current) {
      if (current !== undefined) out += '\n';
      out += `# file: ${dumpQuote(item.path)}\n`;
      current = item.path;
    }
    out += `${item.name}=0x${item.value.toString('hex')}\n`;
  }
  return out;
}

export function execLayerFsOps(exec: Exec = realExec): LayerFsOps {
  const run = async (file: string, args: string[], doing: string): Promise<void> => {
    const result = await exec(file, args, { timeoutMs: 30_000 });
    if (result.exitCode !== 0) {
      throw new PodbayError('ErrInternal', `${doing}: ${file} exited with ${result.exitCode}: ${result.stderr.trim().slice(0, 500)}`);
    }
  };
  return {
    async mknod(path, kind, mode, major, minor) {
      const type = kind === 'char' ? 'c' : kind === 'block' ? 'b' : 'p';
      const args = ['-m', (mode & 0o7777).toString(8).padStart(4, '0'), '--', path, type];
      if (kind !== 'fifo') args.push(String(major), String(minor));
      await run('mknod', args, `creating ${kind} node ${path}`);
    },
    async setXattr(path, name, value) {
      // Hex keeps binary values (security.capability) intact on the command line.
      await run('setfattr', ['-h', '-n', name, '-v', `0x${value.toString('hex')}`, '--', path], `setting xattr ${name} on ${path}`);
    },
    async setXattrs(items) {
      if (items.length === 0) return;
      // One `setfattr -h --restore=-` for the whole layer instead of a process per attribute.
      const result = await exec('setfattr', ['-h', '--restore=-'], { timeoutMs: 120_000, input: xattrDump(items) });
      if (result.exitCode !== 0) {
        throw new PodbayError('ErrInternal', `setting ${items.length} xattrs: setfattr exited with ${result.exitCode}: ${result.stderr.trim().slice(0, 500)}`);
      }
    },
  };
}
