import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { SaveImagesDialog, UploadImageDialog } from '../components/ArchiveDialogs.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Icon } from '../components/Icon.tsx';
import { ImageInspectPanel } from '../components/ImageInspectPanel.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { RemovalResults } from '../components/RemovalResults.tsx';
import type { RemovalResultsView } from '../components/RemovalResults.tsx';
import { TagDialog } from '../components/TagDialog.tsx';
import { AllCheckbox, RowCheckbox, VirtualTable } from '../components/VirtualTable.tsx';
import type { RowModifiers, VirtualColumn } from '../components/VirtualTable.tsx';
import { chunk, countLabel, createdLabel } from '../containers/container-presenters.ts';
import { allState, emptySelection, pruneSelection, selectRow, toggleAll, toggleRow } from '../containers/selection.ts';
import type { Selection } from '../containers/selection.ts';
import { useLiveList } from '../containers/use-live-list.ts';
import { filterImageRows, imageRows, imageSource } from '../images/image-list-model.ts';
import type { ImageRow } from '../images/image-list-model.ts';
import { imageRemovalPlan, imageShortId, removalUsersLabel, sharedSizeLabel, sizeLabel, summarizeImageRemoval } from '../images/image-presenters.ts';
import type { ImageRemovalPlan } from '../images/image-presenters.ts';
import { formatEventDate } from '../presenters/event-presenters.ts';
import { formatCount } from '../presenters/format-bytes.ts';
import { useCall } from '../query/use-call.ts';
import { useEngine } from '../query/use-engine.ts';
import { LiveIndicator } from '../components/LiveIndicator.tsx';
import { RemoveSelectedButton } from '../components/RemoveSelectedButton.tsx';
import { runningTasks } from '../tasks/task-list-model.ts';
import { useTaskState, useTasksUi } from '../tasks/use-tasks.ts';
import type { ImageListItem, ImageRemoveReport } from '../../../shared/types/images.ts';

