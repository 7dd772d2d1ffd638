import { describe, expect, it } from 'vitest';
import { afterFailure, afterOpen, afterRefusal, initialConnectionState, unreachableAfterAttempts } from '../../../renderer/src/bridge/connection-state.ts';
import { describeConnection } from '../../../renderer/src/presenters/connection-presenters.ts';

describe('connection state', () => {
  it('says connecting for the first attempts, then unreachable', () => {
    let state = initialConnectionState;
    const seen: string[] = [];
    for (let i = 0; i < unreachableAfterAttempts; i++) {
      state = afterFailure(state, 0);
      seen.push(state.status);
    }
    expect(seen.slice(0, -1).every((s) => s === 'connecting')).toBe(true);
    expect(state.status).toBe('unreachable');
  });

  it('says reconnecting after a drop, however long it lasts', () => {
    let state = afterOpen();
    for (let i = 0; i < 10; i++) state = afterFailure(state, 0);
    expect(state.status).toBe('reconnecting');
    expect(state.attempt).toBe(10);
  });

  it('reports a refused connection as unreachable at once', () => {
    expect(afterRefusal(initialConnectionState, 0).status).toBe('unreachable');
  });

  it('resets the attempts when the socket opens', () => {
    expect(afterOpen()).toMatchObject({ status: 'connected', attempt: 0, everConnected: true });
  });
});

describe('describeConnection', () => {
  it('shows no banner while connected', () => {
    expect(describeConnection(afterOpen())).toMatchObject({ label: 'Connected', banner: null, tone: 'ok' });
  });

  it('warns that data may be stale while reconnecting', () => {
    const view = describeConnection(afterFailure(afterOpen(), 0));
    expect(view.label).toBe('Reconnecting…');
    expect(view.banner).toMatch(/out of date/);
  });

  it('points at the token when the host cannot be reached', () => {
    expect(describeConnection(afterRefusal(initialConnectionState, 0)).banner).toMatch(/podbay serve/);
  });
});
