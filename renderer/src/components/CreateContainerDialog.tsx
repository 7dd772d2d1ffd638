import { useId, useRef, useState } from 'react';
import type { ContainerCreateReport } from '../../../shared/types/containers.ts';
import { createInput, emptyCreateForm } from '../containers/container-actions.ts';
import type { CreateForm } from '../containers/container-actions.ts';
import { useCall } from '../query/use-call.ts';
import { emptyStorageForm, storageInput } from '../containers/storage-form.ts';
import type { StorageErrors, StorageForm } from '../containers/storage-form.ts';
import { useEngine } from '../query/use-engine.ts';
import { useRootless } from '../query/use-rootless.ts';
import { ActionIcon } from './ActionIcon.tsx';
import { ErrorPanel } from './ErrorPanel.tsx';
import { FormDialog } from './FormDialog.tsx';
import { NetworkPortFields } from './NetworkPortFields.tsx';
import { StorageFields } from './StorageFields.tsx';

/**
 * "Create container" from a root filesystem directory (image-based runs come from the Images page):
 * command, name, environment, working directory, a terminal (with stdin, as `-it`), and whether to
 * start it at once. Field errors show beside their field; engine errors above the buttons.
 */
export function CreateContainerDialog({ onCreated, onCancel }: { onCreated: (report: ContainerCreateReport, started: boolean) => void; onCancel: () => void }) {
  const { client } = useEngine();
  const first = useRef<HTMLInputElement>(null);
  const fieldId = useId();
  const [form, setForm] = useState<CreateForm>(emptyCreateForm);
  const [errors, setErrors] = useState<Partial<Record<keyof CreateForm, string>>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const networks = useCall('networks.list', {});
  const rootless = useRootless();
  const [storage, setStorage] = useState<StorageForm>(emptyStorageForm);
  const [storageErrors, setStorageErrors] = useState<StorageErrors>({});

  const set = <K extends keyof CreateForm>(key: K, value: CreateForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async () => {
    const result = createInput(form);
    const stored = storageInput(storage);
    setStorageErrors('errors' in stored ? stored.errors : {});
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    if ('errors' in stored) return;
    setBusy(true);
    setFailure(null);
    try {
      const report = await client.call('containers.create', { ...result.input, ...stored.input });
      onCreated(report, form.start);
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  const field = (key: keyof CreateForm, label: string, hint?: string) => ({
    id: `${fieldId}-${key}`,
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `${fieldId}-${key}-error` : hint ? `${fieldId}-${key}-hint` : undefined,
    label,
  });
  const fieldError = (key: keyof CreateForm) =>
    errors[key] ? (
      <span id={`${fieldId}-${key}-error`} className="form-error">
        {errors[key]}
      </span>
    ) : null;

  const rootfs = field('rootfs', 'Root filesystem');
  const command = field('command', 'Command');
  const name = field('name', 'Name');
  const env = field('env', 'Environment');
  const workdir = field('workdir', 'Working directory');

  return (
    <FormDialog
      title="Create container"
      subtitle="From a root filesystem directory on this machine"
      icon={<ActionIcon name="plus" size={18} />}
      wide
      bodyClassName="create-form"
      busy={busy}
      noValidate
      initialFocus={first}
      onClose={onCancel}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy && <span className="spinner spinner-small" aria-hidden="true" />}
            {form.start ? 'Create and start' : 'Create'}
          </button>
        </>
      }
    >
      <label className="form-field create-wide" htmlFor={rootfs.id}>
        <span className="form-label">{rootfs.label}</span>
        <input ref={first} id={rootfs.id} className="input mono" placeholder="/srv/rootfs/debian" value={form.rootfs} onChange={(e) => set('rootfs', e.target.value)} aria-invalid={rootfs['aria-invalid']} aria-describedby={rootfs['aria-describedby']} />
        {fieldError('rootfs')}
      </label>
      <label className="form-field create-wide" htmlFor={command.id}>
        <span className="form-label">{command.label}</span>
        <input id={command.id} className="input mono" value={form.command} onChange={(e) => set('command', e.target.value)} aria-invalid={command['aria-invalid']} aria-describedby={command['aria-describedby'] ?? `${fieldId}-command-hint`} />
        {fieldError('command') ?? (
          <span id={`${fieldId}-command-hint`} className="form-hint">
            Words split as a shell would: <code>sh -c 'echo hi'</code>
          </span>
        )}
      </label>
      <label className="form-field" htmlFor={name.id}>
        <span className="form-label">{name.label}</span>
        <input id={name.id} className="input" placeholder="generated if empty" value={form.name} onChange={(e) => set('name', e.target.value)} aria-invalid={name['aria-invalid']} aria-describedby={name['aria-describedby']} />
        {fieldError('name')}
      </label>
      <label className="form-field" htmlFor={workdir.id}>
        <span className="form-label">{workdir.label}</span>
        <input id={workdir.id} className="input mono" placeholder="/" value={form.workdir} onChange={(e) => set('workdir', e.target.value)} aria-invalid={workdir['aria-invalid']} aria-describedby={workdir['aria-describedby']} />
        {fieldError('workdir')}
      </label>
      <label className="form-field create-wide" htmlFor={env.id}>
        <span className="form-label">{env.label}</span>
        <textarea id={env.id} className="input textarea mono" rows={3} placeholder={'NAME=value, one per line'} value={form.env} onChange={(e) => set('env', e.target.value)} aria-invalid={env['aria-invalid']} aria-describedby={env['aria-describedby']} />
        {fieldError('env')}
      </label>
      <NetworkPortFields idPrefix={fieldId} networks={networks.data} rootless={rootless} network={form.network} ports={form.ports} portsError={errors.ports} onNetwork={(v) => set('network', v)} onPorts={(v) => set('ports', v)} />
      <StorageFields form={storage} errors={storageErrors} onChange={setStorage} />
      <div className="create-wide create-checks">
        <label className="check-row">
          <input type="checkbox" checked={form.tty} onChange={(e) => set('tty', e.target.checked)} />
          Interactive terminal (-it): type into it from the Console
        </label>
        <label className="check-row">
          <input type="checkbox" checked={form.start} onChange={(e) => set('start', e.target.checked)} />
          Start it now
        </label>
        {rootless && (
          <label className="check-row">
            <input type="checkbox" checked={form.keepId} onChange={(e) => set('keepId', e.target.checked)} />
            Keep my user ID (--userns=keep-id): run as you, so files it writes into bind mounts are yours
          </label>
        )}
      </div>
      {failure != null && (
        <div className="create-wide">
          <ErrorPanel error={failure} doing="creating the container" />
        </div>
      )}
    </FormDialog>
  );
}
