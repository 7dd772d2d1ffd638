// The one contract between the UI (Electron or browser) and main. Each domain keeps its procedures
// in shared/contract/<domain>.ts; this file only joins them.
import type { ContractShape } from './contract/define.ts';
import { systemProcedures } from './contract/system.ts';
import { containerProcedures } from './contract/containers.ts';
import { podProcedures } from './contract/pods.ts';
import { imageProcedures } from './contract/images.ts';
import { consoleProcedures } from './contract/console.ts';
import { networkProcedures } from './contract/networks.ts';
import { registryProcedures } from './contract/registries.ts';
import { containerFileProcedures } from './contract/container-files.ts';
import { transferProcedures } from './contract/transfers.ts';
import { volumeProcedures } from './contract/volumes.ts';
import { kubeProcedures } from './contract/kube.ts';

export const contract = {
  ...systemProcedures,
  ...containerProcedures,
  ...podProcedures,
  ...imageProcedures,
  ...consoleProcedures,
  ...networkProcedures,
  ...registryProcedures,
  ...containerFileProcedures,
  ...transferProcedures,
  ...volumeProcedures,
  ...kubeProcedures,
} satisfies ContractShape;

export type Contract = typeof contract;
export type ProcedurePath = keyof Contract & string;
