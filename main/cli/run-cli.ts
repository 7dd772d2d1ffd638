// The CLI's dispatcher: global flags, command lookup, flag parsing, help. podman's syntax, exit codes
// and error format (`Error: …` on stderr, 125 for errors of podbay itself).
import { parseArgs } from 'node:util';
import { PodbayError } from '../../shared/errors.ts';
import { podbayVersion } from '../core/version.ts';
import type { AppContext, GlobalOptions } from '../app-context.ts';
import type { CommandIO, FlagSpec } from './command.ts';
import { commandHelp, groupHelp, rootHelp } from './help.ts';
import { parseGlobal } from './parse-global.ts';
import { commandEntries } from './registry.ts';
import type { CommandEntry } from './registry.ts';

/** podman's exit code for an error in the engine itself (not in the container). */
export const exitEngineError = 125;

export type ContextLoader = (options: GlobalOptions) => Promise<AppContext>;

const loadAppContext: ContextLoader = async (options) => (await import('../app-context.ts')).createAppContext(options);

export async function runCli(argv: readonly string[], io: CommandIO, signal: AbortSignal, loadContext: ContextLoader = loadAppContext): Promise<number> {
  const global = parseGlobal(argv);
  if (global.version) {
    io.stdout(`podbay version ${podbayVersion}\n`);
    return 0;
  }
  let rest = global.rest;
  if (rest[0] === 'help') {
    rest = rest.slice(1);
    if (rest.length === 0) {
      io.stdout(rootHelp(commandEntries));
      return 0;
    }
    rest = [...rest, '--help'];
  }
  if (rest.length === 0) {
    io.stdout(rootHelp(commandEntries));
    return global.help ? 0 : exitEngineError;
  }

  const found = findCommand(rest);
  if (!found) {
    const group = rest[0] ?? '';
    if (commandEntries.some((entry) => entry.name.startsWith(`${group} `))) {
      const wantsHelp = rest.length === 1 || rest[1] === '--help' || rest[1] === '-h';
      io[wantsHelp ? 'stdout' : 'stderr'](groupHelp(group, commandEntries));
      if (wantsHelp && rest.length > 1) return 0;
      throw new PodbayError('ErrInvalidArg', rest.length === 1 ? `missing command 'podbay ${group} COMMAND'` : `unrecognized command \`podbay ${rest.slice(0, 2).join(' ')}\``);
    }
    throw new PodbayError('ErrInvalidArg', `unrecognized command \`podbay ${group}\`\nTry 'podbay --help' for more information`);
  }

  let context: Promise<AppContext> | undefined;
  const globalOptions = { root: global.root, runRoot: global.runRoot, runtime: global.runtime, logLevel: global.logLevel };
  // Rootless: a command that needs the user's namespace re-runs in it now, before its own modules and
  // the store load here for nothing (~100 ms for `run`). Help never opens the store: it stays here.
  const needsNamespace = !found.entry.hostSide && !global.help && !found.args.some((a) => a === '--help' || a === '-h');
  if (needsNamespace) {
    const early = await (await import('./rootless-reexec.ts')).enterRootlessNamespaceEarly(() => loadContext(globalOptions), signal);
    if (early) context = Promise.resolve(early);
  }

  const { command } = await found.entry.load();
  const parsed = parseCommandArgs(found.args, command.flags, found.name, command.stopAtFirstPositional === true);
  if (parsed.help || global.help) {
    io.stdout(commandHelp(command));
    return 0;
  }
  if (command.minArgs !== undefined && parsed.args.length < command.minArgs) {
    throw new PodbayError('ErrInvalidArg', `${found.name} requires at least ${command.minArgs} argument${command.minArgs === 1 ? '' : 's'}\nSee 'podbay ${found.name} --help'`);
  }
  if (command.maxArgs !== undefined && parsed.args.length > command.maxArgs) {
    throw new PodbayError('ErrInvalidArg', `${found.name} accepts at most ${command.maxArgs} argument${command.maxArgs === 1 ? '' : 's'}\nSee 'podbay ${found.name} --help'`);
  }

  return command.run({
    flags: parsed.flags,
    args: parsed.args,
    global: globalOptions,
    // Loaded on demand so commands that need no store stay as light as `--version`.
    context: () => (context ??= found.entry.hostSide ? loadContext(globalOptions) : loadContext(globalOptions).then(async (ctx) => (await import('./rootless-reexec.ts')).enterRootlessNamespace(ctx, signal))),
    io,
    signal,
  });
}

function findCommand(rest: readonly string[]): { entry: CommandEntry; name: string; args: string[] } | null {
  for (const length of [2, 1]) {
    if (rest.length < length || rest.slice(0, length).some((token) => token.startsWith('-'))) continue;
    const name = rest.slice(0, length).join(' ');
    const entry = commandEntries.find((candidate) => candidate.name === name || candidate.aliases?.includes(name));
    if (entry) return { entry, name: entry.name, args: rest.slice(length) };
  }
  return null;
}

/** Index of the first positional argument (or of `--`), skipping the values of string flags. */
export function firstPositionalIndex(args: readonly string[], flags: Record<string, FlagSpec>): number {
  const takesValue = new Set<string>();
  for (const [flag, spec] of Object.entries(flags)) {
    if (spec.type !== 'string') continue;
    takesValue.add(`--${flag}`);
    if (spec.short) takesValue.add(`-${spec.short}`);
  }
  for (let i = 0; i < args.length; i++) {
    const token = args[i] ?? '';
    if (token === '--' || !token.startsWith('-') || token === '-') return i;
    if (!token.includes('=') && takesValue.has(token)) i++;
  }
  return args.length;
}

interface ParsedCommandArgs {
  flags: Record<string, string | boolean | string[] | boolean[] | undefined>;
  args: string[];
  help: boolean;
}

export function parseCommandArgs(args: string[], flags: Record<string, FlagSpec>, name: string, stopAtFirstPositional = false): ParsedCommandArgs {
  if (stopAtFirstPositional) {
    const split = firstPositionalIndex(args, flags);
    const tail = args[split] === '--' ? args.slice(split + 1) : args.slice(split);
    const head = parseCommandArgs(args.slice(0, split), flags, name);
    return { ...head, args: [...head.args, ...tail] };
  }
  const options = Object.fromEntries(
    Object.entries(flags).map(([flag, spec]) => {
      // util.parseArgs rejects keys that are present but undefined: copy only what is set.
      const { description: _description, valueName: _valueName, ...option } = spec;
      return [flag, option];
    }),
  ) as Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  options.help = { type: 'boolean', short: 'h' };
  // podman's boolean flags also take `--flag=true|false` (pflag); util.parseArgs does not, so those
  // tokens are taken out first and their values applied after.
  const explicit: Record<string, boolean> = {};
  const tokens = args.filter((token, i) => {
    const match = /^--([\w-]+)=(true|false)$/i.exec(token);
    if (!match || options[match[1] as string]?.type !== 'boolean' || args.slice(0, i).includes('--')) return true;
    explicit[match[1] as string] = (match[2] as string).toLowerCase() === 'true';
    return false;
  });
  try {
    const { values, positionals } = parseArgs({ args: tokens, options, allowPositionals: true, strict: true });
    const { help, ...rest } = { ...values, ...explicit };
    return { flags: rest as Record<string, string | boolean | string[] | boolean[] | undefined>, args: positionals, help: help === true };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('. ')[0] ?? error.message : String(error);
    throw new PodbayError('ErrInvalidArg', `${message.replace(/^Unknown option '([^']+)'.*/, 'unknown flag: $1')}\nSee 'podbay ${name} --help'`);
  }
}
