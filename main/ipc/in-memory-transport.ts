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
  let connection: Connection | undefined;
  const client = createPipeClient({
    send: (message) => queueMicrotask(() => connection?.receive(structuredClone(message))),
  });
  connection = serveConnection(router, (message) => queueMicrotask(() => client.receive(structuredClone(message))));
  return {
    client,
    connection,
    close() {
      connection?.close();
      client.disconnect('closed');
    },
  };
}
