// Follows one payment request for a flow: pushed by the core's SSE stream (an extension of the
// contract) where it is offered, polled every second otherwise, as Centrapay asks of terminals.
//
//   stream open ─────────────▶ 'live'          (polls paused)
//   stream unavailable/drops ─▶ poll at once and every pollIntervalMs, meanwhile:
//        a poll answers ──────▶ 'polling'
//        a poll fails ────────▶ 'reconnecting'
//   and the stream is tried again with capped, jittered backoff, unless the core said it does
//   not stream at all (then polling is the way for good).
//
// A refused poll (a 401 or 403) counts as a failed one: the watch keeps trying, and the flow
// that started it ends it at its own deadline (5-10 s after expiresAt, spec/terminal.md).
import { followEventStream } from './event-stream.ts';
import { attemptCall, describeError, parseJson, type Endpoint } from './http-call.ts';
import type { PaymentApiLogger } from './logger.ts';
import { createChangeFilter } from './model-changes.ts';
import type { WatchHandlers, WatchMode } from './payment-api.ts';
import { backoffDelay, type BackoffPolicy, type Sleep } from './retry.ts';
import { readPaymentRequest } from './wire-checks.ts';
import type { PaymentRequest } from './wire.ts';

/** The name of the core's event that carries the request model (core/payment-requests/events-route.ts). */
const MODEL_EVENT = 'payment-request';

export interface WatchSettings {
  endpoint: Endpoint;
  pollIntervalMs: number;
  /** Delays between attempts to reopen the stream. */
  reconnect: BackoffPolicy;
  /** A stream silent for this long is taken for dead (the core's heartbeat comes every 15 s). */
  streamIdleTimeoutMs: number;
  sleep: Sleep;
  random: () => number;
  logger: PaymentApiLogger;
}

/** Starts watching; the returned function stops every request, timer and loop it started. */
export function watchPaymentRequest(
  id: string,
  handlers: WatchHandlers,
  settings: WatchSettings,
): () => void {
  const stopped = new AbortController();
  const log = settings.logger.child({ paymentRequestId: id });
  const path = `/api/payment-requests/${encodeURIComponent(id)}`;
  const isNews = createChangeFilter();
  let mode: WatchMode | undefined;
  let live = false;

  // A consumer's exception must not end the watch it is being told about.
  const notify = (what: string, call: () => void) => {
    try {
      call();
    } catch (error) {
      log.error({ err: error }, `watch ${what} handler threw`);
    }
  };
  const deliver = (model: PaymentRequest) => {
    if (!stopped.signal.aborted && isNews(model))
      notify('onChange', () => handlers.onChange(model));
  };
  const report = (next: WatchMode) => {
    if (stopped.signal.aborted || next === mode) return;
    if (next === 'reconnecting')
      log.warn({}, 'payment request watch: neither stream nor poll answers');
    mode = next;
    notify('onMode', () => handlers.onMode(next));
  };

  const poller = createPoller(
    async (signal) => {
      try {
        const model = await attemptCall(
          settings.endpoint,
          { method: 'GET', path, read: readPaymentRequest },
          signal,
        );
        if (!live) report('polling');
        deliver(model);
      } catch (error) {
        if (signal.aborted) return;
        log.debug({ err: describeError(error) }, 'payment request poll failed');
        if (!live) report('reconnecting');
      }
    },
    settings,
    stopped.signal,
  );

  const followStream = async () => {
    for (let failures = 0; !stopped.signal.aborted;) {
      let received = false;
      const end = await followEventStream(
        settings.endpoint,
        `${path}/events`,
        {
          onOpen() {
            live = true;
            poller.stop();
            report('live');
          },
          onEvent(event, data) {
            if (event !== MODEL_EVENT) return;
            const model = readPaymentRequest(parseJson(data));
            // A stream that carries something unreadable is no better than none.
            if (model === undefined) throw new Error(`unreadable ${MODEL_EVENT} event`);
            received = true;
            deliver(model);
          },
        },
        settings.streamIdleTimeoutMs,
        stopped.signal,
      );
      live = false;
      if (end.kind === 'stopped') return;
      // A stream that delivered something was healthy: the next drop starts the backoff afresh.
      if (received) failures = 0;
      poller.start();
      if (end.kind === 'unsupported') {
        log.info({ detail: end.detail }, 'the core does not stream payment requests; polling');
        return;
      }
      const delayMs = backoffDelay(failures++, settings.reconnect, settings.random);
      log.warn(
        { end: end.kind, detail: end.detail, delayMs },
        'payment request stream closed; polling while it reconnects',
      );
      await settings.sleep(delayMs, stopped.signal);
    }
  };
  followStream().catch((error: unknown) => {
    if (!stopped.signal.aborted) log.error({ err: error }, 'payment request watch failed');
  });

  return () => {
    stopped.abort();
    poller.stop();
  };
}

interface Poller {
  /** Polls at once, then every interval, until stopped; does nothing when already polling. */
  start(): void;
  stop(): void;
}

function createPoller(
  pollOnce: (signal: AbortSignal) => Promise<void>,
  settings: Pick<WatchSettings, 'pollIntervalMs' | 'sleep' | 'logger'>,
  stopped: AbortSignal,
): Poller {
  let running: AbortController | undefined;
  return {
    start() {
      if (running !== undefined || stopped.aborted) return;
      const run = new AbortController();
      running = run;
      const signal = AbortSignal.any([stopped, run.signal]);
      const loop = async () => {
        while (!signal.aborted) {
          await pollOnce(signal);
          // The pause runs from the end of one poll, so a slow core is never asked twice at once.
          await settings.sleep(settings.pollIntervalMs, signal);
        }
      };
      loop().catch((error: unknown) => {
        if (!signal.aborted)
          settings.logger.error({ err: error }, 'payment request polling failed');
      });
    },
    stop() {
      running?.abort();
      running = undefined;
    },
  };
}
