import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ContainerChange, ContainerChangeKind } from '../../../shared/types/container-files.ts';
import { changeCounts, changeLabels, changesSummary, filterChanges } from '../containers/changes-model.ts';
import { useEngine } from '../query/use-engine.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { rowWindow } from './virtual-window.ts';

const rowHeight = 22;
const kinds: readonly ContainerChangeKind[] = ['A', 'C', 'D'];

/** `podman diff`: what the container added, changed and deleted against its image, filterable by kind and path. */
export function ChangesPanel({ nameOrId }: { nameOrId: string }) {
  const { client } = useEngine();
  const [changes, setChanges] = useState<ContainerChange[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState<ReadonlySet<ContainerChangeKind>>(new Set(kinds));
  const [query, setQuery] = useState('');
  const [view, setView] = useState({ scrollTop: 0, height: 400 });

  const load = useCallback(() => {
    setError(null);
    client.call('containers.diff', { nameOrId }).then(setChanges, setError);
  }, [client, nameOrId]);
  useEffect(load, [load]);

  const list = useMemo(() => filterChanges(changes ?? [], shown, query), [changes, shown, query]);
  const counts = changeCounts(changes ?? []);
  const win = rowWindow({ scrollTop: view.scrollTop, viewportHeight: view.height, rowHeight, count: list.length, overscan: 20 });

  return (
    <div className="changes">
      <div className="changes-toolbar">
        {kinds.map((k) => (
          <label key={k} className="check-row">
            <input
              type="checkbox"
              checked={shown.has(k)}
              onChange={(e) => {
                const next = new Set(shown);
                if (e.target.checked) next.add(k);
                else next.delete(k);
                setShown(next);
              }}
            />
            {changeLabels[k]} ({counts[k]})
          </label>
        ))}
        <label className="field field-search">
          <Icon name="search" size={13} />
          <span className="visually-hidden">Filter paths</span>
          <input type="search" placeholder="Filter paths…" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <span className="toolbar-spacer" />
        <button type="button" className="button button-small" onClick={load}>
          <Icon name="refresh" size={13} />
          Refresh
        </button>
      </div>
      {error != null && <ErrorPanel error={error} doing="listing changes" onRetry={load} />}
      {changes && (
        <p className="muted small" role="status">
          {changesSummary(changes)}
        </p>
      )}
      <div
        className="changes-body"
        role="list"
        aria-label="Changes against the image"
        tabIndex={0}
        onScroll={(e) => setView({ scrollTop: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      >
        <div style={{ height: win.totalHeight, position: 'relative' }}>
          <div style={{ transform: `translateY(${win.offset}px)` }}>
            {list.slice(win.start, win.end).map((c) => (
              <div key={c.path} role="listitem" className={`changes-row changes-${c.kind}`} style={{ height: rowHeight }}>
                <span className="changes-kind" title={changeLabels[c.kind]}>
                  {c.kind}
                </span>
                <span className="mono ellipsis">{c.path}</span>
              </div>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
