// One router for every transport. It owns the two rules of the boundary: input is validated against
// the contract's schema before any handler runs, and errors leave as typed data.
import type { z } from 'zod';
import type { ContractShape, HandlerContext, Handlers } from '../../shared/contract/define.ts';
import { PodbayError } from '../../shared/errors.ts';

export interface Router {
  /** Validates and runs a call. Rejects with PodbayError (ErrInvalidArg for bad paths or input). */
  call(path: string, input: unknown, signal: AbortSignal, connection?: object): Promise<unknown>;
  /** Validates and opens a stream; validation errors are thrown before the first frame. */
  stream(path: string, input: unknown, signal: AbortSignal, connection?: object): AsyncIterable<unknown>;
}

export function createRouter<C extends ContractShape>(contract: C, handlers: Handlers<C>): Router {
  const lookup = (path: string, kind: 'call' | 'stream', input: unknown) => {
    const def = Object.hasOwn(contract, path) ? contract[path] : undefined;
    if (!def) throw new PodbayError('ErrInvalidArg', `unknown procedure ${JSON.stringify(path.slice(0, 128))}`);
    if (def.kind !== kind) throw new PodbayError('ErrInvalidArg', `${path} is a ${def.kind}, not a ${kind}`);
    const handler = handlers[path] as unknown as (input: unknown, ctx: HandlerContext) => unknown;
    return { input: parseInput(path, def.input, input), handler };
  };

  return {
    async call(path, input, signal, connection) {
      const { input: parsed, handler } = lookup(path, 'call', input);
      return await (handler(parsed, connection ? { signal, connection } : { signal }) as Promise<unknown>);
    },
    stream(path, input, signal, connection) {
      const { input: parsed, handler } = lookup(path, 'stream', input);
      return handler(parsed, connection ? { signal, connection } : { signal }) as AsyncIterable<unknown>;
    },
  };
}

function parseInput(path: string, schema: z.ZodType, input: unknown): unknown {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
  throw new PodbayError('ErrInvalidArg', `invalid input for ${path}: ${issues}`);
}
