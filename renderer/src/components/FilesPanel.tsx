import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerDirListing, ContainerFileEntry } from '../../../shared/types/container-files.ts';
import { breadcrumbs, canDownload, entryOpen, entrySize, entryTime, joinPath, modeString, parentPath, sortEntries } from '../containers/files-model.ts';
import { isFinished } from '../images/pull-progress.ts';
import { useEngine } from '../query/use-engine.ts';
import { findTask } from '../tasks/task-list-model.ts';
import type { DownloadTaskInput } from '../tasks/task-list-model.ts';
import { taskHeadline, taskWhat } from '../tasks/transfer-presenters.ts';
import { useTaskState, useTasksUi } from '../tasks/use-tasks.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { VirtualTable } from './VirtualTable.tsx';
import type { VirtualColumn } from './VirtualTable.tsx';

/**
 * A container's filesystem, one directory at a time (read-only browsing, running or stopped: the
 * engine mounts a stopped one for each read): open a directory or symlink to enter it, download a
 * file as itself or a directory as a tar, upload a file or an archive into the directory shown, or
 * export the whole root filesystem. Each transfer is a task (the tray shows it too, and it goes on
 * when the panel closes); the latest one shows its bytes here, with Cancel.
 */
export function FilesPanel({ nameOrId, name }: { nameOrId: string; name: string }) {
  const { client } = useEngine();
  const { tasks } = useTasksUi();
  const taskState = useTaskState();
  const [path, setPath] = useState('/');
  const [listing, setListing] = useState<ContainerDirListing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [transferId, setTransferId] = useState<string | null>(null);
  const transfer = findTask(taskState, transferId);
  const transferPhase = transfer?.progress.phase;

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    client.call('containers.files', { nameOrId, path }).then(
      (result) => {
        if (!live) return;
        setListing(result);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [client, nameOrId, path, generation]);

  const entries = useMemo(() => sortEntries(listing?.entries ?? []), [listing]);
  const shownPath = listing?.path ?? path;

  // What an upload wrote shows in the listing once it is done (or failed half-way).
  useEffect(() => {
    if (transfer?.kind === 'upload' && (transferPhase === 'done' || transferPhase === 'failed')) setGeneration((g) => g + 1);
  }, [transfer?.kind, transferPhase]);

  const download = useCallback((input: DownloadTaskInput) => setTransferId(tasks.startDownload(input)), [tasks]);

  const open = (entry: ContainerFileEntry) => {
    const action = entryOpen(entry);
    if (action === 'navigate') setPath(joinPath(shownPath, entry.name));
    else if (action === 'download') download({ mode: 'copyOut', nameOrId, containerName: name, path: joinPath(shownPath, entry.name) });
  };

  const startUpload = (file: File | undefined, as: 'file' | 'tar') => {
    if (!file) return;
    setTransferId(tasks.startUpload({ fileName: file.name, bytes: file.size, mode: 'copy', nameOrId, containerName: name, path: shownPath, as }, file));
  };

  const headline = transfer ? taskHeadline(transfer) : null;
  const transferRunning = transfer !== null && !isFinished(transfer.progress);

  const columns = useMemo<VirtualColumn<ContainerFileEntry>[]>(
    () => [
      {
        key: 'name',
        header: 'Name',
        width: 'minmax(140px, 3fr)',
        cell: (e) => (
          <span className="files-name">
            <span className={`files-kind files-kind-${e.type}`} aria-hidden="true">
              {e.type === 'dir' ? '▸' : e.type === 'symlink' ? '↪' : ''}
            </span>
            <span className="ellipsis" title={e.name}>
              {e.name}
            </span>
            {e.linkTarget !== undefined && <span className="muted small ellipsis"> → {e.linkTarget}</span>}
          </span>
        ),
      },
      { key: 'size', header: 'Size', width: '76px', className: 'num', cell: (e) => entrySize(e) },
      { key: 'mode', header: 'Mode', width: '96px', className: 'mono', cell: (e) => modeString(e.type, e.mode) },
      { key: 'owner', header: 'Owner', width: '70px', className: 'mono', cell: (e) => `${e.uid}:${e.gid}` },
      { key: 'mtime', header: 'Modified', width: '132px', cell: (e) => entryTime(e.mtime) },
      {
        key: 'actions',
        header: 'Actions',
        width: '44px',
        cell: (e) =>
          canDownload(e) ? (
            <button
              type="button"
              className="button button-small button-ghost"
              aria-label={`Download ${e.name}${e.type === 'file' ? '' : ' as tar'}`}
              title={e.type === 'file' ? 'Download' : 'Download as tar'}
              onClick={(event) => {
                event.stopPropagation();
                download({ mode: 'copyOut', nameOrId, containerName: name, path: joinPath(shownPath, e.name) });
              }}
            >
              <Icon name="download" size={13} />
            </button>
          ) : null,
      },
    ],
    [download, name, nameOrId, shownPath],
  );

  const byKey = useMemo(() => new Map(entries.map((e) => [e.name, e])), [entries]);

  return (
    <div className="files">
      <div className="files-toolbar">
        <nav className="files-crumbs" aria-label={`Path in ${name}`}>
          {breadcrumbs(shownPath).map((crumb, i, all) => (
            <span key={crumb.path} className="files-crumb">
              {i > 0 && i < all.length && <span className="muted" aria-hidden="true">{i === 1 ? '' : '/'}</span>}
              <button type="button" className="button button-ghost button-small mono" aria-current={i === all.length - 1 ? 'location' : undefined} onClick={() => setPath(crumb.path)}>
                {crumb.label}
              </button>
            </span>
          ))}
        </nav>
        <span className="toolbar-spacer" />
        <button type="button" className="button button-small" disabled={shownPath === '/'} onClick={() => setPath(parentPath(shownPath))}>
          Up
        </button>
        <button type="button" className="button button-small" onClick={() => setGeneration((g) => g + 1)} aria-label="Refresh the listing">
          <Icon name="refresh" size={13} />
        </button>
        <PickFileButton label="Upload file…" inputLabel={`File to upload into ${shownPath}`} onPick={(file) => startUpload(file, 'file')} />
        <PickFileButton label="Upload tar…" inputLabel={`Tar archive to extract into ${shownPath}`} accept=".tar,application/x-tar" onPick={(file) => startUpload(file, 'tar')} />
        <button type="button" className="button button-small" onClick={() => download({ mode: 'copyOut', nameOrId, containerName: name, path: shownPath })}>
          <Icon name="download" size={13} />
          Folder as tar
        </button>
        <button type="button" className="button button-small" onClick={() => download({ mode: 'export', nameOrId, containerName: name })}>
          <Icon name="download" size={13} />
          Export filesystem
        </button>
      </div>
      {transfer && headline && transferRunning && (
        <div className="files-transfer" role="status">
          <span className="ellipsis">
            {headline.title}: {headline.detail}
          </span>
          <ProgressBar fraction={headline.fraction} label={`Progress of ${taskWhat(transfer)}`} valueText={headline.detail} size="thin" />
          <button type="button" className="button button-small button-danger-ghost" onClick={() => tasks.cancel(transfer.id)} aria-label={`Cancel ${taskWhat(transfer)}`}>
            Cancel
          </button>
        </div>
      )}
      {transfer && headline && !transferRunning && transferPhase !== 'failed' && (
        <p className="files-notice muted small" role="status">
          {headline.title} ({headline.detail}).
        </p>
      )}
      {transfer && transferPhase === 'failed' && <ErrorPanel error={transfer.progress.error} doing="transferring files" />}
      {error != null && <ErrorPanel error={error} doing={`listing ${path}`} onRetry={() => setGeneration((g) => g + 1)} />}
      {loading && !listing ? (
        <div className="loading inspect-loading" role="status">
          <span className="spinner" aria-hidden="true" />
          Reading {path}…
        </div>
      ) : (
        <div className="files-table">
          <VirtualTable
            label={`Files in ${shownPath}`}
            rows={entries}
            rowKey={(e) => e.name}
            columns={columns}
            scrollKey={shownPath}
            activeKey={activeKey}
            onActiveChange={setActiveKey}
            onSelect={(key) => setActiveKey(key)}
            onOpen={(key) => {
              const entry = byKey.get(key);
              if (entry) open(entry);
            }}
            onKey={(key) => {
              if (key !== 'Backspace' || shownPath === '/') return false;
              setPath(parentPath(shownPath));
              return true;
            }}
          />
          {entries.length === 0 && listing && <p className="muted files-empty">This directory is empty.</p>}
          {listing?.truncated && <p className="muted small">Only the first {entries.length} entries are listed.</p>}
        </div>
      )}
    </div>
  );
}

/** A button that opens the file picker of a hidden input (labelled for tests and screen readers). */
function PickFileButton({ label, inputLabel, accept, onPick }: { label: string; inputLabel: string; accept?: string; onPick: (file: File | undefined) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button button-small" onClick={() => input.current?.click()}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        accept={accept}
        className="visually-hidden"
        tabIndex={-1}
        aria-label={inputLabel}
        onChange={(event) => {
          onPick(event.target.files?.[0]);
          event.target.value = '';
        }}
      />
    </>
  );
}
