import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { shortId } from '../presenters/event-presenters.ts';
import { useCall } from '../query/use-call.ts';
import { InspectJson } from './ContainerDetails.tsx';
import { Icon } from './Icon.tsx';
import { KubePanel } from './KubePanel.tsx';

type PodTab = 'inspect' | 'kube';
const tabs: readonly { id: PodTab; label: string }[] = [
  { id: 'inspect', label: 'Inspect' },
  { id: 'kube', label: 'Kube' },
];

/**
 * A pod beside the list: its inspect JSON and its Kube YAML (generate kube), as tabs. Escape closes
 * it; focus moves to it when it opens.
 */
export function PodSidePanel({ id, name, onClose }: { id: string; name: string | null; onClose: () => void }) {
  const headingId = useId();
  const panel = useRef<HTMLElement>(null);
  const [tab, setTab] = useState<PodTab>('inspect');
  const inspect = useCall('pods.inspect', { nameOrId: id });
  const title = name ?? inspect.data?.name ?? shortId(id);
  const label = tabs.find((t) => t.id === tab)?.label ?? 'Inspect';

  useEffect(() => {
    panel.current?.focus();
  }, [id]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onClose();
  };
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = tabs[(index + delta + tabs.length) % tabs.length] as (typeof tabs)[number];
    setTab(next.id);
    document.getElementById(`${headingId}-tab-${next.id}`)?.focus();
  };

  return (
    <aside ref={panel} className="inspect details" aria-label={`${label} ${title}`} tabIndex={-1} onKeyDown={onKeyDown}>
      <header className="inspect-header details-header">
        <Icon name="pods" size={15} className="inspect-icon" />
        <div className="inspect-heading">
          <h2 id={headingId} className="inspect-title">
            {title}
          </h2>
          <p className="inspect-subtitle">
            <span className="mono">{shortId(id)}</span>
          </p>
        </div>
        <button type="button" className="button button-ghost button-small button-icon" onClick={onClose} aria-label="Close inspector" title="Close (Esc)">
          <Icon name="close" size={14} />
        </button>
      </header>
      {name === null && inspect.data && (
        <p className="inspect-gone" role="status">
          {inspect.data.name} was removed; this is its last known state.
        </p>
      )}
      <div className="details-tabs" role="tablist" aria-label="Pod details">
        {tabs.map((t, index) => (
          <button
            key={t.id}
            id={`${headingId}-tab-${t.id}`}
            type="button"
            role="tab"
            className="details-tab"
            aria-selected={tab === t.id}
            aria-controls={`${headingId}-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => onTabKey(e, index)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="details-body">
        <div role="tabpanel" id={`${headingId}-panel-${tab}`} aria-labelledby={`${headingId}-tab-${tab}`} className="details-panel">
          {tab === 'inspect' ? (
            <InspectJson data={inspect.data} error={inspect.error} loading={inspect.loading} onRetry={() => void inspect.refetch()} title={`Inspect ${title}`} doing="inspecting the pod" />
          ) : (
            <KubePanel nameOrId={id} name={title} />
          )}
        </div>
      </div>
    </aside>
  );
}
