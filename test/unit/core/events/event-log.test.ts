import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, readRecorded } from '../../../../main/core/events/event-log.ts';
import type { PodbayEvent } from '../../../../shared/types/events.ts';
import { tempStore } from '../../../helpers/core-store.ts';
import type { TempStore } from '../../../helpers/core-store.ts';

describe('EventLog', () => {
  let store: TempStore;
  let log: EventLog;
  beforeEach(() => {
    store = tempStore();
    log = new EventLog(store.eventsLog);
  });
  afterEach(() => store.cleanup());

  it('reads back every recorded event once, oldest first, with a filter', async () => {
    log.write({ type: 'pod', action: 'create', id: 'p1', name: 'one' });
    log.write({ type: 'container', action: 'create', id: 'c1', name: 'two' });
    const all: PodbayEvent[] = [];
    for await (const e of readRecorded(log.path)) all.push(e);
    expect(all.map((e) => e.name)).toEqual(['one', 'two']);
    const containers: string[] = [];
    for await (const e of readRecorded(log.path, { type: ['container'] })) containers.push(e.id);
    expect(containers).toEqual(['c1']);
  });

  it('reads nothing from a log that does not exist yet', async () => {
    const none: PodbayEvent[] = [];
    for await (const e of readRecorded(`${store.dir}/absent.log`)) none.push(e);
    expect(none).toEqual([]);
  });

  it('replays the whole log, first record included, before following with replayAll', async () => {
    log.write({ type: 'pod', action: 'create', id: 'p1', name: 'first' });
    const controller = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const e of log.follow({ replayAll: true, signal: controller.signal })) {
        seen.push(e.name);
        if (seen.length === 2) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    log.write({ type: 'pod', action: 'remove', id: 'p1', name: 'second' });
    await following;
    expect(seen).toEqual(['first', 'second']);
  });
});
