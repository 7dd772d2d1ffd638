import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import type { ImageResolution } from '../../../shared/types/images.ts';
import { isFinished, layerEta, pullTotals } from '../images/pull-progress.ts';
import type { LayerProgress, PullState } from '../images/pull-progress.ts';
import { bytesOf, describePullError, formatEta, formatSpeed, layerPhaseLabel, layerTone, percent, pullHeadline, pullName, resolutionHint, shortDigest } from '../images/pull-presenters.ts';
import { describeError } from '../presenters/error-presenters.ts';
import { formatBytes } from '../presenters/format-bytes.ts';
import { useEngine } from '../query/use-engine.ts';
import { findTask, runningPullOf } from '../tasks/task-list-model.ts';
import type { TaskList } from '../tasks/task-list.ts';
import { Icon } from './Icon.tsx';
import { RunningTaskActions, TaskDialog, TaskFailurePanel, TransferTable } from './TaskDialog.tsx';
import { ProgressBar } from './ProgressBar.tsx';
import { StatusBadge } from './StatusBadge.tsx';

/** How long typing must pause before the name is resolved (one timer per pause, not a loop). */
export const resolveDelayMs = 250;

/**
 * The Pull dialog: a reference (short names resolve as you type), then the pull's progress per
 * layer. The pull belongs to the task list, not to the dialog: closing it (Hide, Escape) leaves the
 * pull running in the task tray, which reopens it here.
 */