export function ImagesPage() {
  const engine = useEngine();
  const { view, list } = useLiveList(() => imageSource(engine.client));
  const { openPull, openPush } = useTasksUi();
  const pulling = runningTasks(useTaskState()).length;

  const [text, setText] = useState('');
  const query = useDeferredValue(text);
  const rows = useMemo(() => imageRows(view.items), [view.items]);
  const shown = useMemo(() => filterImageRows(rows, query), [rows, query]);
  const keys = useMemo(() => shown.map((r) => r.key), [shown]);

  const [rawSelection, setSelection] = useState<Selection>(emptySelection);
  const selection = useMemo(() => pruneSelection(rawSelection, keys), [rawSelection, keys]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);
  /** The name of the row the Inspect panel was opened from (an image may have several). */
  const [inspectLabel, setInspectLabel] = useState<string | null>(null);
  const [tagging, setTagging] = useState<ImageRow | null>(null);
  const [uploading, setUploading] = useState<'load' | 'import' | null>(null);
  const [saving, setSaving] = useState<string[] | null>(null);

  const [confirm, setConfirm] = useState<ImageRemovalPlan | null>(null);
  /** Containers using the images of the removal being confirmed (asked when the dialog opens). */
  const [users, setUsers] = useState<Record<string, { id: string; name: string }[]>>({});
  const [force, setForce] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [result, setResult] = useState<RemovalResultsView | null>(null);
  const [actionError, setActionError] = useState<{ error: unknown; doing: string } | null>(null);

  const selectedRows = useMemo(() => shown.filter((r) => selection.selected.has(r.key)), [shown, selection]);
  const now = Date.now();

  const onSelect = useCallback((key: string, modifiers: RowModifiers) => setSelection((s) => selectRow(pruneSelection(s, keys), keys, key, modifiers)), [keys]);
  const onToggle = useCallback((key: string) => setSelection((s) => toggleRow(pruneSelection(s, keys), key)), [keys]);
  const onToggleAll = useCallback(() => setSelection((s) => toggleAll(pruneSelection(s, keys), keys)), [keys]);
  const rowByKey = useMemo(() => new Map(shown.map((r) => [r.key, r])), [shown]);

  const remove = async (plan: ImageRemovalPlan, withForce: boolean) => {
    setRemoving(true);
    setActionError(null);
    try {
      const reports: ImageRemoveReport[] = [];
      for (const names of chunk(plan.targets)) reports.push(...(await engine.client.call('images.remove', { nameOrIds: names, force: withForce })));
      const summary = summarizeImageRemoval(reports);
      list?.forget(summary.deletedIds);
      setResult(summary);
      if (inspecting && summary.deletedIds.includes(inspecting)) setInspecting(null);
    } catch (error) {
      setActionError({ error, doing: 'removing images' });
    } finally {
      setRemoving(false);
      setConfirm(null);
    }
  };

  const startRemove = () => {
    if (selectedRows.length === 0 || removing) return;
    setResult(null);
    setForce(false);
    const plan = imageRemovalPlan(selectedRows);
    setUsers({});
    setConfirm(plan);
    const ids = [...new Set(plan.rows.map((r) => r.image.id))];
    engine.client.call('images.users', { ids }).then(setUsers, () => setUsers({}));
  };

  const columns = useMemo<VirtualColumn<ImageRow>[]>(
    () => [
      {
        key: 'select',
        header: 'Selected',
        width: '36px',
        className: 'vt-cell-check',
        headerCell: <AllCheckbox state={allState(selection, keys)} label="Select all images shown" onToggle={onToggleAll} disabled={keys.length === 0} />,
        cell: (r) => <RowCheckbox checked={selection.selected.has(r.key)} label={`Select ${rowLabel(r)}`} onToggle={() => onToggle(r.key)} />,
      },
      {
        key: 'repository',
        header: 'Repository',
        width: 'minmax(200px, 2.2fr)',
        cell: (r) =>
          r.name ? (
            <span className="cell-title mono ellipsis" title={r.repository}>
              {r.repository}
            </span>
          ) : (
            <span className="muted">&lt;none&gt;</span>
          ),
      },
      { key: 'tag', header: 'Tag', width: 'minmax(80px, 0.7fr)', cell: (r) => (r.name ? <span className="tag tag-muted tag-inline mono">{r.tag}</span> : <span className="muted">&lt;none&gt;</span>) },
      { key: 'id', header: 'Image ID', width: '116px', cell: (r) => <span className="mono muted" title={`${r.image.id}\n${r.image.digest}`}>{imageShortId(r.image.id)}</span> },
      { key: 'created', header: 'Created', width: '132px', cell: (r) => <span className="muted nowrap" title={formatEventDate(r.image.created)}>{createdLabel(r.image.created, now)}</span> },
      { key: 'size', header: 'Size', width: '88px', className: 'vt-cell-numeric', cell: (r) => <span className="nowrap">{sizeLabel(r.image.size)}</span> },
      { key: 'shared', header: 'Shared', width: '88px', className: 'vt-cell-numeric', cell: (r) => <span className="muted nowrap" title="Bytes of layers this image shares with other images">{sharedSizeLabel(r.image.sharedSize)}</span> },
      {
        key: 'actions',
        header: 'Actions',
        width: '104px',
        className: 'vt-cell-actions',
        headerCell: <span className="visually-hidden">Actions</span>,
        cell: (r) => (
          <span className="row-actions">
            <button
              type="button"
              className="button button-ghost button-small button-icon"
              tabIndex={-1}
              aria-label={`Push ${rowLabel(r)}`}
              title="Push to a registry"
              onClick={(event) => {
                event.stopPropagation();
                setActiveKey(r.key);
                openPush({ image: { id: r.image.id, label: rowLabel(r), name: r.name } });
              }}
            >
              <Icon name="upload" size={14} />
            </button>
            <button
              type="button"
              className="button button-ghost button-small button-icon"
              tabIndex={-1}
              aria-label={`Tag ${rowLabel(r)}`}
              title="Tag"
              onClick={(event) => {
                event.stopPropagation();
                setActiveKey(r.key);
                setTagging(r);
              }}
            >
              <Icon name="tag" size={14} />
            </button>
            <button
              type="button"
              className="button button-ghost button-small button-icon"
              tabIndex={-1}
              aria-label={`Inspect ${rowLabel(r)}`}
              title="Inspect"
              aria-pressed={inspecting === r.image.id}
              onClick={(event) => {
                event.stopPropagation();
                setActiveKey(r.key);
                setInspectLabel(rowLabel(r));
                setInspecting((current) => (current === r.image.id ? null : r.image.id));
              }}
            >
              <Icon name="inspect" size={14} />
            </button>
          </span>
        ),
      },
    ],
    [selection, keys, now, inspecting, onToggle, onToggleAll, openPush],
  );

  const shownColumns = useMemo(() => (inspecting ? columns.filter((c) => c.key !== 'created' && c.key !== 'shared') : columns), [columns, inspecting]);
  const filtered = text.trim() !== '';
  const inspected = inspecting ? (view.byId.get(inspecting) ?? null) : null;
  const imageCount = view.items.length;

  return (
    <div className="page-fill">
      <PageHeader
        title="Images"
        description="Images in the store, updated the moment a pull, tag or removal lands — from here or from the CLI."
        actions={
          <>
            <LiveIndicator />
            <button type="button" className="button" onClick={() => setUploading('load')}>
              <Icon name="upload" size={14} />
              Load
            </button>
            <button type="button" className="button" onClick={() => setUploading('import')}>
              <Icon name="upload" size={14} />
              Import
            </button>
            <button type="button" className="button button-primary" onClick={() => openPull()}>
              <Icon name="download" size={14} />
              Pull image
            </button>
          </>
        }
      />
      {view.error != null && <ErrorPanel error={view.error} doing="listing images" onRetry={() => list?.resync()} />}
      {actionError && <ErrorPanel error={actionError.error} doing={actionError.doing} />}
      {result && <RemovalResults result={result} onDismiss={() => setResult(null)} />}

      <div className="toolbar" role="search" aria-label="Filter images">
        <label className="field field-search">
          <Icon name="search" size={14} />
          <span className="visually-hidden">Search images by name, tag, ID, digest or label</span>
          <input type="search" placeholder="Search name, tag, ID, label…" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        {pulling > 0 && (
          <span className="muted small toolbar-note">
            <span className="spinner spinner-small" aria-hidden="true" /> {pulling === 1 ? '1 pull' : `${pulling} pulls`} running — see Tasks
          </span>
        )}
        <span className="toolbar-spacer" />
        <span className="muted small" aria-live="polite">
          {view.loaded ? `${countLabel(shown.length, rows.length, 'name')}${rows.length !== imageCount ? ` · ${countLabel(imageCount, imageCount, 'image')}` : ''}` : ''}
          {selectedRows.length > 0 && ` · ${formatCount(selectedRows.length)} selected`}
        </span>
        <button type="button" className="button button-small" disabled={selectedRows.length === 0} onClick={() => setSaving(selectedRows.map(rowLabel))}>
          <Icon name="download" size={13} />
          Save{selectedRows.length > 0 ? ` ${formatCount(selectedRows.length)}` : ''}
        </button>
        <RemoveSelectedButton count={selectedRows.length} removing={removing} onClick={startRemove} />
      </div>

      <div className="split">
        <div className="card card-table">
          {!view.loaded && view.error == null ? (
            <div className="loading loading-card" role="status">
              <span className="spinner" aria-hidden="true" />
              Reading images…
            </div>
          ) : view.loaded && view.items.length === 0 ? (
            <div className="empty">
              <Icon name="images" size={28} />
              <p className="empty-title">No images yet</p>
              <p className="empty-text">Pull one by name — busybox, or a full reference from your own registry. Byte progress shows per layer, and the pull keeps running if you close the dialog.</p>
              <button type="button" className="button button-primary" onClick={() => openPull()}>
                <Icon name="download" size={14} />
                Pull an image
              </button>
            </div>
          ) : (
            <>
              <VirtualTable
                label="Images"
                rows={shown}
                rowKey={imageRowKey}
                columns={shownColumns}
                scrollKey={query}
                selected={selection.selected}
                activeKey={activeKey}
                onActiveChange={setActiveKey}
                onSelect={onSelect}
                onToggle={onToggle}
                onOpen={(key) => {
                  const row = rowByKey.get(key);
                  if (!row) return;
                  setInspectLabel(rowLabel(row));
                  setInspecting(row.image.id);
                }}
                onSelectAll={() => setSelection(toggleAll(emptySelection, keys))}
                onDelete={startRemove}
                onKey={(key) => {
                  if (key !== 'Escape' || selection.selected.size === 0) return false;
                  setSelection(emptySelection);
                  return true;
                }}
              />
              {shown.length === 0 && filtered && (
                <div className="empty empty-overlay">
                  <p className="empty-title">No image matches</p>
                  <p className="empty-text">
                    Nothing among {countLabel(rows.length, rows.length, 'name')} matches “{text.trim()}”.
                  </p>
                  <button type="button" className="button" onClick={() => setText('')}>
                    Clear search
                  </button>
                </div>
              )}
            </>
          )}
        </div>
        {inspecting && <ImageInspector key={inspecting} id={inspecting} name={inspected ? inspectedName(inspected, inspectLabel) : null} onClose={() => setInspecting(null)} />}
      </div>

      {confirm && (
        <ConfirmDialog
          title={confirm.rows.length === 1 ? `Remove ${rowLabel(confirm.rows[0] as ImageRow)}?` : `Remove ${confirm.rows.length} images?`}
          confirmLabel={confirm.rows.length === 1 ? 'Remove image' : `Remove ${confirm.rows.length} images`}
          busy={removing}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void remove(confirm, force)}
        >
          <ImageRemovalQuestion plan={confirm} users={removalUsersLabel(confirm, users)} force={force} onForce={setForce} />
        </ConfirmDialog>
      )}
      {uploading && <UploadImageDialog mode={uploading} onClose={() => setUploading(null)} />}
      {saving && <SaveImagesDialog names={saving} onClose={() => setSaving(null)} />}
      {tagging && (
        <TagDialog
          imageLabel={rowLabel(tagging)}
          onTag={(names) => engine.client.call('images.tag', { nameOrId: tagging.image.id, names })}
          onClose={() => setTagging(null)}
        />
      )}
    </div>
  );
}

