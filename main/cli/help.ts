// Help text in podman's layout: Usage, Available Commands / Options, Examples.
import type { CommandSpec } from './command.ts';
import type { CommandEntry } from './registry.ts';
import { globalFlagHelp } from './parse-global.ts';

function table(rows: [string, string][], indent = '  '): string {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}   ${right}`).join('\n');
}

export function rootHelp(entries: readonly CommandEntry[]): string {
  const topLevel = new Map<string, string>();
  for (const entry of entries) {
    const [first = '', second] = entry.name.split(' ');
    if (second === undefined) topLevel.set(first, entry.summary);
    else if (!topLevel.has(first)) topLevel.set(first, groupSummary(first));
  }
  return [
    'Manage pods, containers and images',
    '',
    'Usage:',
    '  podbay [options] [command]',
    '',
    'Available Commands:',
    table([...topLevel.entries()].sort(([a], [b]) => a.localeCompare(b))),
    '',
    'Options:',
    table(globalFlagHelp),
    '',
    "Use 'podbay help COMMAND' or 'podbay COMMAND --help' for more information about a command.",
    '',
  ].join('\n');
}

export function groupHelp(group: string, entries: readonly CommandEntry[]): string {
  const rows = entries
    .filter((entry) => entry.name.startsWith(`${group} `))
    .map((entry): [string, string] => [entry.name.slice(group.length + 1), entry.summary]);
  return [groupSummary(group), '', 'Usage:', `  podbay ${group} [command]`, '', 'Available Commands:', table(rows), ''].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  const flagRows = Object.entries(spec.flags).map(([name, flag]): [string, string] => {
    const short = flag.short ? `-${flag.short}, ` : '    ';
    const value = flag.type === 'string' ? ` ${flag.valueName ?? 'string'}` : '';
    return [`${short}--${name}${value}`, flag.description];
  });
  flagRows.push(['-h, --help', `help for ${spec.name}`]);
  const parts = [spec.summary, '', 'Usage:', `  podbay ${spec.usage}`];
  if (spec.aliases?.length) parts.push('', 'Aliases:', `  ${[spec.name, ...spec.aliases].join(', ')}`);
  if (spec.examples?.length) parts.push('', 'Examples:', ...spec.examples.map((example) => `  ${example}`));
  parts.push('', 'Options:', table(flagRows), '');
  return parts.join('\n');
}

function groupSummary(group: string): string {
  const summaries: Record<string, string> = {
    pod: 'Manage pods',
    container: 'Manage containers',
    image: 'Manage images',
    system: 'Manage podbay',
    network: 'Manage networks',
    volume: 'Manage volumes',
  };
  return summaries[group] ?? `Manage ${group}`;
}
