import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { SearchField } from '../components/SearchField.tsx';
import { NoMatches } from '../components/NoMatches.tsx';
import type { VolumeRemoveReport } from '../../../shared/types/volumes.ts';
import { ActionIcon } from '../components/ActionIcon.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { CreateVolumeDialog } from '../components/CreateVolumeDialog.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Icon } from '../components/Icon.tsx';
import { InspectPanel } from '../components/InspectPanel.tsx';
import { LiveIndicator } from '../components/LiveIndicator.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RemovalResults } from '../components/RemovalResults.tsx';
import type { RemovalResultsView } from '../components/RemovalResults.tsx';
import { RemoveSelectedButton } from '../components/RemoveSelectedButton.tsx';
import { AllCheckbox, RowCheckbox, VirtualTable } from '../components/VirtualTable.tsx';
import type { RowModifiers, VirtualColumn } from '../components/VirtualTable.tsx';
import { chunk, countLabel, createdLabel, labelPairs } from '../containers/container-presenters.ts';
import { allState, emptySelection, pruneSelection, selectRow, toggleAll, toggleRow } from '../containers/selection.ts';
import type { Selection } from '../containers/selection.ts';
import { useLiveList } from '../containers/use-live-list.ts';
import { formatEventDate } from '../presenters/event-presenters.ts';
import { formatBytes, formatCount } from '../presenters/format-bytes.ts';
import { useCall } from '../query/use-call.ts';
import { useEngine } from '../query/use-engine.ts';
import { filterVolumes, pruneSummary, summarizeVolumeRemoval, usedByLabel, volumeLabel, volumeRemovalPlan, volumeSource } from '../volumes/volume-list-model.ts';
import type { VolumeRemovalPlan, VolumeRow } from '../volumes/volume-list-model.ts';

