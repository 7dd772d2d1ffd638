// Global flags come before the command, as in podman (`podbay --root /tmp/x ps -a`).
import { PodbayError } from '../../shared/errors.ts';

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'panic'] as const;

export interface ParsedGlobal {
  root?: string;
  runRoot?: string;
  runtime?: string;
  logLevel: string;
  version: boolean;
  help: boolean;
  /** argv after the global flags: the command and its own arguments. */
  rest: string[];
}

const valueFlags: Record<string, 'root' | 'runRoot' | 'runtime' | 'logLevel'> = {
  '--root': 'root',
  '--runroot': 'runRoot',
  '--runtime': 'runtime',
  '--log-level': 'logLevel',
};

export const globalFlagHelp: [string, string][] = [
  ['--root DIR', 'Path to the graph root directory where images, containers and the state database live'],
  ['--runroot DIR', 'Path to the run root directory (exit files, sockets, events)'],
  ['--runtime NAME|PATH', 'OCI runtime to use: crun (default) or runc, by name or path'],
  ['--log-level LEVEL', `Log messages at or above LEVEL (${logLevels.join(', ')})`],
  ['-v, --version', 'Print the version'],
  ['-h, --help', 'Help for podbay'],
];

export function parseGlobal(argv: readonly string[]): ParsedGlobal {
  const parsed: ParsedGlobal = { logLevel: 'warn', version: false, help: false, rest: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (!token.startsWith('-')) break;
    if (token === '--') {
      i++;
      break;
    }
    if (token === '-v' || token === '--version') {
      parsed.version = true;
      continue;
    }
    if (token === '-h' || token === '--help') {
      parsed.help = true;
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq === -1 ? token : token.slice(0, eq);
    const key = valueFlags[name];
    if (!key) throw new PodbayError('ErrInvalidArg', `unknown flag: ${name}\nSee 'podbay --help'`);
    const value = eq === -1 ? argv[++i] : token.slice(eq + 1);
    if (value === undefined || value === '') throw new PodbayError('ErrInvalidArg', `flag needs an argument: ${name}`);
    parsed[key] = value;
  }
  if (!(logLevels as readonly string[]).includes(parsed.logLevel)) {
    throw new PodbayError('ErrInvalidArg', `invalid log level ${JSON.stringify(parsed.logLevel)}: choose one of ${logLevels.join(', ')}`);
  }
  parsed.rest = argv.slice(i);
  return parsed;
}
