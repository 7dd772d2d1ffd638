// What every front end (Electron window, web host, CLI) builds first: the store's paths, the exec
// function and the event log, from the global options. Daemonless: each process opens the same store.
import { join } from 'node:path';
import { contract } from '../shared/contract.ts';
import { EventLog } from './core/events/event-log.ts';
import { realExec } from './core/exec.ts';
import type { Exec } from './core/exec.ts';
import { resolvePaths } from './core/runtime-paths.ts';
import type { RuntimePaths } from './core/runtime-paths.ts';
import { createHandlers } from './ipc/handlers.ts';
import { createRouter } from './ipc/router.ts';
import type { Router } from './ipc/router.ts';

export interface GlobalOptions {
  root?: string | undefined;
  runRoot?: string | undefined;
  runtime?: string | undefined;
}

export interface AppContext {
  paths: RuntimePaths;
  exec: Exec;
  events: EventLog;
  defaultRuntime: string;
  router: Router;
}

export function createAppContext(options: GlobalOptions = {}): AppContext {
  const paths = resolvePaths({ root: options.root, runRoot: options.runRoot });
  const exec = realExec;
  const events = new EventLog(join(paths.runRoot, 'events', 'events.log'));
  const defaultRuntime = options.runtime ?? 'crun';
  const router = createRouter(contract, createHandlers({ paths, exec, events, defaultRuntime }));
  return { paths, exec, events, defaultRuntime, router };
}
