// The implementation of the contract, once, for every transport. `satisfies Handlers<Contract>`
// makes a procedure without a handler (or with the wrong types) a compile error.
import type { Contract } from '../../shared/contract.ts';
import type { Handlers } from '../../shared/contract/define.ts';
import type { EventLog } from '../core/events/event-log.ts';
import type { Exec } from '../core/exec.ts';
import type { RuntimePaths } from '../core/runtime-paths.ts';
import type { ResolvedRuntimeConfig } from '../core/runtime-config.ts';
import { readSystemInfo } from '../core/system/system-info.ts';
import { createContainerHandlers } from './handlers/containers.ts';
import { createPodHandlers } from './handlers/pods.ts';
import { createImageHandlers } from './handlers/images.ts';
import { createConsoleHandlers } from './handlers/console.ts';
import { createSystemHandlers } from './handlers/system.ts';
import { createRegistryHandlers } from './handlers/registries.ts';
import type { RegistryFiles } from '../core/image/registry-settings.ts';
import type { TransferStore } from '../core/transfer-store.ts';
import { createVolumeHandlers } from './handlers/volumes.ts';

export interface HandlerDeps {
  /** Defaults → podbay.conf → global flags: registries, storage, runtime. */
  config: ResolvedRuntimeConfig;
  paths: RuntimePaths;
  exec: Exec;
  events: EventLog;
  defaultRuntime: string;
  /** registries.conf, auth.json and certs.d paths; default: the user's (tests use a temp dir). */
  registryFiles?: RegistryFiles;
  /** Uploads and downloads of the web host (save/load/import in a browser); absent elsewhere. */
  transfers?: TransferStore;
}

export function createHandlers(deps: HandlerDeps) {
  return {
    'system.info': async () => readSystemInfo({ paths: deps.paths, exec: deps.exec, defaultRuntime: deps.defaultRuntime }),
    'system.events': (input, { signal }) => deps.events.follow({ sinceSeq: input.sinceSeq, filter: input.filter, signal }),
    ...createContainerHandlers(deps),
    ...createPodHandlers(deps),
    ...createImageHandlers(deps),
    ...createConsoleHandlers(deps),
    ...createSystemHandlers(deps),
    ...createRegistryHandlers(deps),
    ...createVolumeHandlers(deps),
  } satisfies Handlers<Contract>;
}
