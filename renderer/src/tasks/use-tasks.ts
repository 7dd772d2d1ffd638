// `useTasks()`: the window's task list and its state (re-renders as frames arrive).
import { useCallback, useContext, useSyncExternalStore } from 'react';
import { TasksContext } from './tasks-context.tsx';
import type { TasksUi } from './tasks-context.tsx';
import type { TaskListState } from './task-list-model.ts';

export function useTasksUi(): TasksUi {
  const ui = useContext(TasksContext);
  if (!ui) throw new Error('useTasksUi outside <TasksProvider>');
  return ui;
}

export function useTaskState(): TaskListState {
  const { tasks } = useTasksUi();
  const subscribe = useCallback((listener: () => void) => tasks.subscribe(listener), [tasks]);
  return useSyncExternalStore(subscribe, () => tasks.getState());
}
