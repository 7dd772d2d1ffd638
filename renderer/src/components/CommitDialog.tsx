import { useRef, useState } from 'react';
import { commitFormProblems, commitInput, emptyCommitForm } from '../containers/commit-form.ts';
import type { CommitForm } from '../containers/commit-form.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { FormDialog } from './FormDialog.tsx';
import { Icon } from './Icon.tsx';

/**
 * Commit a container to an image (libpod Commit): name, author, message, Dockerfile-style changes
 * (one a line) and whether to pause it meanwhile. Committing hands the work to the task tray and
 * closes the dialog: the progress shows there, and the new image appears in Images when stored.
 */
export function CommitDialog({
  nameOrId,
  containerName,
  onCommit,
  onClose,
}: {
  nameOrId: string;
  containerName: string;
  onCommit: (input: ReturnType<typeof commitInput>) => void;
  onClose: () => void;
}) {
  const first = useRef<HTMLInputElement>(null);
  const [form, setForm] = useState<CommitForm>(emptyCommitForm);
  const [error, setError] = useState<unknown>(null);
  const problems = commitFormProblems(form);

  const set = <K extends keyof CommitForm>(key: K, value: CommitForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const submit = () => {
    if (problems.length > 0) return;
    try {
      onCommit(commitInput(form, { nameOrId, containerName }));
      onClose();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <FormDialog
      title={`Commit ${containerName}`}
      icon="images"
      wide
      initialFocus={first}
      onClose={onClose}
      onSubmit={submit}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={problems.length > 0}>
            <Icon name="check" size={14} />
            Commit
          </button>
        </>
      }
    >
      <label className="form-field">
        <span className="form-label">Image name</span>
        <input ref={first} className="input mono" name="name" autoComplete="off" spellCheck={false} placeholder="myapp:snapshot (empty: no name)" value={form.name} onChange={(e) => set('name', e.target.value)} />
      </label>
      <label className="form-field">
        <span className="form-label">Author</span>
        <input className="input" name="author" autoComplete="off" placeholder="Jane Doe <jane@example.com>" value={form.author} onChange={(e) => set('author', e.target.value)} />
      </label>
      <label className="form-field">
        <span className="form-label">Message</span>
        <input className="input" name="message" autoComplete="off" placeholder="What changed" value={form.message} onChange={(e) => set('message', e.target.value)} />
      </label>
      <label className="form-field">
        <span className="form-label">Changes</span>
        <textarea className="input textarea mono" name="changes" rows={4} spellCheck={false} placeholder={'CMD=/bin/sh -c "echo hi"\nENV MODE=production\nEXPOSE 8080'} value={form.changes} onChange={(e) => set('changes', e.target.value)} />
      </label>
      <p className="form-hint">One instruction a line: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR.</p>
      <div className="form-options">
        <label className="check-row">
          <input type="checkbox" checked={form.pause} onChange={(e) => set('pause', e.target.checked)} />
          Pause the container while committing
        </label>
        <label className="form-field form-field-inline">
          <span className="form-label">Format</span>
          <select className="input" value={form.format} onChange={(e) => set('format', e.target.value === 'docker' ? 'docker' : 'oci')}>
            <option value="oci">OCI</option>
            <option value="docker">Docker</option>
          </select>
        </label>
      </div>
      {problems.length > 0 && (
        <ul className="form-problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {error != null && <ErrorPanel error={error} doing="starting the commit" />}
    </FormDialog>
  );
}
