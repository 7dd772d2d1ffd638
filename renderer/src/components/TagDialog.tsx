import { useRef, useState } from 'react';
import { parseTagNames } from '../images/image-presenters.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { FormDialog } from './FormDialog.tsx';

/**
 * Adds names to an image (`images.tag`): one or more, separated by spaces. Short names become
 * `localhost/…` and `:latest` is added, as podman does; the engine answers with the full names.
 */
export function TagDialog({ imageLabel, onTag, onClose }: { imageLabel: string; onTag: (names: string[]) => Promise<string[]>; onClose: () => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);


  const names = parseTagNames(text);
  const submit = async () => {
    if (names.length === 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onTag(names);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title={`Tag ${imageLabel}`}
      icon="tag"
      busy={busy}
      initialFocus={inputRef}
      onClose={onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy || names.length === 0}>
            {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="tag" size={14} />}
            Add {names.length > 1 ? `${names.length} names` : 'name'}
          </button>
        </>
      }
    >
      <label className="form-field">
        <span className="form-label">New name</span>
        <input ref={inputRef} className="input mono" name="names" autoComplete="off" spellCheck={false} placeholder="registry.example.com/team/app:1.0" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <p className="form-hint">Several names: separate them with spaces. A name without a registry becomes localhost/NAME; without a tag, :latest.</p>
      {error != null && <ErrorPanel error={error} doing="tagging the image" />}
    </FormDialog>
  );
}
