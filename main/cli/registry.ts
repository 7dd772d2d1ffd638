// Every CLI command, by name, with its one-line summary, loaded only when run: `podbay --version` and
// `podbay help` import none of them. Subcommands are written with a space ('pod create').
import type { CommandSpec } from './command.ts';

export interface CommandEntry {
  name: string;
  aliases?: string[];
  summary: string;
  load: () => Promise<{ command: CommandSpec }>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'info', aliases: ['system info'], summary: 'Display podbay system information', load: () => import('./commands/info.ts') },
  { name: 'version', summary: 'Display the Podbay version information', load: () => import('./commands/version.ts') },
  { name: 'serve', aliases: ['system service'], summary: 'Serve the Podbay UI and API on a loopback address', load: () => import('./commands/serve.ts') },
];
