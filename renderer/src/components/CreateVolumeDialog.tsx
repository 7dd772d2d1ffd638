import { useEffect, useId, useRef, useState } from 'react';
import type { VolumeInspect } from '../../../shared/types/volumes.ts';
import { useEngine } from '../query/use-engine.ts';
import { parseKeyValueLines, volumeNameError } from '../volumes/volume-list-model.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { ActionIcon } from './ActionIcon.tsx';
import { Icon } from './Icon.tsx';

/**
 * "Create volume" (`volumes.create`): a name (drawn when empty), labels and driver options as
 * KEY=VALUE lines. Field errors show beside their field; engine errors (a taken name, an unknown
 * option) above the buttons.
 */
export function CreateVolumeDialog({ onCreated, onCancel }: { onCreated: (volume: VolumeInspect) => void; onCancel: () => void }) {
  const { client } = useEngine();
  const ref = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const id = useId();
  const [name, setName] = useState('');
  const [labels, setLabels] = useState('');
  const [options, setOptions] = useState('');
  const [errors, setErrors] = useState<{ name?: string; labels?: string; options?: string }>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    first.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      before?.focus();
    };
  }, []);

  const submit = async () => {
    const nameError = volumeNameError(name);
    const parsedLabels = parseKeyValueLines(labels);
    const parsedOptions = parseKeyValueLines(options);
    const next = {
      ...(nameError ? { name: nameError } : {}),
      ...('error' in parsedLabels ? { labels: parsedLabels.error } : {}),
      ...('error' in parsedOptions ? { options: parsedOptions.error } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0 || 'error' in parsedLabels || 'error' in parsedOptions) return;
    setBusy(true);
    setFailure(null);
    try {
      const created = await client.call('volumes.create', {
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(Object.keys(parsedLabels.values).length ? { labels: parsedLabels.values } : {}),
        ...(Object.keys(parsedOptions.values).length ? { options: parsedOptions.values } : {}),
      });
      onCreated(created);
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  const describedBy = (key: 'name' | 'labels' | 'options') => (errors[key] ? `${id}-${key}-error` : `${id}-${key}-hint`);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <form
        method="dialog"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy) void submit();
        }}
      >
        <div className="dialog-head">
          <span className="dialog-icon dialog-icon-accent" aria-hidden="true">
            <Icon name="volumes" size={18} />
          </span>
          <div className="dialog-heading">
            <h2 id={`${id}-title`} className="dialog-title">
              Create volume
            </h2>
            <p className="dialog-subtitle">A named volume of the local driver, kept until you remove it</p>
          </div>
        </div>
        <div className="dialog-body dialog-body-form">
          <label className="form-field" htmlFor={`${id}-name`}>
            <span className="form-label">Name</span>
            <input ref={first} id={`${id}-name`} className="input mono" autoComplete="off" spellCheck={false} placeholder="generated if empty" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={errors.name ? true : undefined} aria-describedby={describedBy('name')} />
            {errors.name ? (
              <span id={`${id}-name-error`} className="form-error">
                {errors.name}
              </span>
            ) : (
              <span id={`${id}-name-hint`} className="form-hint">
                Containers name it in their volume mounts: <code>data:/var/lib/data</code>
              </span>
            )}
          </label>
          <label className="form-field" htmlFor={`${id}-labels`}>
            <span className="form-label">Labels</span>
            <textarea id={`${id}-labels`} className="input textarea mono" rows={2} placeholder="app=db" value={labels} onChange={(e) => setLabels(e.target.value)} aria-invalid={errors.labels ? true : undefined} aria-describedby={describedBy('labels')} />
            {errors.labels ? (
              <span id={`${id}-labels-error`} className="form-error">
                {errors.labels}
              </span>
            ) : (
              <span id={`${id}-labels-hint`} className="form-hint">
                KEY=VALUE, one per line
              </span>
            )}
          </label>
          <label className="form-field" htmlFor={`${id}-options`}>
            <span className="form-label">Driver options</span>
            <textarea id={`${id}-options`} className="input textarea mono" rows={2} placeholder={'type=tmpfs\ndevice=tmpfs\no=size=64m'} value={options} onChange={(e) => setOptions(e.target.value)} aria-invalid={errors.options ? true : undefined} aria-describedby={describedBy('options')} />
            {errors.options ? (
              <span id={`${id}-options-error`} className="form-error">
                {errors.options}
              </span>
            ) : (
              <span id={`${id}-options-hint`} className="form-hint">
                type, device and o mount it while containers use it; uid and gid own it; nocopy skips the image content
              </span>
            )}
          </label>
          {failure != null && <ErrorPanel error={failure} doing="creating the volume" />}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : <ActionIcon name="plus" size={14} />}
            Create volume
          </button>
        </div>
      </form>
    </dialog>
  );
}
