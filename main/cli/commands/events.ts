// `podbay events [--since T] [--until T] [--filter K=V] [--format json] [--stream=false]`: podman's
// events over the file event log. Without --until it follows live changes (made by any process) until
// interrupted; --since replays what was recorded from that time first.
import { PodbayError } from '../../../shared/errors.ts';
import type { PodbayEvent } from '../../../shared/types/events.ts';
import { readRecorded } from '../../core/events/event-log.ts';
import type { CommandSpec } from '../command.ts';
import { stringList } from './ps.ts';

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** podman's time arguments: a Go duration before now ("10m", "1h30m"), Unix seconds, or RFC 3339 / a date. */
export function parseEventTime(value: string, now: number): number {
  if (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    let total = 0;
    for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * (unitMs[unit as string] ?? 0);
    return now - total;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new PodbayError('ErrInvalidArg', `invalid time "${value}": expected a duration (10m), Unix seconds or RFC 3339`);
  return parsed;
}

const filterKeys = ['type', 'event', 'container', 'pod', 'image', 'label'] as const;

export function eventPredicate(args: readonly string[]): (e: PodbayEvent) => boolean {
  const byKey = new Map<string, string[]>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(0, eq) : '';
    if (!(filterKeys as readonly string[]).includes(key)) throw new PodbayError('ErrInvalidArg', `invalid filter "${arg}": expected one of ${filterKeys.join(', ')} as KEY=VALUE`);
    byKey.set(key, [...(byKey.get(key) ?? []), arg.slice(eq + 1)]);
  }
  const matchesObject = (e: PodbayEvent, v: string) => e.id.startsWith(v) || e.name === v;
  const tests: Record<string, (e: PodbayEvent, v: string) => boolean> = {
    type: (e, v) => e.type === v,
    event: (e, v) => e.action === v,
    container: (e, v) => e.type === 'container' && matchesObject(e, v),
    pod: (e, v) => (e.type === 'pod' && matchesObject(e, v)) || (e.attributes.podId?.startsWith(v) ?? false),
    image: (e, v) => e.attributes.image === v || (e.type === 'image' && matchesObject(e, v)),
    label: (e, v) => {
      const eq = v.indexOf('=');
      return eq === -1 ? Object.hasOwn(e.attributes, v) : e.attributes[v.slice(0, eq)] === v.slice(eq + 1);
    },
  };
  return (e) => [...byKey].every(([key, values]) => values.some((v) => (tests[key] as (e: PodbayEvent, v: string) => boolean)(e, v)));
}

/** Go's time.Time String() in UTC: "2026-11-28 16:30:00.123 +0000 UTC" (fraction without trailing zeros). */
function goTime(iso: string): string {
  const [date, rest = ''] = iso.split('T');
  const [clock = '', fraction = ''] = rest.replace('Z', '').split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${date} ${clock}${trimmed ? `.${trimmed}` : ''} +0000 UTC`;
}

export function formatEvent(e: PodbayEvent, format: 'text' | 'json'): string {
  if (format === 'json') {
    const { image, ...attributes } = e.attributes;
    return `${JSON.stringify({ ID: e.id, Image: image ?? '', Name: e.name, Status: e.action, Time: e.time, Type: e.type, Attributes: attributes })}\n`;
  }
  const { image, ...rest } = e.attributes;
  const details = [`image=${image ?? ''}`, `name=${e.name}`, ...Object.keys(rest).sort().map((k) => `${k}=${rest[k]}`)];
  return `${goTime(e.time)} ${e.type} ${e.action} ${e.id} (${details.join(', ')})\n`;
}

export const command: CommandSpec = {
  name: 'events',
  aliases: ['system events'],
  summary: 'Show podbay events',
  usage: 'events [options]',
  maxArgs: 0,
  flags: {
    since: { type: 'string', description: 'Show all events created since timestamp', valueName: 'TIME' },
    until: { type: 'string', description: 'Show all events created until timestamp, then exit', valueName: 'TIME' },
    filter: { type: 'string', short: 'f', multiple: true, description: 'Filter output (type, event, container, pod, image, label)', valueName: 'KEY=VALUE' },
    format: { type: 'string', description: "Output format: 'json' for one JSON object per line", valueName: 'FORMAT' },
    stream: { type: 'string', description: 'Stream new events (default true); --stream=false prints the recorded ones and exits', valueName: 'BOOL' },
  },
  examples: ['podbay events --filter type=container', 'podbay events --since 10m --stream=false --format json'],
  async run({ flags, io, context, signal }) {
    const formatFlag = flags.format as string | undefined;
    if (formatFlag !== undefined && formatFlag !== 'json') throw new PodbayError('ErrInvalidArg', `unsupported format ${JSON.stringify(formatFlag)}: use json`);
    const format = formatFlag === 'json' ? 'json' : 'text';
    const stream = flags.stream === undefined ? true : flags.stream === 'true' ? true : flags.stream === 'false' ? false : null;
    if (stream === null) throw new PodbayError('ErrInvalidArg', `invalid --stream value ${JSON.stringify(flags.stream)}: use true or false`);
    const now = Date.now();
    const since = flags.since !== undefined ? parseEventTime(flags.since as string, now) : null;
    const until = flags.until !== undefined ? parseEventTime(flags.until as string, now) : null;
    const predicate = eventPredicate(stringList(flags.filter));
    const inWindow = (e: PodbayEvent) => {
      const t = Date.parse(e.time);
      return (since === null || t >= since) && (until === null || t <= until);
    };
    const { events } = await context();
    if (!stream || until !== null) {
      for await (const e of readRecorded(events.path)) if (inWindow(e) && predicate(e)) io.stdout(formatEvent(e, format));
      return 0;
    }
    for await (const e of events.follow({ replayAll: since !== null, persistent: true, signal })) {
      if (inWindow(e) && predicate(e)) io.stdout(formatEvent(e, format));
    }
    return 0;
  },
};
