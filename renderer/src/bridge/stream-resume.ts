// How a stream continues after the WebSocket comes back. Most streams restart with the same input;
// `system.events` asks for what was recorded after the last event it saw, so nothing is lost or
// repeated across a reconnect (the event log's `seq` is made for this).

export type ResumeInput = (input: unknown, lastData: unknown) => unknown;

export const streamResumers: Readonly<Record<string, ResumeInput>> = {
  'system.events': (input, lastData) => {
    const seq = (lastData as { seq?: unknown } | undefined)?.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return input;
    return { ...(input as Record<string, unknown>), sinceSeq: seq };
  },
};

/** The input to re-open a stream with, given the last data frame it delivered (if any). */
export function resumeInput(path: string, input: unknown, lastData: unknown, hasData: boolean, resumers: Readonly<Record<string, ResumeInput>> = streamResumers): unknown {
  const resume = Object.hasOwn(resumers, path) ? resumers[path] : undefined;
  return resume && hasData ? resume(input, lastData) : input;
}
