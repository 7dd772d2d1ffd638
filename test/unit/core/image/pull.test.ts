import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../../shared/errors.ts';
import { pullImage } from '../../../../main/core/image/pull.ts';
import { parseRegistriesConf } from '../../../../main/core/image/registries-conf.ts';
import { makeTempStore } from '../../../helpers/temp-store.ts';
import type { TempStore } from '../../../helpers/temp-store.ts';

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

// These refusals happen before any network traffic: the injected fetch fails the test if called.
const noNetwork = (() => {
  throw new Error('no request may be sent');
}) as unknown as typeof fetch;

describe('pullImage refusals before any request', () => {
  let store: TempStore;
  beforeEach(() => {
    store = makeTempStore();
  });
  afterEach(() => store.cleanup());

  it('never contacts a registry for localhost/ images', async () => {
    expect(hasCode(await errorOf(pullImage('localhost/busybox', { graphRoot: store.root, fetch: noNetwork })), 'ErrNoSuchImage')).toBe(true);
  });

  it('refuses blocked registries, malformed references and short names with nowhere to go', async () => {
    const conf = parseRegistriesConf('[[registry]]\nlocation = "blocked.example"\nblocked = true\n');
    expect(hasCode(await errorOf(pullImage('blocked.example/x', { graphRoot: store.root, registriesConf: conf, fetch: noNetwork })), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(await errorOf(pullImage('UPPER/case', { graphRoot: store.root, fetch: noNetwork })), 'ErrInvalidArg')).toBe(true);
    expect(hasCode(await errorOf(pullImage('busybox', { graphRoot: store.root, fetch: noNetwork })), 'ErrInvalidArg')).toBe(true);
  });
});
