import { useRef, useState } from 'react';
import { changeLines } from '../containers/commit-form.ts';
import { isFinished } from '../images/pull-progress.ts';
import { findTask } from '../tasks/task-list-model.ts';
import { downloadHeadline } from '../tasks/transfer-presenters.ts';
import { useTaskState, useTasksUi } from '../tasks/use-tasks.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { FormDialog } from './FormDialog.tsx';
import { ProgressBar } from './ProgressBar.tsx';

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
    if (!file) return;
    tasks.startUpload(
      mode === 'load'
        ? { fileName: file.name, bytes: file.size, mode }
        : {
            fileName: file.name,
            bytes: file.size,
            mode,
            ...(reference.trim() ? { reference: reference.trim() } : {}),
            changes: changeLines(changes),
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
          <button type="submit" className="button button-primary" disabled={!file}>
            <Icon name="upload" size={14} />
            {mode === 'load' ? 'Load' : 'Import'}
          </button>
        </>
      }
    >
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

/**
 * Save the selected images into one archive and download it: a download task (progress here and in
 * the tray, where it goes on when the dialog closes), ending in the browser's downloads.
 */
export function SaveImagesDialog({ names, onClose }: { names: readonly string[]; onClose: () => void }) {
  const { tasks } = useTasksUi();
  const state = useTaskState();
  const selectRef = useRef<HTMLSelectElement>(null);
  const [format, setFormat] = useState<'oci-archive' | 'docker-archive'>('oci-archive');
  const [taskId, setTaskId] = useState<string | null>(null);
  const task = findTask(state, taskId);
  const download = task?.kind === 'download' ? task : null;
  const busy = download !== null && !isFinished(download.progress);
  const headline = download ? downloadHeadline(download) : null;

  return (
    <FormDialog
      title={`Save ${names.length === 1 ? names[0] : `${names.length} images`}`}
      icon="download"
      initialFocus={selectRef}
      onClose={onClose}
      onSubmit={() => setTaskId(tasks.startDownload({ mode: 'save', nameOrIds: [...names], format }))}
      actions={
        <>
          {busy && <span className="muted small">Closing leaves it running in Tasks.</span>}
          <span className="toolbar-spacer" />
          {busy && download && (
            <button type="button" className="button button-danger-ghost" onClick={() => tasks.cancel(download.id)}>
              Cancel
            </button>
          )}
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="download" size={14} />}
            Save and download
          </button>
        </>
      }
    >
      <label className="form-field">
        <span className="form-label">Format</span>
        <select ref={selectRef} className="input" name="format" value={format} disabled={busy} onChange={(e) => setFormat(e.target.value as 'oci-archive' | 'docker-archive')}>
          <option value="oci-archive">oci-archive (OCI layout in a tar)</option>
          <option value="docker-archive">docker-archive (docker save / podman load)</option>
        </select>
      </label>
      <p className="form-hint">One archive with every selected image, the layers exactly as stored; your browser downloads it.</p>
      {download && headline && busy && (
        <div className="pull-result" role="status">
          <span>
            {headline.title}: {headline.detail}
          </span>
          <ProgressBar fraction={headline.fraction} label={`Progress of ${headline.title}`} valueText={headline.detail} size="thin" />
        </div>
      )}
      {download?.progress.phase === 'done' && headline && (
        <p className="pull-result" role="status">
          <Icon name="check" size={14} /> {headline.title} ({headline.detail}) — see your browser’s downloads.
        </p>
      )}
      {download?.progress.phase === 'failed' && <ErrorPanel error={download.progress.error} doing="saving the images" />}
    </FormDialog>
  );
}