const imageRowKey = (r: ImageRow) => r.key;

/** The name the panel was opened by while the image still has it, else its first name or short ID. */
function inspectedName(image: ImageListItem, label: string | null): string {
  if (label !== null && (image.repoTags.includes(label) || label === imageShortId(image.id))) return label;
  return image.repoTags[0] ?? imageShortId(image.id);
}

/** How a row is named in labels and titles: its full name, or its short ID when dangling. */
function rowLabel(row: ImageRow): string {
  return row.name ?? imageShortId(row.image.id);
}

function ImageRemovalQuestion({ plan, users, force, onForce }: { plan: ImageRemovalPlan; users: string | null; force: boolean; onForce: (force: boolean) => void }) {
  const names = plan.rows.slice(0, 5).map(rowLabel).join(', ');
  return (
    <>
      <p>
        {plan.rows.length === 1 ? names : `${names}${plan.rows.length > 5 ? '…' : ''}`}:{' '}
        {plan.deletes > 0 && `${plan.deletes === 1 ? 'the image and its layers are' : `${plan.deletes} images and their layers are`} deleted (layers other images share stay)`}
        {plan.deletes > 0 && plan.untagsOnly > 0 && '; '}
        {plan.untagsOnly > 0 && `${plan.untagsOnly === 1 ? 'one image keeps its other names' : `${plan.untagsOnly} images keep their other names`}: only the selected names go`}.
      </p>
      {users ? (
        <p className="form-note" role="status">
          {users}: without Force those images stay; with Force the containers are removed first.
        </p>
      ) : (
        <p className="muted">An image a container uses is not removed: its line says so. Pull it again to get it back.</p>
      )}
      <label className="check-row">
        <input type="checkbox" checked={force} onChange={(e) => onForce(e.target.checked)} />
        Force: also remove the containers that use them
      </label>
    </>
  );
}

function ImageInspector({ id, name, onClose }: { id: string; name: string | null; onClose: () => void }) {
  const inspect = useCall('images.inspect', { nameOrId: id });
  const title = name ?? inspect.data?.repoTags[0] ?? imageShortId(id);
  return (
    <ImageInspectPanel
      id={id}
      title={title}
      data={inspect.data}
      error={inspect.error}
      loading={inspect.loading}
      gone={name === null && inspect.data ? `${title} was removed; this is its last known state.` : null}
      onClose={onClose}
      onRetry={() => void inspect.refetch()}
    />
  );
}
