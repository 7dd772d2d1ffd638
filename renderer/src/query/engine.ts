// Everything the renderer needs to talk to the engine, assembled once at start-up: the typed client,
// the query layer, the event hub, and the rules that connect them (an event refetches the queries it
// names; coming back after a dropped connection refetches everything watched).
import type { PodbayBridge } from '../../../shared/bridge.ts';
import { typedClient } from '../../../shared/client.ts';
import type { TypedClient } from '../../../shared/client.ts';
import type { ConnectionMonitor } from '../bridge/connection-state.ts';
import { EventHub } from './event-hub.ts';
import { invalidationRules, pathsToInvalidate } from './event-invalidation.ts';
import type { InvalidationRule } from './event-invalidation.ts';
import { QueryClient } from './query-client.ts';

export interface Engine {
  readonly client: TypedClient;
  readonly queries: QueryClient;
  readonly events: EventHub;
  readonly connection: ConnectionMonitor;
  /** How this window reaches the engine (the sidebar says so). */
  readonly transport: 'electron' | 'websocket';
  /** Stops the event subscription and the connection listener. */
  dispose(): void;
}

export interface EngineOptions {
  transport?: 'electron' | 'websocket';
  rules?: readonly InvalidationRule[];
}

export function createEngine(bridge: PodbayBridge, connection: ConnectionMonitor, options: EngineOptions = {}): Engine {
  const { transport = 'websocket', rules = invalidationRules } = options;
  const client = typedClient(bridge);
  const queries = new QueryClient((path, input) => bridge.call(path, input));
  const events = new EventHub(client);
  const stopInvalidation = events.onEvent((event) => queries.invalidate(pathsToInvalidate(event, rules)));

  let wasConnected = connection.get().status === 'connected';
  let connectedBefore = wasConnected;
  const stopConnection = connection.subscribe(() => {
    const connected = connection.get().status === 'connected';
    // The first connection delivers the queued calls; only a later one needs fresh data.
    if (connected && !wasConnected && connectedBefore) queries.invalidateAll();
    if (connected) connectedBefore = true;
    wasConnected = connected;
  });

  events.start();
  return {
    client,
    queries,
    events,
    connection,
    transport,
    dispose() {
      stopInvalidation();
      stopConnection();
      events.close();
    },
  };
}
