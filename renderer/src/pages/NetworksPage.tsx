import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { SearchField } from '../components/SearchField.tsx';
import { NoMatches } from '../components/NoMatches.tsx';
import type { NetworkListItem, NetworkRemoveReport } from '../../../shared/types/networks.ts';
import { ActionIcon } from '../components/ActionIcon.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { CreateNetworkDialog } from '../components/CreateNetworkDialog.tsx';
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
import { countLabel, createdLabel } from '../containers/container-presenters.ts';
import { allState, emptySelection, pruneSelection, selectRow, toggleAll, toggleRow } from '../containers/selection.ts';
import type { Selection } from '../containers/selection.ts';
import { useLiveList } from '../containers/use-live-list.ts';
import { filterNetworks, networkSource } from '../networks/network-list-model.ts';
import { gatewaysLabel, membersList, networkRemovalPlan, subnetsLabel, summarizeNetworkRemoval } from '../networks/network-presenters.ts';
import type { NetworkRemovalPlan } from '../networks/network-presenters.ts';
import { formatEventDate, shortId } from '../presenters/event-presenters.ts';
import { formatCount } from '../presenters/format-bytes.ts';
import { useCall } from '../query/use-call.ts';
import { useEngine } from '../query/use-engine.ts';
import { useRootless } from '../query/use-rootless.ts';

/**
 * The store's networks, live from events: who is connected, subnets and gateways, DNS and internal;
 * create one, inspect it, remove the selected ones (asking first, naming the containers removed
 * with them).
 */
