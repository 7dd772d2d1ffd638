// One Runtime per handler set, opened on first use and kept for the life of the process: the window
// and the web host serve many calls over one store connection (the CLI opens its own per command).
import type { EventLog } from '../../core/events/event-log.ts';
import { Runtime } from '../../core/runtime.ts';
import type { RuntimePaths } from '../../core/runtime-paths.ts';

export interface RuntimeDeps {
  paths: RuntimePaths;
  events: EventLog;
  defaultRuntime: string;
}

const opened = new WeakMap<RuntimeDeps, Runtime>();

/** The runtime for these deps (the same object every time); opening errors reach the caller typed. */
export function runtimeFor(deps: RuntimeDeps): Runtime {
  let runtime = opened.get(deps);
  if (!runtime) {
    runtime = Runtime.forPaths(deps.paths, { ociRuntime: deps.defaultRuntime, events: deps.events });
    opened.set(deps, runtime);
    // This process outlives the containers' starts: it cleans up their exits itself instead of a
    // Node process per exit (oci/exit-cleaner.ts).
    runtime.cleanUpExitsInProcess();
    // Crash recovery once per serving process, in the background: networks left up by processes
    // that died, stray namespaces and addresses, idle bridges.
    void runtime.cleanupStaleNetworks().catch(() => undefined);
  }
  return runtime;
}
