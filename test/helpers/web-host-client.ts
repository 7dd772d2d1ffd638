// A script's client of the web host, from Node: the same WebSocket and wire messages as the browser
// (shared/wire.ts), authorised with the bearer token `podbay serve` printed. For tests that drive a
// served engine from the test process (load, faults under a running app).
import { WebSocket } from 'ws';
import type { ErrorData } from '../../shared/errors.ts';

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: ErrorData };

export interface WebHostClient {
  call(path: string, input: unknown): Promise<CallOutcome>;
  /** Sends any text frame as it is (hostile-input tests). */
  sendRaw(text: string): void;
  close(): void;
}

export async function connectWebHost(origin: string, token: string): Promise<WebHostClient> {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws`, { headers: { authorization: `Bearer ${token}`, origin } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Map<string, (outcome: CallOutcome) => void>();
  let next = 0;
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { t: string; id: string; ok?: boolean; value?: unknown; error?: ErrorData };
    if (message.t !== 'result') return;
    const resolve = pending.get(message.id);
    pending.delete(message.id);
    resolve?.(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error as ErrorData });
  });
  ws.on('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'ErrCanceled', category: 'canceled', message: 'connection closed' } });
    pending.clear();
  });
  return {
    call: (path, input) =>
      new Promise((resolve) => {
        const id = `c${next++}`;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ t: 'call', id, path, input }));
      }),
    sendRaw: (text) => ws.send(text),
    close: () => ws.close(),
  };
}
