import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ContainerLogLine } from '../../../shared/types/containers.ts';
import type { ErrorData } from '../../../shared/errors.ts';
import type { StreamFrame } from '../../../shared/wire.ts';
import { appendLogLines, droppedNote, emptyLogBuffer, highlightSegments, isAtBottom, logTimeLabel, searchLog, visibleLines } from '../console/log-buffer.ts';
import type { LogBuffer, LogEntry } from '../console/log-buffer.ts';
import { useEngine } from '../query/use-engine.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { rowWindow } from './virtual-window.ts';

const lineHeight = 18;
const tailLines = 5000;

/**
 * A container's log (or with `pod`, a pod's members' logs merged, each line naming its container,
 * with a filter by member), followed live: the last 5,000 lines (older ones noted, not kept), rendered as a
 * window of the lines in view so thousands cost nothing. Search highlights matches (Enter goes to the
 * next); timestamps can be shown; auto-scroll follows new lines and pauses while the user reads above.
 * A container that runs again (restart) is followed again from where the log stopped.
 */
export function LogsPanel({ nameOrId, running, pod = false }: { nameOrId: string; running: boolean; pod?: boolean }) {
  const { client } = useEngine();
  const [buffer, setBuffer] = useState<LogBuffer>(() => emptyLogBuffer(tailLines));
  const [error, setError] = useState<ErrorData | null>(null);
  const [streaming, setStreaming] = useState(false);
  const [query, setQuery] = useState('');
  const [timestamps, setTimestamps] = useState(false);
  const [follow, setFollow] = useState(true);
  const [current, setCurrent] = useState(0);
  const lastTime = useRef<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [member, setMember] = useState('');

  // The stream: lines batched per animation frame into the buffer.
  useEffect(() => {
    let pending: (ContainerLogLine & { containerName?: string })[] = [];
    let frame = 0;
    const since = lastTime.current;
    const flush = () => {
      frame = 0;
      const lines = pending;
      pending = [];
      setBuffer((b) => appendLogLines(b, lines));
    };
    setError(null);
    setStreaming(true);
    const input = since ? { nameOrId, follow: true, since } : { nameOrId, follow: true, tail: tailLines };
    const onFrame = (f: StreamFrame<ContainerLogLine & { containerName?: string }>) => {
      if (f.type === 'data') {
        // `since` is inclusive: lines of the very instant already shown are skipped.
        if (since && f.value.time <= since) return;
        lastTime.current = f.value.time;
        pending.push(f.value);
        if (!frame) frame = requestAnimationFrame(flush);
      } else {
        if (frame) cancelAnimationFrame(frame);
        flush();
        setStreaming(false);
        if (f.type === 'error') setError(f.error);
      }
    };
    const cancel = pod ? client.stream('pods.logs', input, onFrame) : client.stream('containers.logs', input, onFrame);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      cancel();
    };
  }, [client, nameOrId, generation, pod]);

  // A follow ends when the container stops; when it runs again, follow again.
  const wasRunning = useRef(running);
  useEffect(() => {
    if (running && !wasRunning.current && !streaming) setGeneration((g) => g + 1);
    wasRunning.current = running;
  }, [running, streaming]);

  const all = useMemo(() => visibleLines(buffer), [buffer]);
  const members = useMemo(() => (pod ? [...new Set(all.map((l) => l.source ?? ''))].sort() : []), [all, pod]);
  const lines = useMemo(() => (member ? all.filter((l) => l.source === member) : all), [all, member]);
  const search = useMemo(() => searchLog(lines, query.trim()), [lines, query]);
  const note = droppedNote(buffer);

  // Windowing.
  const body = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ scrollTop: 0, height: 400 });
  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setView((v) => ({ ...v, height: el.clientHeight })));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const win = rowWindow({ scrollTop: view.scrollTop, viewportHeight: view.height, rowHeight: lineHeight, count: lines.length, overscan: 20 });

  // Auto-scroll: to the bottom after new lines while following.
  useLayoutEffect(() => {
    const el = body.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [lines, follow]);

  const onScroll = () => {
    const el = body.current;
    if (!el) return;
    setView({ scrollTop: el.scrollTop, height: el.clientHeight });
    const atBottom = isAtBottom(el.scrollTop, el.scrollHeight, el.clientHeight);
    if (atBottom !== follow) setFollow(atBottom);
  };

  const goToMatch = (index: number) => {
    const hits = search.lines;
    if (hits.length === 0) return;
    const next = ((index % hits.length) + hits.length) % hits.length;
    setCurrent(next);
    const target = lines.indexOf(hits[next] as LogEntry);
    const el = body.current;
    if (el && target >= 0) {
      setFollow(false);
      el.scrollTop = Math.max(0, target * lineHeight - el.clientHeight / 2);
    }
  };
  const activeSeq = search.lines[current]?.seq ?? null;

  return (
    <div className="logs">
      <div className="logs-toolbar">
        <label className="field field-search logs-search">
          <Icon name="search" size={13} />
          <span className="visually-hidden">Search the log</span>
          <input
            type="search"
            placeholder="Search log…"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setCurrent(0);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                goToMatch(e.shiftKey ? current - 1 : current + (activeSeq === null ? 0 : 1));
              }
            }}
          />
        </label>
        {query.trim() && (
          <span className="muted small" role="status">
            {search.matches === 0 ? 'No matches' : `${search.matches} ${search.matches === 1 ? 'match' : 'matches'} in ${search.lines.length} ${search.lines.length === 1 ? 'line' : 'lines'}`}
          </span>
        )}
        <span className="toolbar-spacer" />
        {pod && (
          <label className="logs-check">
            <span className="visually-hidden">Show the lines of</span>
            <select className="input logs-member" value={member} onChange={(e) => setMember(e.target.value)} aria-label="Filter by container">
              <option value="">All containers</option>
              {members.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="check-row logs-check">
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} />
          Timestamps
        </label>
        <label className="check-row logs-check">
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => {
              setFollow(e.target.checked);
            }}
          />
          Auto-scroll
        </label>
        <span className={`logs-live ${streaming ? 'logs-live-on' : ''}`} title={streaming ? 'Following the log' : 'Not following: the container is not running'}>
          {streaming ? 'Following' : 'Stopped'}
        </span>
      </div>
      {error && <ErrorPanel error={error} doing="reading the log" onRetry={() => setGeneration((g) => g + 1)} />}
      {note && <p className="logs-note muted small">{note}</p>}
      <div ref={body} className="logs-body" role="log" aria-label={pod ? 'Pod log' : 'Container log'} tabIndex={0} onScroll={onScroll}>
        {lines.length === 0 ? (
          <p className="logs-empty muted">{streaming ? 'No output yet.' : 'The log is empty.'}</p>
        ) : (
          <div className="logs-space" style={{ height: win.totalHeight }}>
            <div className="logs-window" style={{ transform: `translateY(${win.offset}px)` }}>
              {lines.slice(win.start, win.end).map((line) => (
                <div key={line.seq} className={`logs-line${line.stream === 'stderr' ? ' logs-stderr' : ''}${line.seq === activeSeq ? ' logs-line-active' : ''}`}>
                  {timestamps && <span className="logs-time">{logTimeLabel(line.time)}</span>}
                  {line.source !== undefined && <span className="logs-source">{line.source}</span>}
                  <span className="logs-text">
                    {query.trim()
                      ? highlightSegments(line.text, query.trim()).map((s, i) =>
                          s.match ? (
                            <mark key={i} className="logs-mark">
                              {s.text}
                            </mark>
                          ) : (
                            s.text
                          ),
                        )
                      : line.text}
                  </span>
                </div>
              ))}
            </div>
          </div>
        )}
      </div>
      {!follow && lines.length > 0 && (
        <button type="button" className="button button-small logs-jump" onClick={() => setFollow(true)}>
          Jump to latest
        </button>
      )}
    </div>
  );
}
