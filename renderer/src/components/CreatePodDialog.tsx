import { useId, useRef, useState } from 'react';
import { createPodPlan, emptyPodForm, newMember, podShareChoices, podShareLabels, runCreatePod } from '../pods/create-pod-form.ts';
import type { CreatePodErrors, CreatePodForm, CreatePodOutcome, CreatePodStep, PodMemberForm } from '../pods/create-pod-form.ts';
import { useCall } from '../query/use-call.ts';
import { useEngine } from '../query/use-engine.ts';
import { useRootless } from '../query/use-rootless.ts';
import { ActionIcon } from './ActionIcon.tsx';
import { ErrorPanel } from './ErrorPanel.tsx';
import { FormDialog } from './FormDialog.tsx';
import { Icon } from './Icon.tsx';
import { NetworkPortFields } from './NetworkPortFields.tsx';

const stepText: Record<CreatePodStep['state'], string> = { pending: 'Waiting', running: 'Working…', done: 'Done', failed: 'Failed', skipped: 'Skipped' };

/**
 * "Create pod": the pod (name, published ports, shared namespaces, network, labels) and the
 * containers to put in it from local images (name, command, environment each), made in one go —
 * the pod, each container, then the pod's start — with each step's outcome shown. A container that
 * cannot be made removes the pod again. Success closes the dialog (`onDone`); a failure stays open.
 */