export function PullDialog({ tasks, initialTaskId, initialReference, onClose }: { tasks: TaskList; initialTaskId: string | null; initialReference: string; onClose: () => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const [taskId, setTaskId] = useState<string | null>(initialTaskId);
  const [reference, setReference] = useState(initialReference);
  const [skipTls, setSkipTls] = useState(false);

  const subscribe = useCallback((listener: () => void) => tasks.subscribe(listener), [tasks]);
  const state = useSyncExternalStore(subscribe, () => tasks.getState());
  const found = findTask(state, taskId);
  const task = found?.kind === 'pull' ? found : null;

  useEffect(() => {
    if (!task) inputRef.current?.focus();
  }, [task === null]);

  const resolution = useResolution(task ? '' : reference);
  const duplicate = !task && reference.trim() !== '' ? runningPullOf(state, reference) : null;

  const start = () => {
    const wanted = reference.trim();
    if (!wanted) return;
    if (duplicate) {
      setTaskId(duplicate.id);
      return;
    }
    setTaskId(tasks.startPull({ reference: wanted, ...(skipTls ? { tlsVerify: false } : {}) }));
  };

  const pullAnother = () => {
    setTaskId(null);
    setReference('');
  };

  const editAgain = () => {
    if (task) {
      setReference(task.input.reference);
      setSkipTls(task.input.tlsVerify === false);
    }
    setTaskId(null);
  };

  const running = task !== null && !isFinished(task.progress);
  const headline = task ? pullHeadline(task.progress) : null;

  return (
    <TaskDialog
      idleTitle="Pull an image"
      idleIcon="download"
      headline={headline}
      phase={task?.progress.phase ?? null}
      onClose={onClose}
      onSubmit={() => {
        if (!task) start();
      }}
      actions={
        <>
          {!task && (
            <>
              <button type="button" className="button" onClick={onClose}>
                Close
              </button>
              <button type="submit" className="button button-primary" disabled={reference.trim() === ''}>
                <Icon name="download" size={14} />
                Pull
              </button>
            </>
          )}
          {task && running && <RunningTaskActions what="pull" onCancel={() => tasks.cancel(task.id)} onHide={onClose} />}
          {task && !running && (
            <>
              <button type="button" className="button" onClick={pullAnother}>
                Pull another
              </button>
              <button type="button" className="button button-primary" onClick={onClose} autoFocus>
                Close
              </button>
            </>
          )}
        </>
      }
    >
      {task ? (
        <PullProgress pull={task.progress} onRetry={() => setTaskId(tasks.retry(task.id))} onEdit={editAgain} />
      ) : (
        <div className="dialog-body dialog-body-form">
          <label className="form-field">
            <span className="form-label">Image</span>
            <input
              ref={inputRef}
              className="input mono"
              name="reference"
              aria-describedby={hintId}
              autoComplete="off"
              spellCheck={false}
              placeholder="busybox, quay.io/podman/hello:latest, registry:5000/team/app@sha256:…"
              value={reference}
              onChange={(e) => setReference(e.target.value)}
            />
          </label>
          <ResolutionHint id={hintId} text={reference} resolution={resolution} />
          <label className="check-row">
            <input type="checkbox" checked={skipTls} onChange={(e) => setSkipTls(e.target.checked)} />
            Skip TLS verification <span className="muted">(registry on plain HTTP or with a self-signed certificate)</span>
          </label>
          {duplicate && <p className="form-note">This image is already being pulled: Pull shows its progress.</p>}
        </div>
      )}
    </TaskDialog>
  );
}

type Resolution = { readonly status: 'idle' | 'pending' } | { readonly status: 'ok'; readonly text: string; readonly value: ImageResolution } | { readonly status: 'error'; readonly text: string; readonly error: unknown };

/** `images.resolve` for what was typed, once typing pauses; answers for older text are dropped. */
function useResolution(text: string): Resolution {
  const { client } = useEngine();
  const [result, setResult] = useState<Resolution>({ status: 'idle' });
  const wanted = text.trim();

  useEffect(() => {
    if (wanted === '') {
      setResult({ status: 'idle' });
      return;
    }
    setResult((r) => (r.status === 'idle' ? { status: 'pending' } : r));
    let current = true;
    const timer = window.setTimeout(() => {
      client.call('images.resolve', { reference: wanted }).then(
        (value) => current && setResult({ status: 'ok', text: wanted, value }),
        (error: unknown) => current && setResult({ status: 'error', text: wanted, error }),
      );
    }, resolveDelayMs);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [client, wanted]);

  return result;
}

function ResolutionHint({ id, text, resolution }: { id: string; text: string; resolution: Resolution }) {
  if (text.trim() === '') {
    return (
      <p id={id} className="form-hint">
        A short name (busybox) is looked up in the search registries of registries.conf; a full name pulls from its registry.
      </p>
    );
  }
  if (resolution.status === 'error') {
    return (
      <p id={id} className="form-hint form-hint-danger" role="status">
        <Icon name="error" size={13} /> {describeError(resolution.error).message}
      </p>
    );
  }
  if (resolution.status !== 'ok') {
    return (
      <p id={id} className="form-hint" role="status">
        <span className="spinner spinner-small" aria-hidden="true" /> Looking up where “{text.trim()}” comes from…
      </p>
    );
  }
  const hint = resolutionHint(resolution.value);
  return (
    <div id={id} className="form-hint resolution" role="status">
      <Icon name="registries" size={13} />
      <span>
        {hint.text}
        {hint.candidates.length > 1 && (
          <span className="resolution-list">
            {hint.candidates.map((c, i) => (
              <code key={c}>
                {i + 1}. {c}
              </code>
            ))}
          </span>
        )}
      </span>
    </div>
  );
}

function PullProgress({ pull, onRetry, onEdit }: { pull: PullState; onRetry: () => void; onEdit: () => void }) {
  const totals = pullTotals(pull);
  const headline = pullHeadline(pull);
  const failure = pull.phase === 'failed' && pull.error ? describePullError(pull.error, pull.reference) : null;
  return (
    <div className="dialog-body dialog-body-progress">
      {!(pull.phase === 'failed' && pull.layers.length === 0) && (
        <div className="pull-overall">
          <ProgressBar
            fraction={pull.phase === 'starting' || pull.phase === 'resolving' ? null : totals.fraction}
            label="Overall progress"
            valueText={headline.detail}
            tone={headline.tone}
          />
          <span className="pull-percent">{pull.phase === 'downloading' || pull.phase === 'done' ? percent(totals.fraction) : ''}</span>
        </div>
      )}
      {pull.resolution && pull.resolution.origin !== 'qualified' && (
        <p className="form-hint">
          <Icon name="registries" size={13} /> {resolutionHint(pull.resolution).text}
        </p>
      )}
      {failure && (
        <TaskFailurePanel failure={failure} onRetry={onRetry}>
          <button type="button" className="button button-small button-ghost" onClick={onEdit}>
            Change the name
          </button>
        </TaskFailurePanel>
      )}
      {pull.phase === 'canceled' && (
        <div className="panel panel-warning" role="status">
          <Icon name="alert" size={18} className="panel-icon" />
          <div className="panel-body">
            <p className="panel-title">Pull cancelled</p>
            <p className="panel-text">The engine stopped the transfer; nothing half-pulled was kept.</p>
            <div className="panel-actions">
              <button type="button" className="button button-small" onClick={onRetry}>
                <Icon name="refresh" size={13} />
                Pull again
              </button>
            </div>
          </div>
        </div>
      )}
      {pull.layers.length > 0 && (
        <TransferTable label="Layers" item="Layer" lastColumn="ETA">
          {pull.layers.map((layer) => (
            <LayerLine key={layer.digest} layer={layer} />
          ))}
        </TransferTable>
      )}
      {pull.phase === 'done' && pull.images.length > 0 && (
        <p className="pull-result" role="status">
          <Icon name="check" size={14} /> Stored {pull.images.length === 1 ? pullName(pull) : `${pull.images.length} images`} ({pull.images.map((i) => shortDigest(i.id)).join(', ')}) — in the Images list now.
        </p>
      )}
    </div>
  );
}

function LayerLine({ layer }: { layer: LayerProgress }) {
  const fraction = layer.total > 0 ? layer.done / layer.total : layer.phase === 'done' || layer.phase === 'exists' ? 1 : 0;
  const short = shortDigest(layer.digest);
  return (
    <div className="layer-row" role="row" aria-label={`Layer ${short}`}>
      <span role="cell" className="mono" title={layer.digest}>
        {short}
      </span>
      <span role="cell">
        <StatusBadge tone={layerTone(layer.phase)}>{layerPhaseLabel(layer)}</StatusBadge>
      </span>
      <span role="cell">
        <ProgressBar fraction={layer.phase === 'waiting' ? 0 : fraction} label={`Layer ${short}`} valueText={bytesOf(layer.done, layer.total)} size="thin" tone={layer.phase === 'done' || layer.phase === 'exists' ? 'ok' : 'neutral'} />
      </span>
      <span role="cell" className="numeric mono nowrap">
        {layer.phase === 'exists' ? `${formatBytes(layer.total)} in store` : bytesOf(layer.done, layer.total)}
      </span>
      <span role="cell" className="numeric mono nowrap">
        {layer.phase === 'downloading' ? formatSpeed(layer.bytesPerSecond) : '—'}
      </span>
      <span role="cell" className="numeric mono nowrap">
        {layer.phase === 'downloading' ? formatEta(layerEta(layer)) : '—'}
      </span>
    </div>
  );
}
