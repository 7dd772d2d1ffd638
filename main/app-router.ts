// The contract's router over an app context: what the Electron window and the web host serve.
import { contract } from '../shared/contract.ts';
import type { AppContext } from './app-context.ts';
import type { TransferStore } from './core/transfer-store.ts';
import { createHandlers } from './ipc/handlers.ts';
import { createRouter } from './ipc/router.ts';
import type { Router } from './ipc/router.ts';

/** `transfers`: where the web host keeps uploads and downloads (file procedures need it). */
export function createAppRouter(context: AppContext & { transfers?: TransferStore }): Router {
  return createRouter(contract, createHandlers(context));
}
