import { useCallback, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { RegistryTestReport } from '../../../shared/types/registries.ts';
import { isFinished, pullTotals } from '../images/pull-progress.ts';
import type { LayerProgress } from '../images/pull-progress.ts';
import { bytesOf, formatSpeed, percent, shortDigest } from '../images/pull-presenters.ts';
import { defaultDestination, describePushError, destinationOf, pushHeadline } from '../images/push-presenters.ts';
import { pushTargets } from '../registries/registry-presenters.ts';
import { useCall } from '../query/use-call.ts';
import { useEngine } from '../query/use-engine.ts';
import { findTask } from '../tasks/task-list-model.ts';
import type { PushTask } from '../tasks/task-list-model.ts';
import type { TaskList } from '../tasks/task-list.ts';
import { CopyButton } from './CopyButton.tsx';
import { CredentialFields } from './CredentialFields.tsx';
import { ErrorPanel } from './ErrorPanel.tsx';
import { Icon } from './Icon.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { RegistryTestResults } from './RegistryTestResults.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { RunningTaskActions, TaskDialog, TaskFailurePanel, TransferTable } from './TaskDialog.tsx';

export interface PushImage {
  readonly id: string;
  /** How the row names it (its name, or its short ID). */
  readonly label: string;
  /** The name the destination's repository and tag are proposed from. */
  readonly name: string | null;
}

/**
 * Push an image: a registry from the Registries list (or typed), repository and tag, the stored
 * login or credentials for this push only, Test (reachable, login, push allowed) first, then the
 * push as a task — byte progress per blob here and in the task tray, surviving this dialog closing.
 */
export function PushDialog({ tasks, image, initialTaskId, onClose }: { tasks: TaskList; image: PushImage | null; initialTaskId: string | null; onClose: () => void }) {
  const { client } = useEngine();
  const firstRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const registries = useCall('registries.list', {});
  const targets = useMemo(() => pushTargets(registries.data ?? []), [registries.data]);
  const [taskId, setTaskId] = useState<string | null>(initialTaskId);
  const [registry, setRegistry] = useState('');
  const proposed = defaultDestination(registry, image?.name ?? null);
  const [repository, setRepository] = useState<string | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [skipTls, setSkipTls] = useState(false);
  const [useOwn, setUseOwn] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [testing, setTesting] = useState(false);
  const [report, setReport] = useState<RegistryTestReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (initialTaskId === null) firstRef.current?.focus();
  }, []);

  const subscribe = useCallback((listener: () => void) => tasks.subscribe(listener), [tasks]);
  const state = useSyncExternalStore(subscribe, () => tasks.getState());
  const found = findTask(state, taskId);
  const task = found?.kind === 'push' ? found : null;

  const host = registry.trim();
  const repo = (repository ?? proposed.repository).trim();
  const tagValue = (tag ?? proposed.tag).trim();
  const known = targets.find((t) => t.host === host);
  const credentials = useOwn && username.trim() !== '' ? { username: username.trim(), password } : undefined;
  const ready = host !== '' && repo !== '' && image !== null && (!useOwn || credentials !== undefined);

  const test = async () => {
    if (!ready) return;
    setTesting(true);
    setError(null);
    try {
      setReport(await client.call('registries.test', { host, repository: repo, ...(skipTls ? { tlsVerify: false } : {}), ...(credentials ? { credentials } : {}) }));
    } catch (e) {
      setError(e);
    } finally {
      setTesting(false);
    }
  };

  const push = () => {
    if (!ready || !image) return;
    setTaskId(
      tasks.startPush({
        imageId: image.id,
        imageLabel: image.label,
        destination: destinationOf(host, repo, tagValue),
        ...(skipTls ? { tlsVerify: false } : {}),
        ...(credentials ? { credentials } : {}),
      }),
    );
  };

  const running = task !== null && !isFinished(task.progress);
  const headline = task ? pushHeadline(task) : null;

  return (
    <TaskDialog
      idleTitle={`Push ${image?.label ?? 'image'}`}
      idleIcon="registries"
      headline={headline}
      phase={task?.progress.phase ?? null}
      onClose={onClose}
      onSubmit={() => {
        if (!task) push();
      }}
      actions={
        <>
          {!task && (
            <>
              <button type="button" className="button" onClick={() => void test()} disabled={!ready || testing}>
                {testing ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="plug" size={14} />}
                Test
              </button>
              <span className="toolbar-spacer" />
              <button type="button" className="button" onClick={onClose}>
                Close
              </button>
              <button type="submit" className="button button-primary" disabled={!ready}>
                <Icon name="registries" size={14} />
                Push
              </button>
            </>
          )}
          {task && running && <RunningTaskActions what="push" onCancel={() => tasks.cancel(task.id)} onHide={onClose} />}
          {task && !running && (
            <button type="button" className="button button-primary" onClick={onClose} autoFocus>
              Close
            </button>
          )}
        </>
      }
    >
      {task ? (
        <PushProgress task={task} onRetry={() => setTaskId(tasks.retry(task.id))} />
      ) : (
        <div className="dialog-body dialog-body-form">
          <label className="form-field">
            <span className="form-label">Registry</span>
            <input
              ref={firstRef}
              className="input mono"
              name="registry"
              list={listId}
              autoComplete="off"
              spellCheck={false}
              placeholder={targets[0]?.host ?? '127.0.0.1:5000'}
              value={registry}
              onChange={(e) => {
                setRegistry(e.target.value);
                setReport(null);
              }}
            />
            <datalist id={listId}>
              {targets.map((t) => (
                <option key={t.host} value={t.host}>
                  {t.login ? `logged in as ${t.login.username}` : t.insecure ? 'insecure' : ''}
                </option>
              ))}
            </datalist>
          </label>
          <div className="form-row">
            <label className="form-field">
              <span className="form-label">Repository</span>
              <input className="input mono" name="repository" autoComplete="off" spellCheck={false} placeholder="team/app" value={repository ?? proposed.repository} onChange={(e) => setRepository(e.target.value)} />
            </label>
            <label className="form-field">
              <span className="form-label">Tag</span>
              <input className="input mono" name="tag" autoComplete="off" spellCheck={false} placeholder="latest" value={tag ?? proposed.tag} onChange={(e) => setTag(e.target.value)} />
            </label>
          </div>
          {host !== '' && repo !== '' && <p className="form-hint mono">{destinationOf(host, repo, tagValue)}</p>}
          <fieldset className="form-fieldset">
            <legend className="form-label">Credentials</legend>
            <label className="check-row">
              <input type="radio" name="creds" checked={!useOwn} onChange={() => setUseOwn(false)} />
              {known?.login ? `Stored login (${known.login.username})` : 'Stored login, or none'}
            </label>
            <label className="check-row">
              <input type="radio" name="creds" checked={useOwn} onChange={() => setUseOwn(true)} />
              For this push only (not stored)
            </label>
            {useOwn && (
              <CredentialFields username={username} password={password} onUsername={setUsername} onPassword={setPassword} />
            )}
          </fieldset>
          <label className="check-row">
            <input type="checkbox" checked={skipTls} onChange={(e) => setSkipTls(e.target.checked)} />
            Skip TLS verification <span className="muted">{known?.insecure ? '(this registry is already marked insecure)' : '(plain HTTP or a self-signed certificate)'}</span>
          </label>
          {report && <RegistryTestResults report={report} />}
          {error != null && <ErrorPanel error={error} doing={`testing ${host}`} />}
        </div>
      )}
    </TaskDialog>
  );
}

