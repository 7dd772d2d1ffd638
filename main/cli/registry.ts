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
  { name: 'create', aliases: ['container create'], summary: 'Create but do not start a container', load: () => import('./commands/create.ts') },
  { name: 'ps', aliases: ['container ps', 'container ls', 'container list'], summary: 'List containers', load: () => import('./commands/ps.ts') },
  { name: 'container inspect', summary: 'Display the configuration of a container', load: () => import('./commands/container-inspect.ts') },
  { name: 'rm', aliases: ['container rm', 'container remove'], summary: 'Remove one or more containers', load: () => import('./commands/rm.ts') },
  { name: 'rename', aliases: ['container rename'], summary: 'Rename an existing container', load: () => import('./commands/rename.ts') },
  { name: 'pod create', summary: 'Create a new empty pod', load: () => import('./commands/pod-create.ts') },
  { name: 'pod ps', aliases: ['pod ls', 'pod list'], summary: 'List pods', load: () => import('./commands/pod-ps.ts') },
  { name: 'pod inspect', summary: 'Display information describing a pod', load: () => import('./commands/pod-inspect.ts') },
  { name: 'pod rm', aliases: ['pod remove'], summary: 'Remove one or more pods and their containers', load: () => import('./commands/pod-rm.ts') },
  { name: 'events', aliases: ['system events'], summary: 'Show podbay events', load: () => import('./commands/events.ts') },
];