export function CreatePodDialog({ onDone, onCancel }: { onDone: (outcome: CreatePodOutcome) => void; onCancel: () => void }) {
  const { client } = useEngine();
  const first = useRef<HTMLInputElement>(null);
  const id = useId();
  const images = useCall('images.list', {});
  const networks = useCall('networks.list', {});
  const rootless = useRootless();
  const [form, setForm] = useState<CreatePodForm>(emptyPodForm);
  const [errors, setErrors] = useState<CreatePodErrors>({});
  const [busy, setBusy] = useState(false);
  const [steps, setSteps] = useState<CreatePodStep[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  // A pod made whose start failed stays (as podman's): nothing to try again, only to close.
  const [kept, setKept] = useState(false);
  const nextKey = useRef(1);

  const imageNames = (images.data ?? []).flatMap((i) => (i.repoTags.length ? i.repoTags : [i.id.slice(0, 12)]));
  const set = <K extends keyof CreatePodForm>(key: K, value: CreatePodForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setMember = (key: number, change: Partial<PodMemberForm>) => setForm((f) => ({ ...f, members: f.members.map((m) => (m.key === key ? { ...m, ...change } : m)) }));
  const addMember = () => setForm((f) => ({ ...f, members: [...f.members, newMember(nextKey.current++, imageNames[0] ?? '')] }));
  const removeMember = (key: number) => setForm((f) => ({ ...f, members: f.members.filter((m) => m.key !== key) }));

  const submit = async () => {
    const result = createPodPlan(form);
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setFailure(null);
    try {
      const outcome = await runCreatePod(client, result.plan, setSteps);
      if (outcome.ok) onDone(outcome);
      else setKept(outcome.podId !== null);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const failed = steps?.some((s) => s.state === 'failed') ?? false;
  const memberErrors = errors.members ?? {};
  return (
    <FormDialog
      title="Create pod"
      subtitle="Containers that share a network (localhost), IPC and hostname"
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
            {failed ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="button button-primary" disabled={busy || kept || (steps !== null && !failed)}>
            {busy && <span className="spinner spinner-small" aria-hidden="true" />}
            {failed ? 'Try again' : form.start && form.members.length > 0 ? 'Create and start' : 'Create'}
          </button>
        </>
      }
    >
      <label className="form-field" htmlFor={`${id}-name`}>
        <span className="form-label">Name</span>
        <input ref={first} id={`${id}-name`} className="input" placeholder="generated if empty" value={form.name} onChange={(e) => set('name', e.target.value)} aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? `${id}-name-error` : undefined} />
        {errors.name && (
          <span id={`${id}-name-error`} className="form-error">
            {errors.name}
          </span>
        )}
      </label>
      <label className="form-field" htmlFor={`${id}-labels`}>
        <span className="form-label">Labels</span>
        <textarea id={`${id}-labels`} className="input textarea mono" rows={1} placeholder="KEY=value, one per line" value={form.labels} onChange={(e) => set('labels', e.target.value)} aria-invalid={errors.labels ? true : undefined} aria-describedby={errors.labels ? `${id}-labels-error` : undefined} />
        {errors.labels && (
          <span id={`${id}-labels-error`} className="form-error">
            {errors.labels}
          </span>
        )}
      </label>
      <NetworkPortFields idPrefix={id} networks={networks.data} rootless={rootless} network={form.network} networkDisabled={!form.share.net} ports={form.ports} portsError={errors.ports} onNetwork={(v) => set('network', v)} onPorts={(v) => set('ports', v)} />
      <fieldset className="create-wide pod-share">
        <legend className="form-label">Shared namespaces</legend>
        {podShareChoices.map((kind) => (
          <label key={kind} className="check-row">
            <input type="checkbox" checked={form.share[kind]} onChange={(e) => set('share', { ...form.share, [kind]: e.target.checked })} />
            {podShareLabels[kind]}
          </label>
        ))}
      </fieldset>

      <div className="create-wide pod-members" role="group" aria-label="Containers">
        <div className="pod-members-head">
          <span className="form-label">Containers</span>
          <button type="button" className="button button-small" onClick={addMember} disabled={busy || imageNames.length === 0}>
            <ActionIcon name="plus" size={13} />
            Add container
          </button>
        </div>
        {images.data && imageNames.length === 0 && <p className="muted small">No local images: pull one on the Images page to add containers here.</p>}
        {form.members.length === 0 && imageNames.length > 0 && <p className="muted small">An empty pod is made without containers: add some from local images.</p>}
        {form.members.map((m, index) => {
          const own = memberErrors[m.key] ?? {};
          const fid = `${id}-m${m.key}`;
          const title = `Container ${index + 1}`;
          return (
            <fieldset key={m.key} className="pod-member">
              <legend>{title}</legend>
              <label className="form-field" htmlFor={`${fid}-image`}>
                <span className="form-label">Image</span>
                <select id={`${fid}-image`} className="input" value={m.image} onChange={(e) => setMember(m.key, { image: e.target.value })} aria-label={`${title} image`} aria-invalid={own.image ? true : undefined}>
                  {!imageNames.includes(m.image) && <option value={m.image}>{m.image || 'Choose…'}</option>}
                  {imageNames.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
                {own.image && <span className="form-error">{own.image}</span>}
              </label>
              <label className="form-field" htmlFor={`${fid}-name`}>
                <span className="form-label">Name</span>
                <input id={`${fid}-name`} className="input" placeholder="generated if empty" value={m.name} onChange={(e) => setMember(m.key, { name: e.target.value })} aria-label={`${title} name`} aria-invalid={own.name ? true : undefined} />
                {own.name && <span className="form-error">{own.name}</span>}
              </label>
              <label className="form-field create-wide" htmlFor={`${fid}-command`}>
                <span className="form-label">Command</span>
                <input id={`${fid}-command`} className="input mono" placeholder="the image's own if empty" value={m.command} onChange={(e) => setMember(m.key, { command: e.target.value })} aria-label={`${title} command`} aria-invalid={own.command ? true : undefined} />
                {own.command && <span className="form-error">{own.command}</span>}
              </label>
              <label className="form-field create-wide" htmlFor={`${fid}-env`}>
                <span className="form-label">Environment</span>
                <textarea id={`${fid}-env`} className="input textarea mono" rows={1} placeholder="NAME=value, one per line" value={m.env} onChange={(e) => setMember(m.key, { env: e.target.value })} aria-label={`${title} environment`} aria-invalid={own.env ? true : undefined} />
                {own.env && <span className="form-error">{own.env}</span>}
              </label>
              <button type="button" className="button button-ghost button-small pod-member-remove" onClick={() => removeMember(m.key)} disabled={busy} aria-label={`Remove ${title}`}>
                <Icon name="trash" size={13} />
                Remove
              </button>
            </fieldset>
          );
        })}
      </div>

      <div className="create-wide create-checks">
        <label className="check-row">
          <input type="checkbox" checked={form.start} onChange={(e) => set('start', e.target.checked)} />
          Start the pod once its containers are made
        </label>
      </div>
      {steps && (
        <ol className="create-wide create-steps" aria-label="Steps">
          {steps.map((s) => (
            <li key={s.key} className={`create-step create-step-${s.state}`}>
              <span className="create-step-label">{s.label}</span> <span className="create-step-state">{stepText[s.state]}</span>
              {s.message && <span className="muted small"> — {s.message}</span>}
              {s.error != null && <ErrorPanel error={s.error} doing={s.label.toLowerCase()} />}
            </li>
          ))}
        </ol>
      )}
      {failure != null && (
        <div className="create-wide">
          <ErrorPanel error={failure} doing="creating the pod" />
        </div>
      )}
    </FormDialog>
  );
}