export function VolumesPage() {
  const engine = useEngine();
  const { view, list } = useLiveList(() => volumeSource(engine.client));

  const [text, setText] = useState('');
  const query = useDeferredValue(text);
  const shown = useMemo(() => filterVolumes(view.items, query), [view.items, query]);
  const keys = useMemo(() => shown.map((v) => v.id), [shown]);

  const [rawSelection, setSelection] = useState<Selection>(emptySelection);
  const selection = useMemo(() => pruneSelection(rawSelection, keys), [rawSelection, keys]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const [confirm, setConfirm] = useState<VolumeRemovalPlan | null>(null);
  const [force, setForce] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [result, setResult] = useState<RemovalResultsView | null>(null);
  const [pruning, setPruning] = useState<'ask' | 'busy' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ error: unknown; doing: string } | null>(null);

  const selectedRows = useMemo(() => shown.filter((v) => selection.selected.has(v.id)), [shown, selection]);
  const now = Date.now();

  const onSelect = useCallback((key: string, modifiers: RowModifiers) => setSelection((s) => selectRow(pruneSelection(s, keys), keys, key, modifiers)), [keys]);
  const onToggle = useCallback((key: string) => setSelection((s) => toggleRow(pruneSelection(s, keys), key)), [keys]);
  const onToggleAll = useCallback(() => setSelection((s) => toggleAll(pruneSelection(s, keys), keys)), [keys]);

  const remove = async (plan: VolumeRemovalPlan, withForce: boolean) => {
    setRemoving(true);
    setActionError(null);
    try {
      const reports: VolumeRemoveReport[] = [];
      for (const names of chunk(plan.volumes.map((v) => v.name))) reports.push(...(await engine.client.call('volumes.remove', { names, force: withForce })));
      const summary = summarizeVolumeRemoval(reports);
      list?.forget(summary.removedIds);
      setResult(summary);
      if (inspecting && summary.removedIds.includes(inspecting)) setInspecting(null);
    } catch (error) {
      setActionError({ error, doing: 'removing volumes' });
    } finally {
      setRemoving(false);
      setConfirm(null);
    }
  };

  const startRemove = () => {
    if (selectedRows.length === 0 || removing) return;
    setResult(null);
    setNotice(null);
    setForce(false);
    setConfirm(volumeRemovalPlan(selectedRows));
  };

  const prune = async () => {
    setPruning('busy');
    setActionError(null);
    try {
      const report = await engine.client.call('volumes.prune', {});
      list?.forget(report.removed);
      setNotice(pruneSummary(report));
    } catch (error) {
      setActionError({ error, doing: 'pruning volumes' });
    } finally {
      setPruning(null);
    }
  };

  const columns = useMemo<VirtualColumn<VolumeRow>[]>(
    () => [
      {
        key: 'select',
        header: 'Selected',
        width: '36px',
        className: 'vt-cell-check',
        headerCell: <AllCheckbox state={allState(selection, keys)} label="Select all volumes shown" onToggle={onToggleAll} disabled={keys.length === 0} />,
        cell: (v) => <RowCheckbox checked={selection.selected.has(v.id)} label={`Select ${volumeLabel(v.name)}`} onToggle={() => onToggle(v.id)} />,
      },
      {
        key: 'name',
        header: 'Name',
        width: 'minmax(180px, 1.6fr)',
        cell: (v) => (
          <span className="cell-title mono ellipsis" title={v.name}>
            {volumeLabel(v.name)}
            {v.anonymous && <span className="tag tag-muted tag-inline">anonymous</span>}
          </span>
        ),
      },
      { key: 'driver', header: 'Driver', width: '80px', cell: (v) => <span className="muted">{v.driver}</span> },
      {
        key: 'usedBy',
        header: 'Used by',
        width: 'minmax(140px, 1.2fr)',
        cell: (v) => <span className={`ellipsis${v.usedBy.length === 0 ? ' muted' : ''}`} title={v.usedBy.map((u) => u.name).join('\n')}>{usedByLabel(v)}</span>,
      },
      {
        key: 'labels',
        header: 'Labels',
        width: 'minmax(120px, 1fr)',
        cell: (v) => {
          const pairs = labelPairs(v.labels);
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
      { key: 'mountpoint', header: 'Mountpoint', width: 'minmax(200px, 2fr)', cell: (v) => <span className="mono muted ellipsis" title={v.mountpoint}>{v.mountpoint}</span> },
      { key: 'created', header: 'Created', width: '150px', cell: (v) => <span className="muted nowrap" title={formatEventDate(v.createdAt)}>{createdLabel(v.createdAt, now)}</span> },
      {
        key: 'actions',
        header: 'Actions',
        width: '44px',
        className: 'vt-cell-actions',
        headerCell: <span className="visually-hidden">Actions</span>,
        cell: (v) => (
          <button
            type="button"
            className="button button-ghost button-small button-icon"
            tabIndex={-1}
            aria-label={`Inspect ${volumeLabel(v.name)}`}
            title="Inspect"
            aria-pressed={inspecting === v.id}
            onClick={(event) => {
              event.stopPropagation();
              setActiveKey(v.id);
              setInspecting((current) => (current === v.id ? null : v.id));
            }}
          >
            <Icon name="inspect" size={14} />
          </button>
        ),
      },
    ],
    [selection, keys, now, inspecting, onToggle, onToggleAll],
  );

  // With the Inspect panel open, the table keeps the columns that identify a row.
  const shownColumns = useMemo(() => (inspecting ? columns.filter((c) => c.key !== 'labels' && c.key !== 'mountpoint' && c.key !== 'created') : columns), [columns, inspecting]);
  const inspected = inspecting ? (view.byId.get(inspecting) ?? null) : null;
  const unused = view.items.filter((v) => v.usedBy.length === 0).length;

  return (
    <div className="page-fill">
      <PageHeader
        title="Volumes"
        description="Named volumes keep data apart from any container: mount one at a path with -v NAME:/path, or from the Run dialog."
        actions={
          <>
            <LiveIndicator />
            <button type="button" className="button" onClick={() => setPruning('ask')} disabled={pruning !== null || !view.loaded}>
              <Icon name="trash" size={14} />
              Prune unused
            </button>
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              <ActionIcon name="plus" size={14} />
              Create volume
            </button>
          </>
        }
      />
      {view.error != null && <ErrorPanel error={view.error} doing="listing volumes" onRetry={() => list?.resync()} />}
      {actionError && <ErrorPanel error={actionError.error} doing={actionError.doing} />}
      {result && <RemovalResults result={result} onDismiss={() => setResult(null)} />}
      {notice && (
        <section className="panel panel-ok removal-results" role="status" aria-label="Prune results">
          <Icon name="check" size={18} className="panel-icon" />
          <div className="panel-body">
            <p className="panel-title">{notice}</p>
          </div>
          <button type="button" className="button button-ghost button-small" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </section>
      )}

      <div className="toolbar" role="search" aria-label="Filter volumes">
        <SearchField label="Search volumes by name, label, option or container" placeholder="Search name, label, container…" value={text} onChange={setText} />
        <span className="toolbar-spacer" />
        <span className="muted small" aria-live="polite">
          {view.loaded ? `${countLabel(shown.length, view.items.length, 'volume')} · ${formatCount(unused)} unused` : ''}
          {selectedRows.length > 0 && ` · ${formatCount(selectedRows.length)} selected`}
        </span>
        <RemoveSelectedButton count={selectedRows.length} removing={removing} onClick={startRemove} />
      </div>

      <div className="split">
        <div className="card card-table">
          {!view.loaded && view.error == null ? (
            <div className="loading loading-card" role="status">
              <span className="spinner" aria-hidden="true" />
              Reading volumes…
            </div>
          ) : view.loaded && view.items.length === 0 ? (
            <div className="empty">
              <Icon name="volumes" size={28} />
              <p className="empty-title">No volumes yet</p>
              <p className="empty-text">Create one here, or let a container make one: a volume named in a mount is created when it is missing, and an image’s VOLUME gets its own.</p>
              <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
                <ActionIcon name="plus" size={14} />
                Create a volume
              </button>
            </div>
          ) : (
            <>
              <VirtualTable
                label="Volumes"
                rows={shown}
                rowKey={volumeRowKey}
                columns={shownColumns}
                scrollKey={query}
                selected={selection.selected}
                activeKey={activeKey}
                onActiveChange={setActiveKey}
                onSelect={onSelect}
                onToggle={onToggle}
                onOpen={(key) => setInspecting(key)}
                onSelectAll={() => setSelection(toggleAll(emptySelection, keys))}
                onDelete={startRemove}
                onKey={(key) => {
                  if (key !== 'Escape' || selection.selected.size === 0) return false;
                  setSelection(emptySelection);
                  return true;
                }}
              />
              {shown.length === 0 && (
                <NoMatches noun="volume" total={view.items.length} query={text.trim()} onClear={() => setText('')} />
              )}
            </>
          )}
        </div>
        {inspecting && <VolumeInspector key={inspecting} name={inspecting} gone={inspected === null} onClose={() => setInspecting(null)} />}
      </div>

      {creating && (
        <CreateVolumeDialog
          onCancel={() => setCreating(false)}
          onCreated={(volume) => {
            setCreating(false);
            setActiveKey(volume.name);
          }}
        />
      )}

      {confirm && (
        <ConfirmDialog
          title={confirm.volumes.length === 1 ? `Remove volume ${volumeLabel(confirm.volumes[0]?.name ?? '')}?` : `Remove ${confirm.volumes.length} volumes?`}
          confirmLabel={confirm.volumes.length === 1 ? 'Remove volume' : `Remove ${confirm.volumes.length} volumes`}
          busy={removing}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void remove(confirm, force)}
        >
          <p>The data in {confirm.volumes.length === 1 ? 'it' : 'them'} is deleted.</p>
          {confirm.users.length > 0 && (
            <>
              <p>
                In use by {confirm.users.slice(0, 6).join(', ')}
                {confirm.users.length > 6 ? '…' : ''}. A volume a container uses is removed only with force, and then those containers are removed first.
              </p>
              <label className="check-row">
                <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
                Force: also remove {confirm.users.length === 1 ? `container ${confirm.users[0]}` : `the ${confirm.users.length} containers using them`}
              </label>
            </>
          )}
          <p className="muted">This cannot be undone.</p>
        </ConfirmDialog>
      )}

      {pruning !== null && (
        <ConfirmDialog
          title="Remove all unused volumes?"
          confirmLabel="Prune volumes"
          busy={pruning === 'busy'}
          onCancel={() => setPruning(null)}
          onConfirm={() => void prune()}
        >
          <p>
            {unused === 0 ? 'No volume is unused right now.' : `${formatCount(unused)} volume${unused === 1 ? ' is' : 's are'} used by no container`}
            {unused > 0 && ': their data is deleted.'}
          </p>
          <p className="muted">Volumes that containers use are kept. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

const volumeRowKey = (v: VolumeRow) => v.id;

function VolumeInspector({ name, gone, onClose }: { name: string; gone: boolean; onClose: () => void }) {
  const inspect = useCall('volumes.inspect', { name });
  return (
    <InspectPanel
      title={`Inspect ${volumeLabel(name)}`}
      subtitle={
        <span className="mono">
          {inspect.data?.mountpoint ?? name}
          {inspect.data ? ` · ${formatBytes(inspect.data.size)}` : ''}
        </span>
      }
      data={inspect.data}
      error={inspect.error}
      loading={inspect.loading}
      gone={gone && inspect.data ? `${volumeLabel(name)} was removed; this is its last known state.` : null}
      doing="inspecting the volume"
      onClose={onClose}
      onRetry={() => void inspect.refetch()}
    />
  );
}
