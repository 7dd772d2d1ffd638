import { useMemo, useState } from 'react';
import { SearchField } from '../components/SearchField.tsx';
import { eventTypes } from '../../../shared/types/events.ts';
import type { EventType } from '../../../shared/types/events.ts';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Icon } from '../components/Icon.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { filterEvents, formatAttributes, formatEventDate, formatEventTime, shortId } from '../presenters/event-presenters.ts';
import { useEngine } from '../query/use-engine.ts';
import { useEvents } from '../query/use-events.ts';

export function EventsPage() {
  const { events: hub } = useEngine();
  const feed = useEvents();
  const [type, setType] = useState<EventType | ''>('');
  const [text, setText] = useState('');
  const shown = useMemo(() => filterEvents(feed.recent, { type: type || null, text }), [feed.recent, type, text]);

  const live =
    feed.status === 'live' ? (
      <StatusBadge tone="ok">Live</StatusBadge>
    ) : feed.status === 'failed' ? (
      <StatusBadge tone="danger">Stopped</StatusBadge>
    ) : (
      <StatusBadge tone="neutral">{feed.status === 'ended' ? 'Ended' : 'Idle'}</StatusBadge>
    );

  return (
    <>
      <PageHeader
        title="Events"
        description="Changes to containers, pods, images, volumes and the engine, from this window and any other Podbay process, as they happen."
        actions={
          <>
            {live}
            {feed.status !== 'live' && (
              <button type="button" className="button" onClick={() => hub.restart()}>
                <Icon name="refresh" size={14} />
                Resubscribe
              </button>
            )}
          </>
        }
      />
      {feed.error && <ErrorPanel error={feed.error} doing="following events" onRetry={() => hub.restart()} />}
      <div className="toolbar" role="search" aria-label="Filter events">
        <SearchField label="Filter events by name, ID or action" placeholder="Filter by name, ID, action…" value={text} onChange={setText} />
        <label className="field">
          <span className="field-label">Type</span>
          <select value={type} onChange={(e) => setType(e.target.value as EventType | '')}>
            <option value="">All types</option>
            {eventTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <span className="toolbar-spacer" />
        <span className="muted small" aria-live="polite">
          {shown.length === feed.recent.length ? `${feed.recent.length} event${feed.recent.length === 1 ? '' : 's'}` : `${shown.length} of ${feed.recent.length} events`}
        </span>
        <button type="button" className="button button-ghost" onClick={() => hub.clear()} disabled={feed.recent.length === 0}>
          <Icon name="trash" size={14} />
          Clear
        </button>
      </div>
      <div className="card card-flush">
        <table className="table table-events">
          <caption className="visually-hidden">Events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col">Action</th>
              <th scope="col">Name</th>
              <th scope="col">ID</th>
              <th scope="col">Attributes</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.seq}>
                <td className="mono nowrap" title={formatEventDate(e.time)}>
                  {formatEventTime(e.time)}
                </td>
                <td>
                  <span className={`type type-${e.type}`}>{e.type}</span>
                </td>
                <td className="strong">{e.action}</td>
                <td>{e.name}</td>
                <td className="mono muted" title={e.id}>
                  {shortId(e.id)}
                </td>
                <td className="mono muted cell-attrs">{formatAttributes(e.attributes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && (
          <div className="empty">
            <Icon name="events" size={28} />
            <p className="empty-title">{feed.recent.length === 0 ? 'Waiting for events' : 'No event matches the filter'}</p>
            <p className="empty-text">
              {feed.recent.length === 0
                ? 'Events appear here the moment any Podbay process — this window or the podbay CLI — changes the store.'
                : 'Clear the filter to see every event received.'}
            </p>
          </div>
        )}
      </div>
    </>
  );
}
