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
import { createNetworkHandlers } from './handlers/networks.ts';
import { createSystemHandlers } from './handlers/system.ts';
import { createRegistryHandlers } from './handlers/registries.ts';
import type { RegistryFiles } from '../core/image/registry-settings.ts';
import { createContainerFileHandlers } from './handlers/container-files.ts';
import { Transfers, createTransferHandlers } from './handlers/transfers.ts';
import { createVolumeHandlers } from './handlers/volumes.ts';
import { createKubeHandlers } from './handlers/kube.ts';

export interface HandlerDeps {
  /** Defaults → podbay.conf → global flags: registries, storage, runtime. */
  config: ResolvedRuntimeConfig;
  paths: RuntimePaths;
  exec: Exec;
  events: EventLog;
  defaultRuntime: string;
  /** registries.conf, auth.json and certs.d paths; default: the user's (tests use a temp dir). */
  registryFiles?: RegistryFiles;
}

export function createHandlers(deps: HandlerDeps) {
  /** The chunked file transfers open on this router, shared by every procedure that moves a file. */
  const transfers = new Transfers();
  return {
    'system.info': async () => readSystemInfo({ paths: deps.paths, exec: deps.exec, defaultRuntime: deps.defaultRuntime }),
    'system.events': (input, { signal }) => deps.events.follow({ sinceSeq: input.sinceSeq, filter: input.filter, signal }),
    ...createContainerHandlers(deps),
    ...createPodHandlers(deps),
    ...createImageHandlers(deps, transfers),
    ...createConsoleHandlers(deps),
    ...createNetworkHandlers(deps),
    ...createSystemHandlers(deps),
    ...createRegistryHandlers(deps),
    ...createContainerFileHandlers(deps, transfers),
    ...createTransferHandlers(transfers),
    ...createVolumeHandlers(deps),
    ...createKubeHandlers(deps),
  } satisfies Handlers<Contract>;
}
