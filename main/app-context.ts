// What every front end (Electron window, web host, CLI) builds first: the resolved runtime config
// (defaults → podbay.conf files → global flags), the store's paths, the exec function and the event
// log. Daemonless: each process opens the same store. Kept free of the contract and its schema
// library so a CLI command that needs no router loads neither; front ends that serve the contract
// add it with createAppRouter (main/app-router.ts).
import { EventLog } from './core/events/event-log.ts';
import { realExec } from './core/exec.ts';
import type { Exec } from './core/exec.ts';
import { resolveRuntimeConfig } from './core/runtime-config.ts';
import type { ResolvedRuntimeConfig, RuntimeConfigOverrides } from './core/runtime-config.ts';
import { defaultPaths, detectMode } from './core/runtime-paths.ts';
import type { RuntimePaths } from './core/runtime-paths.ts';

export interface GlobalOptions {
  root?: string | undefined;
  runRoot?: string | undefined;
  runtime?: string | undefined;
}

export interface AppContext {
  config: ResolvedRuntimeConfig;
  paths: RuntimePaths;
  exec: Exec;
  events: EventLog;
  /** The OCI runtime by name or path: --runtime, else the config files' `runtime`, else crun. */
  defaultRuntime: string;
}

/** Throws ErrInvalidArg naming the file and key when a config file is malformed. */
export function createAppContext(options: GlobalOptions = {}): AppContext {
  const mode = detectMode();
  const { configFiles } = defaultPaths(mode);
  const overrides: RuntimeConfigOverrides = {};
  if (options.root || options.runRoot) overrides.storage = { ...(options.root ? { graphRoot: options.root } : {}), ...(options.runRoot ? { runRoot: options.runRoot } : {}) };
  if (options.runtime) overrides.engine = { ociRuntime: options.runtime };
  const config = resolveRuntimeConfig({ mode, configFiles, probe: null, overrides, busyTimeoutMs: null });
  return {
    config,
    paths: { mode, graphRoot: config.storage.graphRoot, runRoot: config.storage.runRoot, configFiles },
    exec: realExec,
    events: new EventLog(config.engine.eventsLogFile),
    defaultRuntime: config.engine.ociRuntime,
  };
}
