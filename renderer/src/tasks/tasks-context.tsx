// The window's one TaskList and the Pull and Push dialogs that show a task, above every page: a
// pull or push started on the Images page keeps running (and stays visible in the task tray) when
// the dialog closes or the page changes, and the tray reopens its dialog.
import { createContext, useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { PullDialog } from '../components/PullDialog.tsx';
import { PushDialog } from '../components/PushDialog.tsx';
import type { PushImage } from '../components/PushDialog.tsx';
import { useEngine } from '../query/use-engine.ts';
import { TaskList } from './task-list.ts';
import { uploadFile } from '../transfers/transfers.ts';

export interface TasksUi {
  readonly tasks: TaskList;
  /** Opens the Pull dialog: on a task (its progress), or empty (a new pull, optionally prefilled). */
  openPull(taskId?: string | null, reference?: string): void;
  closePull(): void;
  /** Opens the Push dialog: for an image (a new push), or on a push task (its progress). */
  openPush(target: { image: PushImage } | { taskId: string }): void;
}

export const TasksContext = createContext<TasksUi | null>(null);

export function TasksProvider({ children }: { children: ReactNode }) {
  const engine = useEngine();
  const [tasks] = useState(() => new TaskList(engine.client, undefined, uploadFile));
  const [dialog, setDialog] = useState<{ taskId: string | null; reference: string; n: number } | null>(null);

  useEffect(() => () => tasks.dispose(), [tasks]);

  const [pushDialog, setPushDialog] = useState<{ image: PushImage | null; taskId: string | null; n: number } | null>(null);

  const openPull = useCallback((taskId: string | null = null, reference = '') => setDialog((d) => ({ taskId, reference, n: (d?.n ?? 0) + 1 })), []);
  const closePull = useCallback(() => setDialog(null), []);
  const openPush = useCallback(
    (target: { image: PushImage } | { taskId: string }) =>
      setPushDialog((d) => ({ image: 'image' in target ? target.image : null, taskId: 'taskId' in target ? target.taskId : null, n: (d?.n ?? 0) + 1 })),
    [],
  );
  const ui = useMemo<TasksUi>(() => ({ tasks, openPull, closePull, openPush }), [tasks, openPull, closePull, openPush]);

  return (
    <TasksContext.Provider value={ui}>
      {children}
      {pushDialog && <PushDialog key={pushDialog.n} tasks={tasks} image={pushDialog.image} initialTaskId={pushDialog.taskId} onClose={() => setPushDialog(null)} />}
      {dialog && <PullDialog key={dialog.n} tasks={tasks} initialTaskId={dialog.taskId} initialReference={dialog.reference} onClose={closePull} />}
    </TasksContext.Provider>
  );
}