function PushProgress({ task, onRetry }: { task: PushTask; onRetry: () => void }) {
  const state = task.progress;
  const totals = pullTotals(state);
  const headline = pushHeadline(task);
  const failure = state.phase === 'failed' && state.error ? describePushError(state.error) : null;
  return (
    <div className="dialog-body dialog-body-progress">
      <div className="pull-overall">
        <ProgressBar fraction={state.phase === 'starting' ? null : totals.fraction} label="Overall progress" valueText={headline.detail} tone={headline.tone} />
        <span className="pull-percent">{state.phase === 'downloading' || state.phase === 'done' ? percent(totals.fraction) : ''}</span>
      </div>
      {failure && <TaskFailurePanel failure={failure} onRetry={onRetry} />}
      {state.layers.length > 0 && (
        <TransferTable label="Blobs" item="Blob" lastColumn=" ">
          {state.layers.map((blob) => (
            <BlobLine key={blob.digest} blob={blob} />
          ))}
        </TransferTable>
      )}
      {task.pushed && (
        <div className="pull-result push-result" role="status">
          <p>
            <Icon name="check" size={14} /> Pushed {task.pushed.reference}
          </p>
          <p className="push-digest">
            <code className="mono">{task.pushed.manifestDigest}</code>
            <CopyButton text={`${task.pushed.reference.replace(/:[^:/]+$/, '')}@${task.pushed.manifestDigest}`} label="Copy the pushed reference by digest" />
          </p>
        </div>
      )}
    </div>
  );
}

const blobPhaseLabels: Record<LayerProgress['phase'], string> = {
  waiting: 'Waiting',
  downloading: 'Uploading',
  verifying: 'Uploading',
  exists: 'In registry',
  done: 'Uploaded',
};

function BlobLine({ blob }: { blob: LayerProgress }) {
  const fraction = blob.total > 0 ? blob.done / blob.total : blob.phase === 'done' || blob.phase === 'exists' ? 1 : 0;
  const short = shortDigest(blob.digest);
  const complete = blob.phase === 'done' || blob.phase === 'exists';
  return (
    <div className="layer-row" role="row" aria-label={`Blob ${short}`}>
      <span role="cell" className="mono" title={blob.digest}>
        {short}
      </span>
      <span role="cell">
        <StatusBadge tone={complete ? 'ok' : 'neutral'}>{blobPhaseLabels[blob.phase]}</StatusBadge>
      </span>
      <span role="cell">
        <ProgressBar fraction={fraction} label={`Blob ${short}`} valueText={bytesOf(blob.done, blob.total)} size="thin" tone={complete ? 'ok' : 'neutral'} />
      </span>
      <span role="cell" className="numeric mono nowrap">
        {bytesOf(blob.done, blob.total)}
      </span>
      <span role="cell" className="numeric mono nowrap">
        {blob.phase === 'downloading' ? formatSpeed(blob.bytesPerSecond) : '—'}
      </span>
      <span role="cell" />
    </div>
  );
}
