// The contract's router over an app context: what the Electron window and the web host serve.
import { contract } from '../shared/contract.ts';
import type { AppContext } from './app-context.ts';
import { createHandlers } from './ipc/handlers.ts';
import { createRouter } from './ipc/router.ts';
import type { Router } from './ipc/router.ts';

export function createAppRouter(context: AppContext): Router {
  return createRouter(contract, createHandlers(context));
}