export function NetworksPage() {
  const engine = useEngine();
  const rootless = useRootless();
  const { view, list } = useLiveList(() => networkSource(engine.client));
  const [text, setText] = useState('');
  const query = useDeferredValue(text);
  const shown = useMemo(() => filterNetworks(view.items, query), [view.items, query]);
  const keys = useMemo(() => shown.map((n) => n.id), [shown]);

  const [rawSelection, setSelection] = useState<Selection>(emptySelection);
  const selection = useMemo(() => pruneSelection(rawSelection, keys), [rawSelection, keys]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [confirm, setConfirm] = useState<NetworkRemovalPlan | null>(null);
  const [removing, setRemoving] = useState(false);
  const [result, setResult] = useState<RemovalResultsView | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);

  const selected = useMemo(() => shown.filter((n) => selection.selected.has(n.id)), [shown, selection]);
  const now = Date.now();

  const onSelect = useCallback((key: string, modifiers: RowModifiers) => setSelection((s) => selectRow(pruneSelection(s, keys), keys, key, modifiers)), [keys]);
  const onToggle = useCallback((key: string) => setSelection((s) => toggleRow(pruneSelection(s, keys), key)), [keys]);
  const onToggleAll = useCallback(() => setSelection((s) => toggleAll(pruneSelection(s, keys), keys)), [keys]);

  const startRemove = () => {
    if (selected.length === 0 || removing) return;
    setResult(null);
    setConfirm(networkRemovalPlan(selected));
  };

  const remove = async (plan: NetworkRemovalPlan) => {
    setRemoving(true);
    setRemoveError(null);
    try {
      const reports: NetworkRemoveReport[] = plan.networks.length ? await engine.client.call('networks.remove', { nameOrIds: plan.networks.map((n) => n.name), force: plan.containers.length > 0 }) : [];
      const summary = summarizeNetworkRemoval(reports);
      const gone = plan.networks.filter((n) => summary.removedIds.includes(n.name)).map((n) => n.id);
      list?.forget(gone);
      setResult(summary);
      if (inspecting && gone.includes(inspecting)) setInspecting(null);
    } catch (error) {
      setRemoveError(error);
    } finally {
      setRemoving(false);
      setConfirm(null);
    }
  };

  const columns = useMemo<VirtualColumn<NetworkListItem>[]>(
    () => [
      {
        key: 'select',
        header: 'Selected',
        width: '36px',
        className: 'vt-cell-check',
        headerCell: <AllCheckbox state={allState(selection, keys)} label="Select all networks shown" onToggle={onToggleAll} disabled={keys.length === 0} />,
        cell: (n) => <RowCheckbox checked={selection.selected.has(n.id)} label={`Select ${n.name}`} onToggle={() => onToggle(n.id)} />,
      },
      {
        key: 'name',
        header: 'Name',
        width: 'minmax(140px, 1.2fr)',
        cell: (n) => (
          <span className="cell-name">
            <span className="cell-title ellipsis" title={n.name}>
              {n.name}
            </span>
            {n.isDefault && <span className="tag tag-muted tag-inline">default</span>}
          </span>
        ),
      },
      { key: 'driver', header: 'Driver', width: '70px', cell: (n) => <span className="muted">{n.driver}</span> },
      { key: 'subnet', header: 'Subnet', width: 'minmax(120px, 1fr)', cell: (n) => <span className="mono ellipsis" title={subnetsLabel(n)}>{subnetsLabel(n)}</span> },
      { key: 'gateway', header: 'Gateway', width: 'minmax(100px, 0.8fr)', cell: (n) => <span className="mono muted ellipsis">{gatewaysLabel(n)}</span> },
      { key: 'dns', header: 'DNS', width: '56px', cell: (n) => <span className={n.dnsEnabled ? '' : 'muted'}>{n.dnsEnabled ? 'Yes' : 'No'}</span> },
      { key: 'internal', header: 'Internal', width: '80px', cell: (n) => <span className={n.internal ? '' : 'muted'}>{n.internal ? 'Yes' : 'No'}</span> },
      {
        key: 'containers',
        header: 'Containers',
        width: 'minmax(130px, 1.2fr)',
        cell: (n) => (
          <span className="ellipsis" title={n.containers.map((c) => c.name).join('\n')}>
            {membersList(n)}
          </span>
        ),
      },
      { key: 'created', header: 'Created', width: '136px', cell: (n) => <span className="muted nowrap" title={formatEventDate(n.createdAt)}>{createdLabel(n.createdAt, now)}</span> },
      { key: 'id', header: 'ID', width: '108px', cell: (n) => <span className="mono muted" title={n.id}>{shortId(n.id)}</span> },
      {
        key: 'actions',
        header: 'Actions',
        width: '44px',
        className: 'vt-cell-actions',
        headerCell: <span className="visually-hidden">Actions</span>,
        cell: (n) => (
          <button
            type="button"
            className="button button-ghost button-small button-icon"
            tabIndex={-1}
            aria-label={`Inspect ${n.name}`}
            title="Inspect"
            aria-pressed={inspecting === n.id}
            onClick={(event) => {
              event.stopPropagation();
              setActiveKey(n.id);
              setInspecting((current) => (current === n.id ? null : n.id));
            }}
          >
            <Icon name="inspect" size={14} />
          </button>
        ),
      },
    ],
    [selection, keys, now, inspecting, onToggle, onToggleAll],
  );

  const shownColumns = useMemo(() => (inspecting ? columns.filter((c) => c.key !== 'gateway' && c.key !== 'created' && c.key !== 'driver') : columns), [columns, inspecting]);
  const inspected = inspecting ? (view.byId.get(inspecting) ?? null) : null;

  return (
    <div className="page-fill">
      <PageHeader
        title="Networks"
        description="Bridge networks of the store and the containers on them, updated the moment any Podbay process changes one."
        actions={
          <>
            <LiveIndicator />
            <button type="button" className="button button-primary" onClick={() => setCreating(true)} disabled={rootless} title={rootless ? 'Bridge networks need root: rootless containers use slirp4netns' : undefined}>
              <ActionIcon name="plus" size={14} />
              Create network
            </button>
          </>
        }
      />
      {rootless && (
        <p className="form-note" role="note">
          Rootless mode: containers and pods cannot join these bridge networks (they need root). They get slirp4netns by default, which publishes ports through the host, or none or host.
        </p>
      )}
      {view.error != null && <ErrorPanel error={view.error} doing="listing networks" onRetry={() => list?.resync()} />}
      {removeError != null && <ErrorPanel error={removeError} doing="removing networks" />}
      {result && <RemovalResults result={result} onDismiss={() => setResult(null)} />}

      <div className="toolbar" role="search" aria-label="Filter networks">
        <SearchField label="Search networks by name, subnet, container or label" placeholder="Search name, subnet, container…" value={text} onChange={setText} />
        <span className="toolbar-spacer" />
        <span className="muted small" aria-live="polite">
          {view.loaded ? countLabel(shown.length, view.items.length, 'network') : ''}
          {selected.length > 0 && ` · ${formatCount(selected.length)} selected`}
        </span>
        <RemoveSelectedButton count={selected.length} removing={removing} onClick={startRemove} />
      </div>

      <div className="split">
        <div className="card card-table">
          {!view.loaded && view.error == null ? (
            <div className="loading loading-card" role="status">
              <span className="spinner" aria-hidden="true" />
              Reading networks…
            </div>
          ) : (
            <>
              <VirtualTable
                label="Networks"
                rows={shown}
                rowKey={networkKey}
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
              {shown.length === 0 && view.items.length > 0 && (
                <NoMatches noun="network" total={view.items.length} query={text.trim()} onClear={() => setText('')} />
              )}
            </>
          )}
        </div>
        {inspecting && <NetworkInspector key={inspecting} id={inspecting} name={inspected?.name ?? null} onClose={() => setInspecting(null)} />}
      </div>

      {creating && (
        <CreateNetworkDialog
          onCancel={() => setCreating(false)}
          onCreated={(network) => {
            setCreating(false);
            setActiveKey(network.id);
          }}
        />
      )}

      {confirm && (
        <ConfirmDialog
          title={confirm.networks.length === 1 ? `Remove network ${confirm.networks[0]?.name}?` : `Remove ${confirm.networks.length} networks?`}
          confirmLabel={confirm.containers.length > 0 ? 'Remove with its containers' : confirm.networks.length === 1 ? 'Remove network' : `Remove ${confirm.networks.length} networks`}
          busy={removing}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void remove(confirm)}
        >
          {confirm.refused.length > 0 && <p>{confirm.refused.map((n) => n.name).join(', ')} is the default network: it stays.</p>}
          {confirm.networks.length === 0 ? (
            <p>Nothing else is selected.</p>
          ) : confirm.containers.length > 0 ? (
            <p>
              {confirm.containers.length === 1 ? 'One container is' : `${confirm.containers.length} containers are`} connected and {confirm.containers.length === 1 ? 'is' : 'are'} removed with{' '}
              {confirm.networks.length === 1 ? 'it' : 'them'} (running ones are stopped first): {confirm.containers.slice(0, 8).join(', ')}
              {confirm.containers.length > 8 ? '…' : ''}.
            </p>
          ) : (
            <p>No container is connected.</p>
          )}
          <p className="muted">This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

const networkKey = (n: NetworkListItem) => n.id;

function NetworkInspector({ id, name, onClose }: { id: string; name: string | null; onClose: () => void }) {
  const inspect = useCall('networks.inspect', { nameOrId: id });
  const title = name ?? inspect.data?.name ?? shortId(id);
  return (
    <InspectPanel
      title={`Inspect ${title}`}
      subtitle={<span className="mono">{shortId(id)}</span>}
      data={inspect.data}
      error={inspect.error}
      loading={inspect.loading}
      gone={name === null && inspect.data ? `${inspect.data.name} was removed; this is its last known state.` : null}
      doing="inspecting the network"
      onClose={onClose}
      onRetry={() => void inspect.refetch()}
    />
  );
}
