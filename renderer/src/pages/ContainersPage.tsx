import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import { NoMatches } from '../components/NoMatches.tsx';
import { SearchField } from '../components/SearchField.tsx';
import type { ContainerListItem } from '../../../shared/types/containers.ts';
import { ActionIcon } from '../components/ActionIcon.tsx';
import type { ActionIconName } from '../components/ActionIcon.tsx';
import { ActionResults } from '../components/ActionResults.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ContainerDetails } from '../components/ContainerDetails.tsx';
import { CreateContainerDialog } from '../components/CreateContainerDialog.tsx';
import { CommandBlock } from '../components/CopyButton.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Icon } from '../components/Icon.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { PortLinks } from '../components/PortLinks.tsx';
import { RemovalResults } from '../components/RemovalResults.tsx';
import type { RemovalResultsView } from '../components/RemovalResults.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { AllCheckbox, RowCheckbox, VirtualTable } from '../components/VirtualTable.tsx';
import type { RowModifiers, VirtualColumn } from '../components/VirtualTable.tsx';
import { actionLabels, actionNeedsConfirmation, applicableItems, summarizeAction } from '../containers/container-actions.ts';
import type { ActionSummary, ContainerAction } from '../containers/container-actions.ts';
import { containerSource, filterContainers, stateCounts, stateFilters } from '../containers/container-list-model.ts';
import type { StateFilter } from '../containers/container-list-model.ts';
import { chunk, commandLabel, compactPath, countLabel, createdLabel, imageLabel, removalPlan, statusView, summarizeRemoval } from '../containers/container-presenters.ts';
import type { RemovalPlan } from '../containers/container-presenters.ts';
import { allState, emptySelection, pruneSelection, selectRow, toggleAll, toggleRow } from '../containers/selection.ts';
import type { Selection } from '../containers/selection.ts';
import { useLiveList } from '../containers/use-live-list.ts';
import { formatEventDate, shortId } from '../presenters/event-presenters.ts';
import { formatCount } from '../presenters/format-bytes.ts';
import { useEngine } from '../query/use-engine.ts';
import { LiveIndicator } from '../components/LiveIndicator.tsx';
import { RemoveSelectedButton } from '../components/RemoveSelectedButton.tsx';

export const createCommand = 'podbay create --name web --rootfs DIR /bin/sh';

