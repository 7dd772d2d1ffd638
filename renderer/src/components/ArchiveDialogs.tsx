import { useRef, useState } from 'react';
import { formatBytes } from '../presenters/format-bytes.ts';
import { useEngine } from '../query/use-engine.ts';
import { downloadTransfer, transfersAvailable } from '../transfers/transfers.ts';
import { useTasksUi } from '../tasks/use-tasks.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { FormDialog } from './FormDialog.tsx';

function Unavailable() {
  return <p className="form-hint form-hint-danger">Files move through the web host: open Podbay in a browser from `podbay serve` (the desktop window gets native file dialogs later).</p>;
}

/**
 * Load an archive (docker-archive or oci-archive) or import a rootfs tarball (plain or gzip) from a
 * file the user picks. The upload runs as a task: byte progress in the task tray, cancellable there,
 * and the dialog closes at once; the engine then loads or imports the file.
 */
export function UploadImageDialog({ mode, onClose }: { mode: 'load' | 'import'; onClose: () => void }) {
  const { tasks } = useTasksUi();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [reference, setReference] = useState('');
  const [changes, setChanges] = useState('');
  const [message, setMessage] = useState('');

  const start = () => {
    if (!file || !transfersAvailable()) return;
    tasks.startUpload(
      {
        fileName: file.name,
        bytes: file.size,
        mode,
        ...(reference.trim() ? { reference: reference.trim() } : {}),
        changes: changes.split('\n').map((c) => c.trim()).filter(Boolean),
        ...(message.trim() ? { message: message.trim() } : {}),
      },
      file,
    );
    onClose();
  };

  return (
    <FormDialog
      title={mode === 'load' ? 'Load images from an archive' : 'Import a rootfs tarball'}
      icon="upload"
      wide
      initialFocus={fileRef}
      onClose={onClose}
      onSubmit={start}
      actions={
        <>
          <span className="muted small">The upload shows its progress in Tasks.</span>
          <span className="toolbar-spacer" />
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="button button-primary" disabled={!file || !transfersAvailable()}>
            <Icon name="upload" size={14} />
            {mode === 'load' ? 'Load' : 'Import'}
          </button>
        </>
      }
    >
      {!transfersAvailable() && <Unavailable />}
      <label className="form-field">
        <span className="form-label">{mode === 'load' ? 'Archive (docker-archive or oci-archive .tar)' : 'Tarball (.tar or .tar.gz)'}</span>
        <input ref={fileRef} type="file" name="file" accept={mode === 'load' ? '.tar' : '.tar,.gz,.tgz'} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      {mode === 'import' && (
        <>
          <label className="form-field">
            <span className="form-label">Image name (optional)</span>
            <input className="input mono" name="reference" autoComplete="off" spellCheck={false} placeholder="myimage:1.0" value={reference} onChange={(e) => setReference(e.target.value)} />
          </label>
          <label className="form-field">
            <span className="form-label">Changes, one per line (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR…)</span>
            <textarea className="input textarea mono" name="changes" rows={3} spellCheck={false} placeholder={'CMD ["/bin/sh"]\nENV LANG=C.UTF-8'} value={changes} onChange={(e) => setChanges(e.target.value)} />
          </label>
          <label className="form-field">
            <span className="form-label">Message (optional)</span>
            <input className="input" name="message" value={message} onChange={(e) => setMessage(e.target.value)} />
          </label>
        </>
      )}
    </FormDialog>
  );
}

/** Save the selected images into one archive and download it. */
export function SaveImagesDialog({ names, onClose }: { names: readonly string[]; onClose: () => void }) {
  const { client } = useEngine();
  const selectRef = useRef<HTMLSelectElement>(null);
  const [format, setFormat] = useState<'oci-archive' | 'docker-archive'>('oci-archive');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<{ filename: string; bytes: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await client.call('images.save', { nameOrIds: [...names], format });
      downloadTransfer(result.transferId, result.filename);
      setSaved(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title={`Save ${names.length === 1 ? names[0] : `${names.length} images`}`}
      icon="download"
      busy={busy}
      initialFocus={selectRef}
      onClose={onClose}
      onSubmit={() => void save()}
      actions={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Close
          </button>
          <button type="submit" className="button button-primary" disabled={busy || !transfersAvailable()}>
            {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="download" size={14} />}
            Save and download
          </button>
        </>
      }
    >
      {!transfersAvailable() && <Unavailable />}
      <label className="form-field">
        <span className="form-label">Format</span>
        <select ref={selectRef} className="input" name="format" value={format} onChange={(e) => setFormat(e.target.value as 'oci-archive' | 'docker-archive')}>
          <option value="oci-archive">oci-archive (OCI layout in a tar)</option>
          <option value="docker-archive">docker-archive (docker save / podman load)</option>
        </select>
      </label>
      <p className="form-hint">One archive with every selected image, the layers exactly as stored; your browser downloads it.</p>
      {saved && (
        <p className="pull-result" role="status">
          <Icon name="check" size={14} /> Saved {saved.filename} ({formatBytes(saved.bytes)}) — see your browser’s downloads.
        </p>
      )}
      {error != null && <ErrorPanel error={error} doing="saving the images" />}
    </FormDialog>
  );
}
