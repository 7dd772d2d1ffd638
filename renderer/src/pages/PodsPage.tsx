import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { SearchField } from '../components/SearchField.tsx';
import { NoMatches } from '../components/NoMatches.tsx';
import type { PodRemoveReport } from '../../../shared/types/pods.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { CommandBlock } from '../components/CopyButton.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Icon } from '../components/Icon.tsx';
import { PodSidePanel } from '../components/PodSidePanel.tsx';
import { PlayKubeDialog } from '../components/PlayKubeDialog.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { PortLinks } from '../components/PortLinks.tsx';
import { RemovalResults } from '../components/RemovalResults.tsx';
import type { RemovalResultsView } from '../components/RemovalResults.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { AllCheckbox, RowCheckbox, VirtualTable } from '../components/VirtualTable.tsx';
import type { RowModifiers, VirtualColumn } from '../components/VirtualTable.tsx';
import { chunk, countLabel, createdLabel, labelPairs, stateTone } from '../containers/container-presenters.ts';
import { allState, emptySelection, pruneSelection, selectRow, toggleAll, toggleRow } from '../containers/selection.ts';
import type { Selection } from '../containers/selection.ts';
import { useLiveList } from '../containers/use-live-list.ts';
import { filterPods, podRows, podSource, toggleExpanded } from '../pods/pod-list-model.ts';
import type { PodRow } from '../pods/pod-list-model.ts';
import { memberStateLabel, membersLabel, podRemovalPlan, podStatusTone, summarizePodRemoval } from '../pods/pod-presenters.ts';
import type { PodRemovalPlan } from '../pods/pod-presenters.ts';
import { formatEventDate, shortId } from '../presenters/event-presenters.ts';
import { formatCount } from '../presenters/format-bytes.ts';
import { useEngine } from '../query/use-engine.ts';
import { LiveIndicator } from '../components/LiveIndicator.tsx';
import { RemoveSelectedButton } from '../components/RemoveSelectedButton.tsx';

export const podCreateCommand = 'podbay pod create --name web';

