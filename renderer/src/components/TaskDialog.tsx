import { useId, useRef } from 'react';
import type { ReactNode } from 'react';
import type { PullErrorView, PullHeadline } from '../images/pull-presenters.ts';
import type { PullPhase } from '../images/pull-progress.ts';
import { Icon } from './Icon.tsx';
import type { IconName } from './Icon.tsx';
import { useModalDialog } from './use-modal-dialog.ts';

/**
 * The frame of the Pull and Push dialogs: a modal whose header follows the task (its headline,
 * announced when it changes, and an icon for its phase) and whose body and actions the dialog
 * gives. Escape and Hide only close the dialog: the task runs on in the tray.
 */
export function TaskDialog({
  idleTitle,
  idleIcon,
  headline,
  phase,
  onClose,
  onSubmit,
  children,
  actions,
}: {
  idleTitle: string;
  idleIcon: IconName;
  headline: PullHeadline | null;
  phase: PullPhase | null;
  onClose: () => void;
  onSubmit: () => void;
  children: ReactNode;
  actions: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useModalDialog(ref);
  return (
    <dialog
      ref={ref}
      className="dialog dialog-wide pull-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <div className="dialog-head">
          <span className={`dialog-icon dialog-icon-${headline?.tone ?? 'accent'}`} aria-hidden="true">
            <Icon name={phase === 'done' ? 'check' : phase === 'failed' ? 'alert' : idleIcon} size={18} />
          </span>
          <div className="dialog-heading">
            <h2 id={titleId} className="dialog-title">
              {headline ? headline.title : idleTitle}
            </h2>
            {headline && <p className="dialog-subtitle">{headline.detail}</p>}
            {/* Announced when the phase changes (running, done, failed), not on every byte. */}
            <p className="visually-hidden" aria-live="polite">
              {headline?.title ?? ''}
            </p>
          </div>
        </div>
        {children}
        <div className="dialog-actions">{actions}</div>
      </form>
    </dialog>
  );
}

/** Cancel and Hide while a task runs: Hide leaves it running in the tray. */
export function RunningTaskActions({ what, onCancel, onHide }: { what: 'pull' | 'push'; onCancel: () => void; onHide: () => void }) {
  return (
    <>
      <button type="button" className="button button-danger-ghost" onClick={onCancel}>
        <Icon name="close" size={14} />
        Cancel {what}
      </button>
      <span className="toolbar-spacer" />
      <span className="muted small">Closing keeps the {what} running in Tasks.</span>
      <button type="button" className="button" onClick={onHide} autoFocus>
        Hide
      </button>
    </>
  );
}

/** Why a task failed, what to try, its code, and Try again (plus the dialog's own actions). */
export function TaskFailurePanel({ failure, onRetry, children }: { failure: PullErrorView; onRetry: () => void; children?: ReactNode }) {
  return (
    <div className="panel panel-danger pull-error" role="alert">
      <Icon name="error" size={18} className="panel-icon" />
      <div className="panel-body">
        <p className="panel-title">{failure.title}</p>
        <p className="panel-text">{failure.message}</p>
        <ul className="advice-list">
          {failure.advice.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
        {failure.code && (
          <p className="panel-code">
            Error code: <code>{failure.code}</code>
          </p>
        )}
        <div className="panel-actions">
          <button type="button" className="button button-small" onClick={onRetry}>
            <Icon name="refresh" size={13} />
            Try again
          </button>
          {children}
        </div>
      </div>
    </div>
  );
}

/** The per-layer (pull) or per-blob (push) table: its header, then the rows the dialog gives. */
export function TransferTable({ label, item, lastColumn, children }: { label: string; item: string; lastColumn: string; children: ReactNode }) {
  return (
    <div className="layer-table" role="table" aria-label={label}>
      <div className="layer-row layer-head" role="row">
        <span role="columnheader">{item}</span>
        <span role="columnheader">Status</span>
        <span role="columnheader">Progress</span>
        <span role="columnheader" className="numeric">
          Bytes
        </span>
        <span role="columnheader" className="numeric">
          Speed
        </span>
        <span role="columnheader" className="numeric">
          {lastColumn}
        </span>
      </div>
      <div className="layer-body" role="rowgroup">
        {children}
      </div>
    </div>
  );
}