export function ContainersPage() {
  const engine = useEngine();
  const { view, list } = useLiveList(() => containerSource(engine.client));

  const [text, setText] = useState('');
  const [stateFilter, setStateFilter] = useState<StateFilter>('all');
  const query = useDeferredValue(text);
  const shown = useMemo(() => filterContainers(view.items, { text: query, state: stateFilter }), [view.items, query, stateFilter]);
  const keys = useMemo(() => shown.map((c) => c.id), [shown]);
  const counts = useMemo(() => stateCounts(view.items), [view.items]);

  const [rawSelection, setSelection] = useState<Selection>(emptySelection);
  // What you see selected is what an action acts on: rows filtered out or removed leave the selection.
  const selection = useMemo(() => pruneSelection(rawSelection, keys), [rawSelection, keys]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);

  const [confirm, setConfirm] = useState<RemovalPlan | null>(null);
  const [force, setForce] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [result, setResult] = useState<RemovalResultsView | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [acting, setActing] = useState<ContainerAction | null>(null);
  const [actionResult, setActionResult] = useState<ActionSummary | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [confirmAction, setConfirmAction] = useState<{ action: ContainerAction; items: readonly ContainerListItem[] } | null>(null);

  const selectedItems = useMemo(() => shown.filter((c) => selection.selected.has(c.id)), [shown, selection]);
  const now = Date.now();

  const onSelect = useCallback((key: string, modifiers: RowModifiers) => setSelection((s) => selectRow(pruneSelection(s, keys), keys, key, modifiers)), [keys]);
  const onToggle = useCallback((key: string) => setSelection((s) => toggleRow(pruneSelection(s, keys), key)), [keys]);
  const onToggleAll = useCallback(() => setSelection((s) => toggleAll(pruneSelection(s, keys), keys)), [keys]);

  const remove = async (plan: RemovalPlan, withForce: boolean) => {
    setRemoving(true);
    setRemoveError(null);
    const names = new Map(plan.items.map((c) => [c.id, c.name]));
    try {
      const reports = [];
      for (const ids of chunk(plan.items.map((c) => c.id))) reports.push(...(await engine.client.call('containers.remove', { nameOrIds: ids, force: withForce })));
      const summary = summarizeRemoval(reports, (id) => names.get(id) ?? shortId(id));
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

  const startRemove = (items: readonly ContainerListItem[] = selectedItems) => {
    if (items.length === 0 || removing) return;
    const plan = removalPlan(items);
    setResult(null);
    if (plan.needsConfirmation) {
      setForce(plan.active.length > 0);
      setConfirm(plan);
    } else void remove(plan, false);
  };

  /** Runs a lifecycle action on the containers it applies to; one report per container. */
  const run = async (action: Exclude<ContainerAction, 'remove'>, items: readonly ContainerListItem[]) => {
    const targets = applicableItems(action, items);
    if (targets.length === 0 || acting) return;
    setActing(action);
    setActionError(null);
    setActionResult(null);
    setResult(null);
    const names = new Map(targets.map((c) => [c.id, c.name]));
    try {
      const reports = [];
      for (const ids of chunk(targets.map((c) => c.id))) reports.push(...(await engine.client.call(`containers.${action}`, { nameOrIds: ids })));
      const summary = summarizeAction(action, reports, (id) => names.get(id) ?? shortId(id));
      // A single success speaks for itself (the row changes); failures and batches get a banner.
      if (summary.failures.length > 0 || targets.length > 1) setActionResult(summary);
    } catch (error) {
      setActionError(error);
    } finally {
      setActing(null);
    }
  };

  const act = (action: ContainerAction, items: readonly ContainerListItem[]) => {
    if (action === 'remove') return startRemove(items);
    if (actionNeedsConfirmation(action)) setConfirmAction({ action, items: applicableItems(action, items) });
    else void run(action, items);
  };
  const actRef = useRef(act);
  actRef.current = act;

  const columns = useMemo<VirtualColumn<ContainerListItem>[]>(
    () => [
      {
        key: 'select',
        header: 'Selected',
        width: '36px',
        className: 'vt-cell-check',
        headerCell: <AllCheckbox state={allState(selection, keys)} label="Select all containers shown" onToggle={onToggleAll} disabled={keys.length === 0} />,
        cell: (c) => <RowCheckbox checked={selection.selected.has(c.id)} label={`Select ${c.name}`} onToggle={() => onToggle(c.id)} />,
      },
      { key: 'name', header: 'Name', width: 'minmax(140px, 1.3fr)', cell: (c) => <span className="cell-title" title={c.name}>{c.name}</span> },
      {
        key: 'image',
        header: 'Image',
        width: 'minmax(130px, 1.3fr)',
        cell: (c) => {
          const image = imageLabel(c);
          return (
            <span className="cell-image" title={image.kind === 'rootfs' ? `Root filesystem: ${image.text}` : image.text}>
              {image.kind === 'rootfs' && <span className="tag tag-muted tag-inline">rootfs</span>}
              <span className="mono ellipsis">{image.kind === 'rootfs' ? compactPath(image.text) : image.text}</span>
            </span>
          );
        },
      },
      { key: 'command', header: 'Command', width: 'minmax(110px, 1.1fr)', cell: (c) => <span className="mono muted ellipsis" title={commandLabel(c.command)}>{commandLabel(c.command)}</span> },
      { key: 'created', header: 'Created', width: '136px', cell: (c) => <span className="muted nowrap" title={formatEventDate(c.createdAt)}>{createdLabel(c.createdAt, now)}</span> },
      {
        key: 'status',
        header: 'Status',
        width: '176px',
        cell: (c) => {
          const status = statusView(c, now);
          return <StatusBadge tone={status.tone}>{status.text}</StatusBadge>;
        },
      },
      { key: 'ports', header: 'Ports', width: 'minmax(120px, 1fr)', cell: (c) => <PortLinks ports={c.ports} inTable /> },
      { key: 'pod', header: 'Pod', width: 'minmax(80px, 0.7fr)', cell: (c) => (c.podName ? <span className="ellipsis" title={c.podId ?? undefined}>{c.podName}</span> : <span className="muted">—</span>) },
      { key: 'id', header: 'ID', width: '108px', cell: (c) => <span className="mono muted" title={c.id}>{shortId(c.id)}</span> },
      {
        key: 'actions',
        header: 'Actions',
        width: '76px',
        className: 'vt-cell-actions',
        headerCell: <span className="visually-hidden">Actions</span>,
        cell: (c) => {
          const primary = primaryAction(c);
          return (
            <span className="row-actions">
              {primary && (
                <button
                  type="button"
                  className="button button-ghost button-small button-icon"
                  tabIndex={-1}
                  aria-label={`${actionLabels[primary.action]} ${c.name}`}
                  title={actionLabels[primary.action]}
                  onClick={(event) => {
                    event.stopPropagation();
                    actRef.current(primary.action, [c]);
                  }}
                >
                  <ActionIcon name={primary.icon} size={14} />
                </button>
              )}
              <button
                type="button"
                className="button button-ghost button-small button-icon"
                tabIndex={-1}
                aria-label={`Inspect ${c.name}`}
                title="Details"
                aria-pressed={inspecting === c.id}
                onClick={(event) => {
                  event.stopPropagation();
                  setActiveKey(c.id);
                  setInspecting((current) => (current === c.id ? null : c.id));
                }}
              >
                <Icon name="inspect" size={14} />
              </button>
            </span>
          );
        },
      },
    ],
    [selection, keys, now, inspecting, onToggle, onToggleAll],
  );

  // With the Inspect panel open, the table keeps the columns that identify a row.
  const shownColumns = useMemo(() => (inspecting ? columns.filter((c) => c.key !== 'command' && c.key !== 'created') : columns), [columns, inspecting]);
  const filtered = text.trim() !== '' || stateFilter !== 'all';
  const inspected = inspecting ? (view.byId.get(inspecting) ?? null) : null;

  return (
    <div className="page-fill">
      <PageHeader
        title="Containers"
        description="Every container in the store, updated the moment any Podbay process changes one."
        actions={
          <>
            <LiveIndicator />
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              <ActionIcon name="plus" size={14} />
              Create container
            </button>
          </>
        }
      />
      {view.error != null && <ErrorPanel error={view.error} doing="listing containers" onRetry={() => list?.resync()} />}
      {removeError != null && <ErrorPanel error={removeError} doing="removing containers" />}
      {actionError != null && <ErrorPanel error={actionError} doing="acting on containers" />}
      {result && <RemovalResults result={result} onDismiss={() => setResult(null)} />}
      {actionResult && <ActionResults result={actionResult} onDismiss={() => setActionResult(null)} />}

      <div className="toolbar" role="search" aria-label="Filter containers">
        <SearchField label="Search containers by name, ID, image or label" placeholder="Search name, ID, image, label…" value={text} onChange={setText} />
        <label className="field">
          <span className="field-label">State</span>
          <select value={stateFilter} onChange={(e) => setStateFilter(e.target.value as StateFilter)}>
            {stateFilters.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label} ({counts[f.value]})
              </option>
            ))}
          </select>
        </label>
        <span className="toolbar-spacer" />
        <span className="muted small" aria-live="polite">
          {view.loaded ? countLabel(shown.length, view.items.length, 'container') : ''}
          {selectedItems.length > 0 && ` · ${formatCount(selectedItems.length)} selected`}
        </span>
        {selectionActions.map(({ action, icon }) => {
          const count = applicableItems(action, selectedItems).length;
          // Only what applies to the selection is offered (a running one cannot be started).
          if (count === 0) return null;
          return (
            <button
              key={action}
              type="button"
              className="button"
              onClick={() => act(action, selectedItems)}
              disabled={acting !== null}
              title={`${actionLabels[action]} ${count} of the ${formatCount(selectedItems.length)} selected`}
            >
              {acting === action ? <span className="spinner spinner-small" aria-hidden="true" /> : <ActionIcon name={icon} size={14} />}
              {count > 0 ? `${actionLabels[action]} ${formatCount(count)}` : actionLabels[action]}
            </button>
          );
        })}
        <RemoveSelectedButton count={selectedItems.length} removing={removing} onClick={() => startRemove()} />
      </div>

      <div className="split">
        <div className="card card-table">
          {!view.loaded && view.error == null ? (
            <div className="loading loading-card" role="status">
              <span className="spinner" aria-hidden="true" />
              Reading containers…
            </div>
          ) : view.loaded && view.items.length === 0 ? (
            <div className="empty">
              <Icon name="containers" size={28} />
              <p className="empty-title">No containers yet</p>
              <p className="empty-text">Create one from a root filesystem directory with Create container, or with the CLI: it appears here by itself.</p>
              <div className="empty-command">
                <CommandBlock command={createCommand} label="Copy the command that creates a container" />
              </div>
            </div>
          ) : (
            <>
              <VirtualTable
                label="Containers"
                rows={shown}
                rowKey={containerKey}
                columns={shownColumns}
                scrollKey={`${query}\u0000${stateFilter}`}
                selected={selection.selected}
                activeKey={activeKey}
                onActiveChange={setActiveKey}
                onSelect={onSelect}
                onToggle={onToggle}
                onOpen={(key) => setInspecting(key)}
                onSelectAll={() => setSelection(toggleAll(emptySelection, keys))}
                onDelete={() => startRemove()}
                onKey={(key) => {
                  if (key !== 'Escape' || selection.selected.size === 0) return false;
                  setSelection(emptySelection);
                  return true;
                }}
              />
              {shown.length === 0 && filtered && (
                <NoMatches
                  noun="container"
                  total={view.items.length}
                  query={text.trim() || stateFilter}
                  clearLabel="Clear filters"
                  onClear={() => {
                    setText('');
                    setStateFilter('all');
                  }}
                />
              )}
            </>
          )}
        </div>
        {inspecting && (
          <ContainerDetails
            key={inspecting}
            id={inspecting}
            item={inspected}
            busy={acting !== null || removing}
            onAction={(action, item) => act(action, [item])}
            onClose={() => setInspecting(null)}
          />
        )}
      </div>

      {creating && (
        <CreateContainerDialog
          onCancel={() => setCreating(false)}
          onCreated={(report) => {
            setCreating(false);
            setActiveKey(report.id);
            setInspecting(report.id);
          }}
        />
      )}

      {confirmAction && (
        <ConfirmDialog
          title={confirmAction.items.length === 1 ? `Kill ${confirmAction.items[0]?.name}?` : `Kill ${confirmAction.items.length} containers?`}
          confirmLabel={confirmAction.items.length === 1 ? 'Kill container' : `Kill ${confirmAction.items.length} containers`}
          busy={acting !== null}
          onCancel={() => setConfirmAction(null)}
          onConfirm={() => {
            const { action, items } = confirmAction;
            setConfirmAction(null);
            void run(action as Exclude<ContainerAction, 'remove'>, items);
          }}
        >
          <p>SIGKILL ends the processes at once: whatever they had not written out is lost. Stop sends the stop signal first and waits.</p>
        </ConfirmDialog>
      )}

      {confirm && (
        <ConfirmDialog
          title={confirm.items.length === 1 ? `Remove container ${confirm.items[0]?.name}?` : `Remove ${confirm.items.length} containers?`}
          confirmLabel={confirm.items.length === 1 ? 'Remove container' : `Remove ${confirm.items.length} containers`}
          busy={removing}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void remove(confirm, force)}
        >
          <RemovalQuestion plan={confirm} force={force} onForce={setForce} />
        </ConfirmDialog>
      )}
    </div>
  );
}

