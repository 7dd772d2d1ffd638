import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { PodListItem } from '../../../shared/types/pods.ts';
import type { ActionSummary } from '../containers/container-actions.ts';
import { podStatusTone } from '../pods/pod-presenters.ts';
import { shortId } from '../presenters/event-presenters.ts';
import { useCall } from '../query/use-call.ts';
import { InspectJson } from './ContainerDetails.tsx';
import { DetailsTabs } from './DetailsTabs.tsx';
import type { DetailsTabSpec } from './DetailsTabs.tsx';
import { Icon } from './Icon.tsx';
import { KubePanel } from './KubePanel.tsx';
import { LogsPanel } from './LogsPanel.tsx';
import { PodActionsBar } from './PodActionsBar.tsx';
import { PodStatsPanel } from './PodStatsPanel.tsx';
import { ProcessesPanel } from './ProcessesPanel.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export type PodDetailsTab = 'inspect' | 'logs' | 'processes' | 'stats' | 'kube';

const tabs: readonly DetailsTabSpec<PodDetailsTab>[] = [
  { id: 'inspect', label: 'Inspect', icon: 'details' },
  { id: 'logs', label: 'Logs', icon: 'logs' },
  { id: 'processes', label: 'Processes', icon: 'console' },
  { id: 'stats', label: 'Stats', icon: 'logs' },
  { id: 'kube', label: 'Kube', icon: 'details' },
];

/**
 * One pod beside the list: its status and verbs, and tabs — Inspect (the JSON), Logs (every
 * member's, merged and named, filterable by member, followed), Processes (pod top), Stats (pod stats) and Kube (the
 * generated YAML). Escape closes it.
 */
export function PodDetails({ id, item, onResult, onClose }: { id: string; item: PodListItem | null; onResult: (summary: ActionSummary | { error: unknown }) => void; onClose: () => void }) {
  const headingId = useId();
  const panel = useRef<HTMLElement>(null);
  const [tab, setTab] = useState<PodDetailsTab>('inspect');
  const inspect = useCall('pods.inspect', { nameOrId: id });
  const name = item?.name ?? inspect.data?.name ?? shortId(id);
  const running = item ? item.containers.some((c) => c.state === 'running') : false;

  useEffect(() => {
    panel.current?.focus();
  }, [id]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || (event.target as HTMLElement).closest('dialog')) return;
    event.preventDefault();
    onClose();
  };
  const label = tabs.find((t) => t.id === tab)?.label ?? 'Inspect';

  return (
    <aside ref={panel} className="inspect details" aria-label={`${label} ${name}`} tabIndex={-1} onKeyDown={onKeyDown}>
      <header className="inspect-header details-header">
        <Icon name="pods" size={15} className="inspect-icon" />
        <div className="inspect-heading">
          <h2 id={headingId} className="inspect-title">
            {name}
          </h2>
          <p className="inspect-subtitle">
            <span className="mono">{shortId(id)}</span>
            {item && (
              <>
                {' '}
                <StatusBadge tone={podStatusTone(item.status)}>{item.status}</StatusBadge>
              </>
            )}
          </p>
        </div>
        <button type="button" className="button button-ghost button-small button-icon" onClick={onClose} aria-label="Close details" title="Close (Esc)">
          <Icon name="close" size={14} />
        </button>
      </header>
      {item && (
        <div className="details-actions">
          <PodActionsBar pods={[item]} label={`Actions for ${name}`} onResult={onResult} />
        </div>
      )}
      {!item && inspect.data && (
        <p className="inspect-gone" role="status">
          {inspect.data.name} was removed; this is its last known state.
        </p>
      )}
      <DetailsTabs tabs={tabs} current={tab} onSelect={setTab} headingId={headingId} label="Pod details" />
      <div className="details-body">
        <div role="tabpanel" id={`${headingId}-panel-${tab}`} aria-labelledby={`${headingId}-tab-${tab}`} className="details-panel">
          {tab === 'inspect' && <InspectJson data={inspect.data} error={inspect.error} loading={inspect.loading} onRetry={() => void inspect.refetch()} title={`Inspect ${name}`} doing="inspecting the pod" />}
          {tab === 'logs' && <LogsPanel nameOrId={id} running={running} pod />}
          {tab === 'processes' && <ProcessesPanel nameOrId={id} running={running} pod />}
          {tab === 'stats' && <PodStatsPanel nameOrId={id} running={running} />}
          {tab === 'kube' && <KubePanel nameOrId={id} name={name} />}
        </div>
      </div>
    </aside>
  );
}
