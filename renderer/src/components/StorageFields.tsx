import { useId } from 'react';
import { addMountRow, removeMountRow, restartChoices, updateMountRow } from '../containers/storage-form.ts';
import type { MountKind, RestartChoice, StorageErrors, StorageForm } from '../containers/storage-form.ts';
import { useCall } from '../query/use-call.ts';
import { ActionIcon } from './ActionIcon.tsx';
import { Icon } from './Icon.tsx';

const kindLabels: Record<MountKind, string> = { volume: 'Volume', bind: 'Host path', tmpfs: 'tmpfs' };

/**
 * The storage and restart part of the Create dialog: mount rows (an existing volume picked from the
 * list or a new name typed — empty for an anonymous one —, a host path, or a tmpfs; each with its
 * destination and read-only), a read-only root filesystem and the restart policy.
 */
export function StorageFields({ form, errors, onChange }: { form: StorageForm; errors: StorageErrors; onChange: (form: StorageForm) => void }) {
  const id = useId();
  const volumes = useCall('volumes.list', {});
  const names = volumes.data?.map((v) => v.name) ?? [];

  const error = (key: string) =>
    errors[key] ? (
      <span id={`${id}-${key}-error`} className="form-error">
        {errors[key]}
      </span>
    ) : null;

  return (
    <fieldset className="create-wide storage-fields">
      <legend className="form-label">Volumes and mounts</legend>
      <datalist id={`${id}-volumes`}>
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {form.mounts.length === 0 && <p className="form-hint">None: the container writes only to its own layer, which goes when it is removed.</p>}
      {form.mounts.map((row, index) => {
        const n = index + 1;
        const sourceKey = `mount-${row.key}-source`;
        const destKey = `mount-${row.key}-destination`;
        return (
          <div key={row.key} className="mount-row" role="group" aria-label={`Mount ${n}`}>
            <label className="form-field">
              <span className="form-label">Type</span>
              <select className="input" aria-label={`Mount ${n} type`} value={row.kind} onChange={(e) => onChange(updateMountRow(form, row.key, { kind: e.target.value as MountKind }))}>
                {(Object.keys(kindLabels) as MountKind[]).map((k) => (
                  <option key={k} value={k}>
                    {kindLabels[k]}
                  </option>
                ))}
              </select>
            </label>
            <label className="form-field">
              <span className="form-label">{row.kind === 'bind' ? 'Host path' : row.kind === 'volume' ? 'Volume' : 'Source'}</span>
              <input
                className="input mono"
                aria-label={`Mount ${n} ${row.kind === 'bind' ? 'host path' : 'volume'}`}
                disabled={row.kind === 'tmpfs'}
                list={row.kind === 'volume' ? `${id}-volumes` : undefined}
                autoComplete="off"
                spellCheck={false}
                placeholder={row.kind === 'bind' ? '/srv/data' : row.kind === 'volume' ? 'name, or empty: anonymous' : 'memory'}
                value={row.kind === 'tmpfs' ? '' : row.source}
                onChange={(e) => onChange(updateMountRow(form, row.key, { source: e.target.value }))}
                aria-invalid={errors[sourceKey] ? true : undefined}
                aria-describedby={errors[sourceKey] ? `${id}-${sourceKey}-error` : undefined}
              />
              {error(sourceKey)}
            </label>
            <label className="form-field">
              <span className="form-label">Destination</span>
              <input
                className="input mono"
                aria-label={`Mount ${n} destination`}
                autoComplete="off"
                spellCheck={false}
                placeholder="/data"
                value={row.destination}
                onChange={(e) => onChange(updateMountRow(form, row.key, { destination: e.target.value }))}
                aria-invalid={errors[destKey] ? true : undefined}
                aria-describedby={errors[destKey] ? `${id}-${destKey}-error` : undefined}
              />
              {error(destKey)}
            </label>
            <label className="check-row mount-ro">
              <input type="checkbox" aria-label={`Mount ${n} read-only`} checked={row.readOnly} onChange={(e) => onChange(updateMountRow(form, row.key, { readOnly: e.target.checked }))} />
              Read-only
            </label>
            <button type="button" className="button button-ghost button-small button-icon" aria-label={`Remove mount ${n}`} title="Remove" onClick={() => onChange(removeMountRow(form, row.key))}>
              <Icon name="close" size={14} />
            </button>
          </div>
        );
      })}
      <div className="storage-actions">
        <button type="button" className="button button-small" onClick={() => onChange(addMountRow(form, 'volume'))}>
          <ActionIcon name="plus" size={13} />
          Add volume
        </button>
        <button type="button" className="button button-small" onClick={() => onChange(addMountRow(form, 'bind'))}>
          <ActionIcon name="plus" size={13} />
          Add host path
        </button>
        <button type="button" className="button button-small" onClick={() => onChange(addMountRow(form, 'tmpfs'))}>
          <ActionIcon name="plus" size={13} />
          Add tmpfs
        </button>
      </div>
      <label className="check-row">
        <input type="checkbox" checked={form.readOnly} onChange={(e) => onChange({ ...form, readOnly: e.target.checked })} />
        Read-only root filesystem (/tmp, /var/tmp and /run stay writable)
      </label>
      <div className="restart-row">
        <label className="form-field">
          <span className="form-label">Restart policy</span>
          <select className="input" value={form.restart} onChange={(e) => onChange({ ...form, restart: e.target.value as RestartChoice })}>
            {restartChoices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {form.restart === 'on-failure' && (
          <label className="form-field">
            <span className="form-label">Maximum restarts</span>
            <input className="input" inputMode="numeric" placeholder="no limit" value={form.retries} onChange={(e) => onChange({ ...form, retries: e.target.value })} aria-invalid={errors.retries ? true : undefined} aria-describedby={errors.retries ? `${id}-retries-error` : undefined} />
            {error('retries')}
          </label>
        )}
      </div>
    </fieldset>
  );
}
