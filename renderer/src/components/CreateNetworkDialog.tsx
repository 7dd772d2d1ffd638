import { useId, useRef, useState } from 'react';
import type { NetworkInspect } from '../../../shared/types/networks.ts';
import { emptyNetworkForm, networkCreateInput } from '../networks/network-presenters.ts';
import type { NetworkForm } from '../networks/network-presenters.ts';
import { useEngine } from '../query/use-engine.ts';
import { ErrorPanel } from './ErrorPanel.tsx';
import { FormDialog } from './FormDialog.tsx';

/**
 * "Create network": a bridge network with an optional name, subnet and gateway (free ones are chosen
 * when empty), internal (no route out) and DNS (containers find each other by name). Field errors
 * beside their field; the engine's (a taken name, an overlapping subnet) above the buttons.
 */
export function CreateNetworkDialog({ onCreated, onCancel }: { onCreated: (network: NetworkInspect) => void; onCancel: () => void }) {
  const { client } = useEngine();
  const first = useRef<HTMLInputElement>(null);
  const baseId = useId();
  const [form, setForm] = useState<NetworkForm>(emptyNetworkForm);
  const [errors, setErrors] = useState<Partial<Record<keyof NetworkForm, string>>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const set = <K extends keyof NetworkForm>(key: K, value: NetworkForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async () => {
    if (busy) return;
    const result = networkCreateInput(form);
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setFailure(null);
    try {
      onCreated(await client.call('networks.create', result.input));
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  const id = (key: keyof NetworkForm) => `${baseId}-${key}`;
  const described = (key: keyof NetworkForm, hint?: boolean) => (errors[key] ? `${id(key)}-error` : hint ? `${id(key)}-hint` : undefined);
  const error = (key: keyof NetworkForm) =>
    errors[key] ? (
      <span id={`${id(key)}-error`} className="form-error">
        {errors[key]}
      </span>
    ) : null;

  return (
    <FormDialog
      title="Create network"
      icon="networks"
      wide
      busy={busy}
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
            Create network
          </button>
        </>
      }
    >
      <div className="create-form">
        <p className="muted create-wide">A bridge network: containers on it reach each other, and the outside unless it is internal.</p>
        <label className="form-field create-wide" htmlFor={id('name')}>
          <span className="form-label">Name</span>
          <input ref={first} id={id('name')} className="input" placeholder="generated if empty" value={form.name} onChange={(e) => set('name', e.target.value)} aria-invalid={errors.name ? true : undefined} aria-describedby={described('name')} />
          {error('name')}
        </label>
        <label className="form-field" htmlFor={id('subnet')}>
          <span className="form-label">Subnet</span>
          <input id={id('subnet')} className="input mono" placeholder="10.89.40.0/24" value={form.subnet} onChange={(e) => set('subnet', e.target.value)} aria-invalid={errors.subnet ? true : undefined} aria-describedby={described('subnet', true)} />
          {error('subnet') ?? (
            <span id={`${id('subnet')}-hint`} className="form-hint">
              Empty: a free 10.89.N.0/24
            </span>
          )}
        </label>
        <label className="form-field" htmlFor={id('gateway')}>
          <span className="form-label">Gateway</span>
          <input id={id('gateway')} className="input mono" placeholder="its first address" value={form.gateway} onChange={(e) => set('gateway', e.target.value)} aria-invalid={errors.gateway ? true : undefined} aria-describedby={described('gateway')} />
          {error('gateway')}
        </label>
        <div className="create-wide create-checks">
          <label className="check-row">
            <input type="checkbox" checked={form.dns} onChange={(e) => set('dns', e.target.checked)} />
            DNS: containers on it find each other by name (aardvark-dns)
          </label>
          <label className="check-row">
            <input type="checkbox" checked={form.internal} onChange={(e) => set('internal', e.target.checked)} />
            Internal: no route out of the network
          </label>
        </div>
        {failure != null && (
          <div className="create-wide">
            <ErrorPanel error={failure} doing="creating the network" />
          </div>
        )}
      </div>
    </FormDialog>
  );
}
