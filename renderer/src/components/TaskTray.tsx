import { useEffect, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { isFinished, pullTotals } from '../images/pull-progress.ts';
import { pullHeadline, pullStatusTone, trayLabel } from '../images/pull-presenters.ts';
import { runningCommits, runningTasks, taskStatus } from '../tasks/task-list-model.ts';
import type { PullTask } from '../tasks/task-list-model.ts';
import { commitFinished, commitHeadline } from '../tasks/commit-task-model.ts';
import type { CommitTask } from '../tasks/commit-task-model.ts';
import { useTaskState, useTasksUi } from '../tasks/use-tasks.ts';
import { hashFor } from '../navigation/routes.ts';
import { Icon } from './Icon.tsx';
import { ProgressBar } from './ProgressBar.tsx';

/**
 * The task tray in the top bar, on every page: how many pulls run and how far they are; opened, it
 * lists each task with its progress, Show (reopens its dialog), Cancel and Dismiss.
 */
export function TaskTray() {
  const { tasks, openPull } = useTasksUi();
  const state = useTaskState();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const running = runningTasks(state);
  const committing = runningCommits(state);
  const total = state.tasks.length + state.commits.length;
  const busy = running.length + committing.length;
  const finished = total - busy;
  const failed = state.tasks.filter((t) => taskStatus(t) === 'failed').length + state.commits.filter((t) => t.phase === 'failed').length;

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const commitLabel = committing.length === 1 ? '1 commit' : `${committing.length} commits`;
  const label = running.length > 0 ? `${trayLabel(running.map((t) => t.pull))}${committing.length > 0 ? ` · ${commitLabel}` : ''}` : committing.length > 0 ? commitLabel : total > 0 ? `${finished} finished` : 'No tasks';
  const overall = running.length > 0 ? overallFraction(running) : null;

  return (
    <div
      className="task-tray"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.preventDefault();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={`tray-button${busy > 0 ? ' is-busy' : ''}${failed > 0 && busy === 0 ? ' has-failed' : ''}`}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Tasks: ${label}`}
        onClick={() => setOpen((o) => !o)}
      >
        {busy > 0 ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="tasks" size={14} />}
        <span className="tray-text">{busy > 0 ? label : 'Tasks'}</span>
        {busy === 0 && total > 0 && <span className="tray-count">{total}</span>}
        {overall !== null && (
          <span className="tray-meter" aria-hidden="true">
            <span style={{ width: `${Math.round(overall * 100)}%` }} />
          </span>
        )}
      </button>
      {open && (
        <section id={panelId} className="tray-panel" aria-label="Tasks">
          <header className="tray-panel-head">
            <h2>Tasks</h2>
            <span className="muted small">{busy} running</span>
            <span className="toolbar-spacer" />
            <button type="button" className="button button-ghost button-small" disabled={finished === 0} onClick={() => tasks.clearFinished()}>
              Clear finished
            </button>
          </header>
          {total === 0 ? (
            <p className="tray-empty">Pulls started from the Images page and commits of containers show here and keep running when their dialog closes.</p>
          ) : (
            <ul className="tray-list">
              {state.commits.map((task) => (
                <CommitItem key={task.id} task={task} onCancel={() => tasks.cancel(task.id)} onDismiss={() => tasks.dismiss(task.id)} />
              ))}
              {state.tasks.map((task) => (
                <TaskItem
                  key={task.id}
                  task={task}
                  onShow={() => {
                    setOpen(false);
                    openPull(task.id);
                  }}
                  onCancel={() => tasks.cancel(task.id)}
                  onDismiss={() => tasks.dismiss(task.id)}
                />
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

function overallFraction(running: readonly PullTask[]): number | null {
  let done = 0;
  let total = 0;
  for (const t of running) {
    const totals = pullTotals(t.pull);
    done += totals.done;
    total += totals.total;
  }
  return total > 0 ? done / total : null;
}

/** One task of the tray, whatever its kind: its headline, progress while it runs, and its actions. */
function TrayItem({
  headline,
  tone,
  finished,
  progressLabel,
  cancelLabel,
  onCancel,
  onDismiss,
  children,
}: {
  headline: { title: string; detail: string; fraction: number | null };
  tone: string;
  finished: boolean;
  progressLabel: string;
  cancelLabel: string;
  onCancel: () => void;
  onDismiss: () => void;
  children?: ReactNode;
}) {
  return (
    <li className={`tray-item tray-item-${tone}`} aria-label={headline.title}>
      <div className="tray-item-text">
        <span className="tray-item-title ellipsis" title={headline.title}>
          {headline.title}
        </span>
        <span className="tray-item-detail ellipsis" title={headline.detail}>
          {headline.detail}
        </span>
      </div>
      {!finished && <ProgressBar fraction={headline.fraction} label={progressLabel} valueText={headline.detail} size="thin" />}
      <div className="tray-item-actions">
        {children}
        {finished ? (
          <button type="button" className="button button-small button-ghost" onClick={onDismiss} aria-label={`Dismiss ${headline.title}`}>
            Dismiss
          </button>
        ) : (
          <button type="button" className="button button-small button-danger-ghost" onClick={onCancel} aria-label={cancelLabel}>
            Cancel
          </button>
        )}
      </div>
    </li>
  );
}

function TaskItem({ task, onShow, onCancel, onDismiss }: { task: PullTask; onShow: () => void; onCancel: () => void; onDismiss: () => void }) {
  return (
    <TrayItem headline={pullHeadline(task.pull)} tone={pullStatusTone(task.pull)} finished={isFinished(task.pull)} progressLabel={`Progress of ${task.input.reference}`} cancelLabel={`Cancel pull of ${task.input.reference}`} onCancel={onCancel} onDismiss={onDismiss}>
      <button type="button" className="button button-small" onClick={onShow}>
        Show
      </button>
    </TrayItem>
  );
}

function CommitItem({ task, onCancel, onDismiss }: { task: CommitTask; onCancel: () => void; onDismiss: () => void }) {
  const headline = commitHeadline(task);
  return (
    <TrayItem headline={headline} tone={headline.tone} finished={commitFinished(task)} progressLabel={`Progress of the commit of ${task.input.containerName}`} cancelLabel={`Cancel commit of ${task.input.containerName}`} onCancel={onCancel} onDismiss={onDismiss}>
      {task.phase === 'done' && (
        <a className="button button-small" href={hashFor('images')}>
          Show in Images
        </a>
      )}
    </TrayItem>
  );
}