export function PodsPage() {
  const engine = useEngine();
  const { view, list } = useLiveList(() => podSource(engine.client));

  const [text, setText] = useState('');
  const query = useDeferredValue(text);
  const shownPods = useMemo(() => filterPods(view.items, query), [view.items, query]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => podRows(shownPods, expanded), [shownPods, expanded]);
  const keys = useMemo(() => shownPods.map((p) => p.id), [shownPods]);

  const [rawSelection, setSelection] = useState<Selection>(emptySelection);
  const selection = useMemo(() => pruneSelection(rawSelection, keys), [rawSelection, keys]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);

  const [confirm, setConfirm] = useState<PodRemovalPlan | null>(null);
  const [force, setForce] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [result, setResult] = useState<RemovalResultsView | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const [playing, setPlaying] = useState(false);

  const selectedPods = useMemo(() => shownPods.filter((p) => selection.selected.has(p.id)), [shownPods, selection]);
  const now = Date.now();

  const isPod = useCallback((key: string) => view.byId.has(key), [view.byId]);
  const onSelect = useCallback(
    (key: string, modifiers: RowModifiers) => {
      if (isPod(key)) setSelection((s) => selectRow(pruneSelection(s, keys), keys, key, modifiers));
    },
    [keys, isPod],
  );
  const onToggle = useCallback((key: string) => isPod(key) && setSelection((s) => toggleRow(pruneSelection(s, keys), key)), [keys, isPod]);
  const onToggleAll = useCallback(() => setSelection((s) => toggleAll(pruneSelection(s, keys), keys)), [keys]);
  const expand = useCallback((podId: string, open?: boolean) => setExpanded((e) => toggleExpanded(e, podId, open)), []);

  const remove = async (plan: PodRemovalPlan, withForce: boolean) => {
    setRemoving(true);
    setRemoveError(null);
    const names = new Map(plan.pods.map((p) => [p.id, p.name]));
    try {
      const reports: PodRemoveReport[] = [];
      for (const ids of chunk(plan.pods.map((p) => p.id))) reports.push(...(await engine.client.call('pods.remove', { nameOrIds: ids, force: withForce })));
      const summary = summarizePodRemoval(reports, (id) => names.get(id) ?? shortId(id));
      list?.forget(summary.removedIds);
      setResult(summary);
      if (inspecting && summary.removedIds.includes(inspecting)) setInspecting(null);
    } catch (error) {
      setRemoveError(error);
    } finally {
      setRemoving(false);
      setConfirm(null);
    }
  };

  const startRemove = () => {
    if (selectedPods.length === 0 || removing) return;
    const plan = podRemovalPlan(selectedPods);
    setResult(null);
    setForce(plan.activeMembers.length > 0);
    setConfirm(plan);
  };

  const columns = useMemo<VirtualColumn<PodRow>[]>(
    () => [
      {
        key: 'select',
        header: 'Selected',
        width: '36px',
        className: 'vt-cell-check',
        headerCell: <AllCheckbox state={allState(selection, keys)} label="Select all pods shown" onToggle={onToggleAll} disabled={keys.length === 0} />,
        cell: (r) => (r.kind === 'pod' ? <RowCheckbox checked={selection.selected.has(r.pod.id)} label={`Select ${r.pod.name}`} onToggle={() => onToggle(r.pod.id)} /> : null),
      },
      {
        key: 'name',
        header: 'Name',
        width: 'minmax(180px, 1.5fr)',
        cell: (r) => {
          if (r.kind === 'member') {
            return (
              <span className="member-name">
                <Icon name="containers" size={13} />
                <span className="ellipsis" title={r.member.name}>
                  {r.member.name}
                </span>
              </span>
            );
          }
          const open = expanded.has(r.pod.id);
          const count = r.pod.containers.length;
          return (
            <span className="pod-name">
              <button
                type="button"
                className={`expander${open ? ' is-open' : ''}`}
                tabIndex={-1}
                aria-expanded={open}
                aria-label={`${open ? 'Hide' : 'Show'} containers of ${r.pod.name}`}
                disabled={count === 0}
                onClick={(event) => {
                  event.stopPropagation();
                  expand(r.pod.id);
                }}
              >
                <Icon name="chevron" size={13} />
              </button>
              <span className="cell-title ellipsis" title={r.pod.name}>
                {r.pod.name}
              </span>
            </span>
          );
        },
      },
      {
        key: 'status',
        header: 'Status',
        width: '130px',
        cell: (r) =>
          r.kind === 'pod' ? (
            <StatusBadge tone={podStatusTone(r.pod.status)}>{r.pod.status}</StatusBadge>
          ) : (
            <StatusBadge tone={stateTone(r.member.state, null)}>{memberStateLabel(r.member.state)}</StatusBadge>
          ),
      },
      { key: 'containers', header: 'Containers', width: '170px', cell: (r) => (r.kind === 'pod' ? <span className="muted">{membersLabel(r.pod)}</span> : null) },
      { key: 'ports', header: 'Ports', width: 'minmax(120px, 1fr)', cell: (r) => (r.kind === 'pod' ? <PortLinks ports={r.pod.ports} inTable /> : null) },
      {
        key: 'labels',
        header: 'Labels',
        width: 'minmax(140px, 1.4fr)',
        cell: (r) => {
          if (r.kind !== 'pod') return null;
          const pairs = labelPairs(r.pod.labels);
          if (pairs.length === 0) return <span className="muted">—</span>;
          return (
            <span className="label-list" title={pairs.join('\n')}>
              {pairs.map((p) => (
                <span key={p} className="label-chip">
                  {p}
                </span>
              ))}
            </span>
          );
        },
      },
      {
        key: 'created',
        header: 'Created',
        width: '150px',
        cell: (r) => (r.kind === 'pod' ? <span className="muted nowrap" title={formatEventDate(r.pod.createdAt)}>{createdLabel(r.pod.createdAt, now)}</span> : null),
      },
      {
        key: 'id',
        header: 'ID',
        width: '112px',
        cell: (r) => {
          const id = r.kind === 'pod' ? r.pod.id : r.member.id;
          return (
            <span className="mono muted" title={id}>
              {shortId(id)}
            </span>
          );
        },
      },
      {
        key: 'actions',
        header: 'Actions',
        width: '44px',
        className: 'vt-cell-actions',
        headerCell: <span className="visually-hidden">Actions</span>,
        cell: (r) =>
          r.kind === 'pod' ? (
            <button
              type="button"
              className="button button-ghost button-small button-icon"
              tabIndex={-1}
              aria-label={`Inspect ${r.pod.name}`}
              title="Inspect"
              aria-pressed={inspecting === r.pod.id}
              onClick={(event) => {
                event.stopPropagation();
                setActiveKey(r.pod.id);
                setInspecting((current) => (current === r.pod.id ? null : r.pod.id));
              }}
            >
              <Icon name="inspect" size={14} />
            </button>
          ) : null,
      },
    ],
    [selection, keys, expanded, now, inspecting, onToggle, onToggleAll, expand],
  );

  const onKey = (key: string, active: string | null) => {
    if (key === 'Escape' && selection.selected.size > 0) {
      setSelection(emptySelection);
      return true;
    }
    if (active === null || !isPod(active)) return false;
    if (key === 'ArrowRight') expand(active, true);
    else if (key === 'ArrowLeft') expand(active, false);
    else return false;
    return true;
  };

  // With the Inspect panel open, the table keeps the columns that identify a row.
  const shownColumns = useMemo(() => (inspecting ? columns.filter((c) => c.key !== 'labels' && c.key !== 'created') : columns), [columns, inspecting]);
  const inspected = inspecting ? (view.byId.get(inspecting) ?? null) : null;
  const memberCount = useMemo(() => view.items.reduce((n, p) => n + p.containers.length, 0), [view.items]);

  return (
    <div className="page-fill">
      <PageHeader
        title="Pods"
        description="Pods and their member containers; the status is derived from the members by the engine."
        actions={
          <>
            <LiveIndicator />
            <button type="button" className="button" onClick={() => setPlaying(true)}>
              <Icon name="upload" size={14} />
              Play Kubernetes YAML
            </button>
          </>
        }
      />
      {view.error != null && <ErrorPanel error={view.error} doing="listing pods" onRetry={() => list?.resync()} />}
      {removeError != null && <ErrorPanel error={removeError} doing="removing pods" />}
      {result && <RemovalResults result={result} onDismiss={() => setResult(null)} />}

      <div className="toolbar" role="search" aria-label="Filter pods">
        <SearchField label="Search pods by name, ID, label or container" placeholder="Search name, ID, label…" value={text} onChange={setText} />
        <button type="button" className="button button-ghost" onClick={() => setExpanded(new Set(shownPods.map((p) => p.id)))} disabled={shownPods.length === 0}>
          Expand all
        </button>
        <button type="button" className="button button-ghost" onClick={() => setExpanded(new Set())} disabled={expanded.size === 0}>
          Collapse all
        </button>
        <span className="toolbar-spacer" />
        <span className="muted small" aria-live="polite">
          {view.loaded ? `${countLabel(shownPods.length, view.items.length, 'pod')} · ${memberCount} container${memberCount === 1 ? '' : 's'}` : ''}
          {selectedPods.length > 0 && ` · ${formatCount(selectedPods.length)} selected`}
        </span>
        <RemoveSelectedButton count={selectedPods.length} removing={removing} onClick={startRemove} />
      </div>

      <div className="split">
        <div className="card card-table">
          {!view.loaded && view.error == null ? (
            <div className="loading loading-card" role="status">
              <span className="spinner" aria-hidden="true" />
              Reading pods…
            </div>
          ) : view.loaded && view.items.length === 0 ? (
            <div className="empty">
              <Icon name="pods" size={28} />
              <p className="empty-title">No pods yet</p>
              <p className="empty-text">Create a pod with the CLI, then add containers to it with <code>podbay create --pod NAME --rootfs DIR CMD</code>. It appears here by itself.</p>
              <div className="empty-command">
                <CommandBlock command={podCreateCommand} label="Copy the command that creates a pod" />
              </div>
            </div>
          ) : (
            <>
              <VirtualTable
                label="Pods"
                rows={rows}
                rowKey={podRowKey}
                columns={shownColumns}
                scrollKey={query}
                selected={selection.selected}
                activeKey={activeKey}
                onActiveChange={setActiveKey}
                onSelect={onSelect}
                onToggle={onToggle}
                onOpen={(key) => (isPod(key) ? setInspecting(key) : undefined)}
                onSelectAll={() => setSelection(toggleAll(emptySelection, keys))}
                onDelete={startRemove}
                onKey={onKey}
                tree={podTree(expanded)}
                rowClassName={(r) => (r.kind === 'member' ? 'vt-row-member' : undefined)}
              />
              {shownPods.length === 0 && (
                <NoMatches noun="pod" total={view.items.length} query={text.trim()} onClear={() => setText('')} />
              )}
            </>
          )}
        </div>
        {inspecting && <PodSidePanel key={inspecting} id={inspecting} name={inspected?.name ?? null} onClose={() => setInspecting(null)} />}
      </div>

      {playing && <PlayKubeDialog onClose={() => setPlaying(false)} />}
      {confirm && (
        <ConfirmDialog
          title={confirm.pods.length === 1 ? `Remove pod ${confirm.pods[0]?.name}?` : `Remove ${confirm.pods.length} pods?`}
          confirmLabel={confirm.pods.length === 1 ? 'Remove pod' : `Remove ${confirm.pods.length} pods`}
          busy={removing}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void remove(confirm, force)}
        >
          <p>
            {confirm.containerCount === 0
              ? confirm.pods.length === 1
                ? 'The pod has no containers.'
                : 'These pods have no containers.'
              : `${confirm.containerCount} container${confirm.containerCount === 1 ? '' : 's'} ${confirm.containerCount === 1 ? 'is' : 'are'} removed with ${confirm.pods.length === 1 ? 'it' : 'them'}, all at once: ${confirm.pods
                  .flatMap((p) => p.containers.map((c) => c.name))
                  .slice(0, 8)
                  .join(', ')}${confirm.containerCount > 8 ? '…' : ''}.`}
          </p>
          {confirm.activeMembers.length > 0 && (
            <>
              <p>
                Running: {confirm.activeMembers.slice(0, 5).join(', ')}
                {confirm.activeMembers.length > 5 ? '…' : ''}. A pod with running containers is removed only with force.
              </p>
              <label className="check-row">
                <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
                Force: stop running containers and remove them
              </label>
            </>
          )}
          <p className="muted">This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

const podRowKey = (r: PodRow) => r.key;

function podTree(expanded: ReadonlySet<string>) {
  return {
    level: (r: PodRow) => (r.kind === 'pod' ? 1 : 2),
    expanded: (r: PodRow) => (r.kind === 'pod' && r.pod.containers.length > 0 ? expanded.has(r.pod.id) : undefined),
  };
}
