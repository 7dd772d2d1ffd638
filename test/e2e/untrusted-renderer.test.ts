// The renderer is untrusted: a page in Chromium, signed in to the real web host, calls every contract
// procedure with random and malicious payloads (and sends malformed frames) over the same socket the
// app uses. Every answer is a result or a typed error; the host never drops the connection for a
// payload, stays up, and serves the next honest request — the app page still works afterwards.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract.ts';
import type { Contract } from '../../shared/contract.ts';
import { errorCodes } from '../../shared/errors.ts';
import { pageErrors, useServedApp } from '../helpers/e2e-app.ts';
import { runPodbay } from '../helpers/e2e-host.ts';
import { hostileJson, shapedPayload } from '../helpers/hostile-payloads.ts';
import { recordSoak, scale } from '../helpers/soak.ts';

const app = useServedApp();

/**
 * Procedures whose valid inputs could reach past loopback (a pull, push, login or registry test naming
 * any host), run a command in a container made from any host path, or change the user's registry files
 * (registries.conf drop-in, certs.d, auth.json, which live outside the throw-away store): only payloads
 * their schema refuses are sent to these. Every other procedure gets whatever is generated.
 */
const refusedOnly = new Set(['images.pull', 'images.push', 'containers.create', 'registries.add', 'registries.remove', 'registries.test', 'registries.login', 'registries.logout']);

interface Reply {
  t: string;
  id: string;
  ok?: boolean;
  error?: { code: string; category: string; message: string };
}

describe('the web host with an untrusted renderer', () => {
  it('answers every procedure called with hostile payloads typed, and keeps serving', async () => {
    const paths = Object.keys(contract) as (keyof Contract & string)[];
    const messages: string[] = [];
    /** Valid stream requests (events, logs) stay open without a frame until something happens. */
    const openStreams = new Set<string>();
    for (const path of paths) {
      const def = contract[path];
      const inputs = fc.sample(fc.oneof(hostileJson, shapedPayload(def)), scale(25, 400)).filter((input) => !refusedOnly.has(path) || !def.input.safeParse(input).success);
      inputs.forEach((input, i) => {
        const id = `${path}#${i}`;
        if (def.kind === 'stream' && def.input.safeParse(input).success) openStreams.add(id);
        messages.push(JSON.stringify({ t: def.kind, id, path, input }));
      });
    }
    // Envelopes that are not the protocol at all.
    const junk = ['not json', '{"t":"call"}', '[]', 'null', '{"t":"call","id":"x","path":"__proto__","input":{}}', '{"t":"stream","id":"y","path":"constructor","input":{}}', '{"t":"cancel","id":{}}', JSON.stringify({ t: 'call', id: 'z'.repeat(1000), path: 'system.info', input: {} })];

    const page = await app.openApp();
    const outcome = await page.evaluate(
      async ({ messages, junk, openStreams, url }) => {
        const socket = new WebSocket(url);
        await new Promise<void>((resolve, reject) => {
          socket.onopen = () => resolve();
          socket.onerror = () => reject(new Error('socket refused'));
        });
        const replies: Reply[] = [];
        let closed = false;
        socket.onclose = () => (closed = true);
        socket.onmessage = (event) => replies.push(JSON.parse(String(event.data)) as Reply);
        const answeredProbe = async (id: string) => {
          socket.send(JSON.stringify({ t: 'call', id, path: 'system.info', input: {} }));
          for (let i = 0; i < 600 && !replies.some((r) => r.id === id); i++) await new Promise((r) => setTimeout(r, 50));
          return replies.find((r) => r.id === id)?.ok === true;
        };
        for (const text of junk) socket.send(text);
        socket.send(new Uint8Array([0, 1, 2, 255]));
        let probes = 0;
        for (let i = 0; i < messages.length; i++) {
          socket.send(messages[i] as string);
          if (i % 50 === 49) {
            probes++;
            if (!(await answeredProbe(`probe-${i}`))) return { replies, closed, probes, stuck: i };
          }
        }
        const finalProbe = await answeredProbe('probe-final');
        // Streams opened by payloads (events, logs) are cancelled; the socket closes cleanly after.
        for (const id of openStreams) socket.send(JSON.stringify({ t: 'cancel', id }));
        return { replies, closed, probes, stuck: finalProbe ? null : -1 };
      },
      { messages, junk, openStreams: [...openStreams], url: `${app.host.origin.replace('http', 'ws')}/ws` },
    );

    expect(outcome.closed, 'the host closed the connection').toBe(false);
    expect(outcome.stuck, 'the host stopped answering').toBeNull();
    const errors = outcome.replies.filter((r) => (r.t === 'result' && r.ok === false) || r.t === 'error');
    for (const reply of errors) expect(Object.hasOwn(errorCodes, reply.error?.code ?? ''), JSON.stringify(reply).slice(0, 300)).toBe(true);
    // Every payload got its answer (a result, an error, or a stream's first frame).
    const answered = new Set(outcome.replies.map((r) => r.id));
    const unanswered = messages.map((m) => (JSON.parse(m) as { id: string }).id).filter((id) => !answered.has(id) && !openStreams.has(id));
    expect(unanswered.slice(0, 10)).toEqual([]);
    const internal = errors.filter((r) => r.error?.code === 'ErrInternal');
    expect(internal.map((r) => `${r.id}: ${r.error?.message}`).slice(0, 10)).toEqual([]);
    recordSoak({ suite: 'untrusted renderer: every procedure through the real web host (Chromium)', hostileInputs: messages.length + junk.length + 1, typedErrors: errors.length, escapes: 0, crashes: internal.length });

    // The app page itself still works, and so does the store for another process.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'System' }).waitFor();
    expect(await page.getByRole('status', { name: 'Engine status' }).innerText()).toContain('Connected');
    expect(pageErrors(page).filter((e) => !/WebSocket|net::/.test(e))).toEqual([]);
    expect(runPodbay([...app.host.storeArgs, 'system', 'check', '--format', 'json'])).toContain('"issues"');
  }, scale(120_000, 1_800_000));
});
