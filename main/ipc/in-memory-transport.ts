// The third transport: a client and a connection joined in memory, for contract tests. Messages go
// through structuredClone so tests see exactly what a real transport could carry.
import { createPipeClient } from '../../shared/client.ts';
import type { PipeClient } from '../../shared/client.ts';
import { serveConnection } from './connection.ts';
import type { Connection } from './connection.ts';
import type { Router } from './router.ts';

export interface InMemoryPair {
  client: PipeClient;
  connection: Connection;
  close(): void;
}

export function createInMemoryPair(router: Router): InMemoryPair {
  // The client is created first; its sends are deferred, so `connection` exists by the time they run.
  const client: PipeClient = createPipeClient({
    send: (message) => queueMicrotask(() => connection.receive(structuredClone(message))),
  });
  const connection: Connection = serveConnection(router, (message) => queueMicrotask(() => client.receive(structuredClone(message))));
  return {
    client,
    connection,
    close() {
      connection.close();
      client.disconnect('closed');
    },
  };
}
