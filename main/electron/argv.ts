// The global options the Electron app accepts on its command line, with the CLI's names
// (`podbay-desktop --root DIR --runroot DIR --runtime crun`). Chromium's own switches are ignored.
import type { GlobalOptions } from '../app-context.ts';

const names = { '--root': 'root', '--runroot': 'runRoot', '--runtime': 'runtime' } as const;

export function globalOptionsFromArgv(argv: readonly string[]): GlobalOptions {
  const options: GlobalOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!Object.hasOwn(names, flag)) continue;
    const key = names[flag as keyof typeof names];
    let value: string | undefined = arg.slice(eq + 1);
    if (eq === -1) {
      const next = argv[i + 1];
      value = next === undefined || next.startsWith('--') ? undefined : next;
      if (value !== undefined) i++;
    }
    if (value) options[key] = value;
  }
  return options;
}
