import { useEffect, useId, useRef, useState } from 'react';
import { isFinished, pullTotals } from '../images/pull-progress.ts';
import { pullStatusTone, trayLabel } from '../images/pull-presenters.ts';
import { runningTasks, taskStatus } from '../tasks/task-list-model.ts';
import type { Task } from '../tasks/task-list-model.ts';
import { taskHeadline, taskWhat } from '../images/push-presenters.ts';
import { useTaskState, useTasksUi } from '../tasks/use-tasks.ts';
import { Icon } from './Icon.tsx';
import { ProgressBar } from './ProgressBar.tsx';

/**
 * The task tray in the top bar, on every page: how many pulls run and how far they are; opened, it
 * lists each task with its progress, Show (reopens its dialog), Cancel and Dismiss.
 */
export function TaskTray() {
  const { tasks, openPull, openPush } = useTasksUi();
  const state = useTaskState();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const running = runningTasks(state);
  const finished = state.tasks.length - running.length;
  const failed = state.tasks.filter((t) => taskStatus(t) === 'failed').length;

  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const label = running.length > 0 ? trayLabel(running.map((t) => t.progress), running.map((t) => t.kind)) : state.tasks.length > 0 ? `${finished} finished` : 'No tasks';
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
        className={`tray-button${running.length > 0 ? ' is-busy' : ''}${failed > 0 && running.length === 0 ? ' has-failed' : ''}`}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Tasks: ${label}`}
        onClick={() => setOpen((o) => !o)}
      >
        {running.length > 0 ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="tasks" size={14} />}
        <span className="tray-text">{running.length > 0 ? label : 'Tasks'}</span>
        {running.length === 0 && state.tasks.length > 0 && <span className="tray-count">{state.tasks.length}</span>}
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
            <span className="muted small">{running.length} running</span>
            <span className="toolbar-spacer" />
            <button type="button" className="button button-ghost button-small" disabled={finished === 0} onClick={() => tasks.clearFinished()}>
              Clear finished
            </button>
          </header>
          {state.tasks.length === 0 ? (
            <p className="tray-empty">Pulls and pushes started from the Images page show here and keep running when their dialog closes.</p>
          ) : (
            <ul className="tray-list">
              {state.tasks.map((task) => (
                <TaskItem
                  key={task.id}
                  task={task}
                  onShow={() => {
                    setOpen(false);
                    if (task.kind === 'pull') openPull(task.id);
                    else if (task.kind === 'push') openPush({ taskId: task.id });
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

function overallFraction(running: readonly Task[]): number | null {
  let done = 0;
  let total = 0;
  for (const t of running) {
    const totals = pullTotals(t.progress);
    done += totals.done;
    total += totals.total;
  }
  return total > 0 ? done / total : null;
}

function TaskItem({ task, onShow, onCancel, onDismiss }: { task: Task; onShow: () => void; onCancel: () => void; onDismiss: () => void }) {
  const headline = taskHeadline(task);
  const what = taskWhat(task);
  const finished = isFinished(task.progress);
  return (
    <li className={`tray-item tray-item-${pullStatusTone(task.progress)}`} aria-label={headline.title}>
      <div className="tray-item-text">
        <span className="tray-item-title ellipsis" title={headline.title}>
          {headline.title}
        </span>
        <span className="tray-item-detail ellipsis" title={headline.detail}>
          {headline.detail}
        </span>
      </div>
      {!finished && <ProgressBar fraction={headline.fraction} label={`Progress of ${what}`} valueText={headline.detail} size="thin" />}
      <div className="tray-item-actions">
        {task.kind !== 'upload' && (
          <button type="button" className="button button-small" onClick={onShow}>
            Show
          </button>
        )}
        {finished ? (
          <button type="button" className="button button-small button-ghost" onClick={onDismiss} aria-label={`Dismiss ${headline.title}`}>
            Dismiss
          </button>
        ) : task.kind === 'upload' && task.storing ? null : (
          <button type="button" className="button button-small button-danger-ghost" onClick={onCancel} aria-label={`Cancel ${what}`}>
            Cancel
          </button>
        )}
      </div>
    </li>
  );
}
