// One CLI command = an adapter from argv to core options (nerdctl's cmd/types/pkg split). Commands are
// registered lazily (see registry.ts) so `podbay --version` loads none of them.
import type { ParseArgsConfig } from 'node:util';
import type { AppContext, GlobalOptions } from '../app-context.ts';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  /** One line for `podbay help CMD`. */
  description: string;
  /** Placeholder shown in help, e.g. NAME. */
  valueName?: string;
};

export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (tables and progress bars vs plain output). */
  isTTY: boolean;
}

export interface CommandRun {
  /** Parsed flags (util.parseArgs values) and positional arguments. */
  flags: Record<string, string | boolean | string[] | boolean[] | undefined>;
  args: string[];
  global: GlobalOptions & { logLevel: string };
  /** Builds the shared context on first use (commands that need no store never open it). */
  context: () => Promise<AppContext>;
  io: CommandIO;
  signal: AbortSignal;
}

export interface CommandSpec {
  /** As typed: 'info', 'serve', 'pod create' (subcommands are space separated). */
  name: string;
  /** podman's aliases, e.g. ['container ls', 'list'] for 'ps'. */
  aliases?: string[];
  summary: string;
  usage: string;
  /** Positional arguments: bounds checked before run. */
  minArgs?: number;
  maxArgs?: number;
  flags: Record<string, FlagSpec>;
  /**
   * podman's SetInterspersed(false): flags are read only up to the first positional argument, so
   * `podbay create --rootfs R sh -c 'echo -n hi'` hands `-c` and `-n` to the container's command.
   */
  stopAtFirstPositional?: boolean;
  examples?: string[];
  /** Returns the exit code (0 on success). Throw PodbayError for podman-style `Error: …` exits. */
  run(run: CommandRun): Promise<number>;
}
