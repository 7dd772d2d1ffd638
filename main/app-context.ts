// What every front end (Electron window, web host, CLI) builds first: the store's paths, the exec
// function and the event log, from the global options. Daemonless: each process opens the same store.
// Kept free of the contract and its schema library so a CLI command that needs no router loads
// neither; front ends that serve the contract add it with createAppRouter (main/app-router.ts).
import { join } from 'node:path';
import { EventLog } from './core/events/event-log.ts';
import { realExec } from './core/exec.ts';
import type { Exec } from './core/exec.ts';
import { resolvePaths } from './core/runtime-paths.ts';
import type { RuntimePaths } from './core/runtime-paths.ts';

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
}

export function createAppContext(options: GlobalOptions = {}): AppContext {
  const paths = resolvePaths({ root: options.root, runRoot: options.runRoot });
  return {
    paths,
    exec: realExec,
    events: new EventLog(join(paths.runRoot, 'events', 'events.log')),
    defaultRuntime: options.runtime ?? 'crun',
  };
}
