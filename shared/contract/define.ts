import type { z } from 'zod';

/**
 * A procedure of the contract. `call`: one input, one output. `stream`: one input, then frames
 * `data | end | error` until the stream ends or the caller cancels. Inputs carry a zod schema that
 * the router checks before any handler runs; outputs are typed only (they come from our own core).
 */
export interface CallDef<I extends z.ZodType, O> {
  readonly kind: 'call';
  readonly input: I;
  /** Phantom: never read at run time, it carries the output type. */
  readonly output?: O;
}

export interface StreamDef<I extends z.ZodType, D> {
  readonly kind: 'stream';
  readonly input: I;
  /** Phantom: the type of each data frame. */
  readonly data?: D;
}

export type ProcedureDef = CallDef<z.ZodType, unknown> | StreamDef<z.ZodType, unknown>;
export type ContractShape = Record<string, ProcedureDef>;

/** `call<Output>()(inputSchema)`: curried so the output type can be named while the input is inferred. */
export function call<O>() {
  return <I extends z.ZodType>(input: I): CallDef<I, O> => ({ kind: 'call', input });
}

export function stream<D>() {
  return <I extends z.ZodType>(input: I): StreamDef<I, D> => ({ kind: 'stream', input });
}

export type InputOf<P> = P extends CallDef<infer I, unknown> ? z.input<I> : P extends StreamDef<infer I, unknown> ? z.input<I> : never;
export type ParsedInputOf<P> = P extends CallDef<infer I, unknown> ? z.output<I> : P extends StreamDef<infer I, unknown> ? z.output<I> : never;
export type OutputOf<P> = P extends CallDef<z.ZodType, infer O> ? O : never;
export type DataOf<P> = P extends StreamDef<z.ZodType, infer D> ? D : never;

export type CallPaths<C extends ContractShape> = { [K in keyof C]: C[K] extends CallDef<z.ZodType, unknown> ? K : never }[keyof C] & string;
export type StreamPaths<C extends ContractShape> = { [K in keyof C]: C[K] extends StreamDef<z.ZodType, unknown> ? K : never }[keyof C] & string;

/** What a handler receives beside its input. `signal` aborts when the caller cancels or goes away. */
export interface HandlerContext {
  readonly signal: AbortSignal;
  /**
   * The connection the request came on (a window, a WebSocket, a test pipe): an opaque key, the same
   * object for every request of that connection, so state a stream opens (a console session) can be
   * refused to other connections. Absent when the router is used directly (CLI, tests).
   */
  readonly connection?: object;
}

/**
 * The implementation of a contract: one function per procedure. Declaring the handlers object with
 * `satisfies Handlers<typeof contract>` makes a missing or mistyped handler a compile error.
 */
export type Handlers<C extends ContractShape> = {
  [K in keyof C]: C[K] extends CallDef<z.ZodType, infer O>
    ? (input: ParsedInputOf<C[K]>, ctx: HandlerContext) => Promise<O>
    : C[K] extends StreamDef<z.ZodType, infer D>
      ? (input: ParsedInputOf<C[K]>, ctx: HandlerContext) => AsyncIterable<D>
      : never;
};
