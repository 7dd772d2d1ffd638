import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerDirListing, ContainerFileEntry } from '../../../shared/types/container-files.ts';
import { upload } from '../../../shared/transfer-client.ts';
import type { DownloadInfo } from '../../../shared/transfer-client.ts';
import { breadcrumbs, canDownload, entryOpen, entrySize, entryTime, joinPath, modeString, parentPath, sortEntries } from '../containers/files-model.ts';
import { downloadToBrowser, fileSource } from '../containers/transfer-ui.ts';
import { formatBytes } from '../presenters/format-bytes.ts';
import { useEngine } from '../query/use-engine.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { VirtualTable } from './VirtualTable.tsx';
import type { VirtualColumn } from './VirtualTable.tsx';

interface Transfer {
  readonly label: string;
  readonly bytes: number;
  readonly total: number | null;
  readonly cancel: () => void;
}

/**
 * A container's filesystem, one directory at a time (read-only browsing, running or stopped: the
 * engine mounts a stopped one for each read): open a directory or symlink to enter it, download a
 * file as itself or a directory as a tar, upload a file or an archive into the directory shown, or
 * export the whole root filesystem. Transfers stream in chunks and show their bytes; Cancel stops them.
 */
export function FilesPanel({ nameOrId, name }: { nameOrId: string; name: string }) {
  const { client } = useEngine();
  const [path, setPath] = useState('/');
  const [listing, setListing] = useState<ContainerDirListing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [transfer, setTransfer] = useState<Transfer | null>(null);
  const [transferError, setTransferError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const archiveInput = useRef<HTMLInputElement>(null);

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

  const download = useCallback(
    (request: Parameters<typeof downloadToBrowser>[1], label: string) => {
      setTransferError(null);
      setNotice(null);
      let size: number | null = null;
      const handle = downloadToBrowser(client, request, (bytes, info: DownloadInfo | null) => {
        size = info?.size ?? size;
        setTransfer({ label: `Downloading ${info?.name ?? label}`, bytes, total: size, cancel: handle.cancel });
      });
      setTransfer({ label: `Downloading ${label}`, bytes: 0, total: null, cancel: handle.cancel });
      handle.done.then(
        (result) => {
          setTransfer(null);
          setNotice(`Downloaded ${result.name} (${formatBytes(result.bytes)}).`);
        },
        (e: unknown) => {
          setTransfer(null);
          setTransferError(e);
        },
      );
    },
    [client],
  );

  const open = (entry: ContainerFileEntry) => {
    const action = entryOpen(entry);
    if (action === 'navigate') setPath(joinPath(shownPath, entry.name));
    else if (action === 'download') download({ path: 'containers.copyOut', input: { nameOrId, path: joinPath(shownPath, entry.name) } }, entry.name);
  };

  const startUpload = (file: File | undefined, kind: 'file' | 'tar') => {
    if (!file) return;
    setTransferError(null);
    setNotice(null);
    const controller = new AbortController();
    const label = kind === 'tar' ? `Extracting ${file.name} into ${shownPath}` : `Uploading ${file.name} to ${shownPath}`;
    setTransfer({ label, bytes: 0, total: file.size, cancel: () => controller.abort() });
    upload(client, { nameOrId, path: shownPath, kind, ...(kind === 'file' ? { name: file.name } : {}) }, fileSource(file), {
      signal: controller.signal,
      onProgress: (bytes) => setTransfer({ label, bytes, total: file.size, cancel: () => controller.abort() }),
    }).then(
      (report) => {
        setTransfer(null);
        setNotice(kind === 'tar' ? `Extracted ${report.entries} entries into ${shownPath}.` : `Uploaded ${file.name} (${formatBytes(report.bytes)}).`);
        setGeneration((g) => g + 1);
      },
      (e: unknown) => {
        setTransfer(null);
        setTransferError(e);
        setGeneration((g) => g + 1);
      },
    );
  };

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
              disabled={transfer !== null}
              onClick={(event) => {
                event.stopPropagation();
                download({ path: 'containers.copyOut', input: { nameOrId, path: joinPath(shownPath, e.name) } }, e.name);
              }}
            >
              <Icon name="download" size={13} />
            </button>
          ) : null,
      },
    ],
    [download, nameOrId, shownPath, transfer],
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
        <button type="button" className="button button-small" disabled={transfer !== null} onClick={() => fileInput.current?.click()}>
          Upload file…
        </button>
        <input
          ref={fileInput}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-label={`File to upload into ${shownPath}`}
          onChange={(event) => {
            startUpload(event.target.files?.[0], 'file');
            event.target.value = '';
          }}
        />
        <button type="button" className="button button-small" disabled={transfer !== null} onClick={() => archiveInput.current?.click()}>
          Upload tar…
        </button>
        <input
          ref={archiveInput}
          type="file"
          accept=".tar,application/x-tar"
          className="visually-hidden"
          tabIndex={-1}
          aria-label={`Tar archive to extract into ${shownPath}`}
          onChange={(event) => {
            startUpload(event.target.files?.[0], 'tar');
            event.target.value = '';
          }}
        />
        <button type="button" className="button button-small" disabled={transfer !== null} onClick={() => download({ path: 'containers.copyOut', input: { nameOrId, path: shownPath } }, `${shownPath} as tar`)}>
          <Icon name="download" size={13} />
          Folder as tar
        </button>
        <button type="button" className="button button-small" disabled={transfer !== null} onClick={() => download({ path: 'containers.export', input: { nameOrId } }, `the filesystem of ${name}`)}>
          <Icon name="download" size={13} />
          Export filesystem
        </button>
      </div>
      {transfer && (
        <div className="files-transfer" role="status">
          <span className="ellipsis">
            {transfer.label}: {formatBytes(transfer.bytes)}
            {transfer.total !== null ? ` of ${formatBytes(transfer.total)}` : ''}
          </span>
          <ProgressBar fraction={transfer.total ? transfer.bytes / transfer.total : null} label={transfer.label} valueText={formatBytes(transfer.bytes)} size="thin" />
          <button type="button" className="button button-small button-danger-ghost" onClick={transfer.cancel}>
            Cancel
          </button>
        </div>
      )}
      {notice && !transfer && (
        <p className="files-notice muted small" role="status">
          {notice}
        </p>
      )}
      {transferError != null && <ErrorPanel error={transferError} doing="transferring files" />}
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
