// watch() against a server that plays the core badly: a stream that is refused, carries garbage
// or falls silent, polls that fail and recover, and stopping in the middle of all of it.
import { afterEach, describe, expect, it } from 'vitest';
import { createPaymentApiClient } from './client.ts';
import { sleep, type Sleep } from './retry.ts';
import { paymentRequestModel } from './testing/models.ts';
import {
  startScriptedServer,
  type Script,
  type ScriptedServer,
} from './testing/scripted-server.ts';
import { pause, WatchRecorder } from './testing/watch-recorder.ts';

const ID = 'pr_test';
const fresh = paymentRequestModel({ id: ID });
const paid = paymentRequestModel({ id: ID, status: 'paid', updatedAt: '2026-11-25T09:00:40.000Z' });
const isStream = (url: string) => url === `/api/payment-requests/${ID}/events`;
const isPoll = (url: string) => url === `/api/payment-requests/${ID}`;

describe('watching a payment request through faults', () => {
  let server: ScriptedServer | undefined;
  let stop: (() => void) | undefined;
  afterEach(async () => {
    stop?.();
    stop = undefined;
    await server?.close();
    server = undefined;
  });

  async function watch(script: Script, streamIdleTimeoutMs = 45_000) {
    server = await startScriptedServer(script);
    const api = createPaymentApiClient({
      baseUrl: server.url,
      apiKey: 'terminal-key',
      timeoutMs: 200,
      pollIntervalMs: 50,
      streamReconnect: { initialMs: 100, maxMs: 100 },
      streamIdleTimeoutMs,
    });
    const recorder = new WatchRecorder();
    stop = api.watch(ID, recorder);
    return recorder;
  }
  const count = (match: (url: string) => boolean) =>
    (server?.requests ?? []).filter((request) => match(request.url)).length;

  it('says reconnecting while neither answers, polling once polls do, live once the stream does', async () => {
    let phase: 'down' | 'polls' | 'stream' = 'down';
    const recorder = await watch((request) => {
      if (phase === 'down') return { kind: 'json', status: 502, body: {} };
      if (!isStream(request.url)) return { kind: 'json', body: fresh };
      return phase === 'stream'
        ? { kind: 'sse', events: [paid] }
        : { kind: 'json', status: 503, body: {} };
    });
    await recorder.until(() => recorder.modes.includes('reconnecting'));
    expect(recorder.changes).toEqual([]);

    phase = 'polls';
    await recorder.until(() => recorder.modes.includes('polling'));
    expect(recorder.statuses).toEqual(['new']);

    phase = 'stream';
    await recorder.until(() => recorder.modes.includes('live'));
    await recorder.until(() => recorder.statuses.includes('paid'));
    expect(recorder.modes).toEqual(['reconnecting', 'polling', 'live']);
    expect(recorder.statuses).toEqual(['new', 'paid']);
    // A 502 or 503 is passing trouble (unlike a 404): the stream was asked for again.
    expect(count(isStream)).toBeGreaterThanOrEqual(2);
  });

  it('polls for good when the stream answers with something other than an event stream', async () => {
    const recorder = await watch(() => ({ kind: 'json', body: fresh }));
    await recorder.until(() => count(isPoll) >= 3);
    expect(recorder.modes).toEqual(['polling']);
    expect(recorder.statuses).toEqual(['new']);
    expect(count(isStream)).toBe(1);
  });

  it('drops a stream that carries an unreadable event, and delivers nothing of it', async () => {
    let streams = 0;
    const recorder = await watch((request) => {
      if (!isStream(request.url)) return { kind: 'json', body: fresh };
      streams += 1;
      return streams === 1
        ? { kind: 'sse', events: [fresh, { raw: '{"id":"pr_test","status":"pa' }] }
        : { kind: 'sse', events: [fresh] };
    });
    await recorder.until(() => recorder.modes.join() === 'live,polling,live');
    expect(recorder.statuses).toEqual(['new']);
    expect(streams).toBe(2);
  });

  it('reopens a stream that falls silent', async () => {
    const recorder = await watch(
      (request) =>
        isStream(request.url) ? { kind: 'sse', events: [] } : { kind: 'json', body: fresh },
      150,
    );
    // Silent for 150 ms: taken for dead, polled meanwhile, reopened.
    await recorder.until(() => recorder.modes.length >= 3, 2_000);
    expect(recorder.modes.slice(0, 3)).toEqual(['live', 'polling', 'live']);
    expect(count(isStream)).toBeGreaterThanOrEqual(2);
    expect(recorder.statuses).toEqual(['new']);
  });

  it('stops every request and tells nothing more once stopped, even mid-poll', async () => {
    const recorder = await watch((request) =>
      isStream(request.url) ? { kind: 'json', status: 404, body: {} } : { kind: 'hang' },
    );
    await recorder.until(() => count(isPoll) === 1);
    stop?.();
    const seen = server?.requests.length;
    await pause(500);
    expect(server?.requests.length).toBe(seen);
    expect(recorder.modes).toEqual([]);
    expect(recorder.changes).toEqual([]);
  });

  it('aborts the poll in flight and the pending reconnect wait when stopped', async () => {
    server = await startScriptedServer((request) =>
      isStream(request.url) ? { kind: 'json', status: 503, body: {} } : { kind: 'hang' },
    );
    // The real sleep, counted: a wait left pending after stop would be a timer left running.
    let pendingWaits = 0;
    const countedSleep: Sleep = async (ms, signal) => {
      pendingWaits += 1;
      try {
        await sleep(ms, signal);
      } finally {
        pendingWaits -= 1;
      }
    };
    const api = createPaymentApiClient({
      baseUrl: server.url,
      apiKey: 'terminal-key',
      timeoutMs: 10_000,
      streamReconnect: { initialMs: 10_000, maxMs: 10_000 },
      sleep: countedSleep,
    });
    const recorder = new WatchRecorder();
    const stopWatch = api.watch(ID, recorder);
    // The stream was refused and its reconnect is waiting; a poll hangs.
    await recorder.until(() => count(isPoll) === 1 && pendingWaits === 1);
    stopWatch();
    await recorder.until(
      () => pendingWaits === 0 && (server?.requests ?? []).every((seen) => seen.closed),
    );
    expect(count(isStream)).toBe(1);
    expect(recorder.modes).toEqual([]);
  });
});
