// Every IPC input schema fuzzed with fast-check (the renderer is untrusted): random values, and objects
// built from each schema's own keys with random values so many get past the first checks. The schema
// never throws, and through the router and a connection every message — random envelopes included —
// is answered with a result or a typed error; the connection serves the next request after each.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract.ts';
import type { Contract } from '../../shared/contract.ts';
import type { Handlers } from '../../shared/contract/define.ts';
import { errorCodes } from '../../shared/errors.ts';
import type { ServerMessage } from '../../shared/wire.ts';
import { serveConnection } from '../../main/ipc/connection.ts';
import { createRouter } from '../../main/ipc/router.ts';
import { hostileValues, shapedPayload } from '../helpers/hostile-payloads.ts';
import { recordSoak, scale } from '../helpers/soak.ts';

const paths = Object.keys(contract) as (keyof Contract & string)[];
const stats = { inputs: 0, typed: 0, accepted: 0, untyped: 0 };

/** Handlers that accept whatever the router lets through, and note that they were reached. */
const reached: string[] = [];
const stubHandlers = new Proxy(
  {},
  {
    get: (_target, path: string) =>
      contract[path as keyof Contract].kind === 'call'
        ? async (input: unknown) => {
            reached.push(path);
            JSON.stringify(input);
            return { ok: true };
          }
        : async function* (input: unknown) {
            reached.push(path);
            JSON.stringify(input);
            yield* [];
          },
  },
) as Handlers<Contract>;

const hostile = hostileValues;
const shaped = (path: string) => shapedPayload(contract[path as keyof Contract], hostileValues);

describe('every IPC input schema', () => {
  afterAll(() => {
    recordSoak({ suite: 'fuzz: every IPC input schema (router + connection)', hostileInputs: stats.inputs, typedErrors: stats.typed, escapes: 0, crashes: stats.untyped, notes: `${stats.accepted} inputs valid for their procedure` });
  });

  it.each(paths)('%s: the schema never throws, and the router answers typed', async (path) => {
    const router = createRouter(contract, stubHandlers);
    const kind = contract[path].kind;
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostile, shaped(path)), async (input) => {
        stats.inputs++;
        const parsed = contract[path].input.safeParse(input);
        try {
          if (kind === 'call') await router.call(path, input, new AbortController().signal);
          else for await (const _ of router.stream(path, input, new AbortController().signal)) void _;
          expect(parsed.success).toBe(true);
          stats.accepted++;
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (typeof code !== 'string' || !Object.hasOwn(errorCodes, code)) {
            stats.untyped++;
            throw error;
          }
          expect(code).toBe('ErrInvalidArg');
          expect(parsed.success).toBe(false);
          stats.typed++;
        }
      }),
      { numRuns: scale(60, 2_000) },
    );
  }, 120_000);

  it('answers random envelopes on a connection typed, and keeps serving', async () => {
    const router = createRouter(contract, stubHandlers);
    const sent: ServerMessage[] = [];
    const connection = serveConnection(router, (message) => sent.push(message));
    const envelope = fc.oneof(
      hostile,
      fc.record({ t: fc.constantFrom('call', 'stream', 'cancel', 'result', 'data'), id: fc.oneof(fc.string({ maxLength: 100 }), hostile), path: fc.oneof(fc.constantFrom(...paths), fc.string({ maxLength: 200 })), input: hostile }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (message) => {
        stats.inputs++;
        const before = sent.length;
        connection.receive(message);
        await new Promise((resolve) => setImmediate(resolve));
        for (const reply of sent.slice(before)) {
          if ((reply.t === 'result' && !reply.ok) || reply.t === 'error') {
            expect(Object.hasOwn(errorCodes, reply.error.code)).toBe(true);
            stats.typed++;
          }
        }
        // The next honest request is still served.
        const mark = sent.length;
        connection.receive({ t: 'call', id: 'probe', path: 'system.info', input: {} });
        await new Promise((resolve) => setImmediate(resolve));
        expect(sent.slice(mark)).toContainEqual({ t: 'result', id: 'probe', ok: true, value: { ok: true } });
      }),
      { numRuns: scale(300, 20_000) },
    );
    connection.close();
  }, 120_000);
});