const containerKey = (c: ContainerListItem) => c.id;

function RemovalQuestion({ plan, force, onForce }: { plan: RemovalPlan; force: boolean; onForce: (force: boolean) => void }) {
  const names = (items: readonly ContainerListItem[]) => items.map((c) => c.name).join(', ');
  return (
    <>
      {plan.used.length > 0 && (
        <p>
          {plan.used.length === 1 ? `${names(plan.used)} has run:` : `${plan.used.length} have run (${names(plan.used.slice(0, 5))}${plan.used.length > 5 ? '…' : ''}):`} its output and the changes
          made to its filesystem are deleted with it.
        </p>
      )}
      {plan.active.length > 0 && (
        <>
          <p>
            {plan.active.length === 1 ? `${names(plan.active)} is running.` : `${plan.active.length} are running (${names(plan.active.slice(0, 5))}${plan.active.length > 5 ? '…' : ''}).`} Running
            containers are removed only with force, which kills their processes.
          </p>
          <label className="check-row">
            <input type="checkbox" checked={force} onChange={(e) => onForce(e.target.checked)} />
            Force: stop running containers and remove them
          </label>
        </>
      )}
      <p className="muted">This cannot be undone.</p>
    </>
  );
}

const selectionActions: readonly { action: Exclude<ContainerAction, 'remove'>; icon: ActionIconName }[] = [
  { action: 'start', icon: 'play' },
  { action: 'stop', icon: 'stop' },
  { action: 'restart', icon: 'restart' },
  { action: 'pause', icon: 'pause' },
  { action: 'unpause', icon: 'play' },
  { action: 'kill', icon: 'kill' },
];

/** The one action a row offers beside Details: Start a stopped container, Stop a running one, Resume a paused one. */
function primaryAction(c: ContainerListItem): { action: ContainerAction; icon: ActionIconName } | null {
  if (c.state === 'running') return { action: 'stop', icon: 'stop' };
  if (c.state === 'paused') return { action: 'unpause', icon: 'play' };
  if (c.state === 'configured' || c.state === 'created' || c.state === 'exited' || c.state === 'stopped') return { action: 'start', icon: 'play' };
  return null;
}
