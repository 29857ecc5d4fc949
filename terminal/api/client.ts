// The kiosk's HTTP client of the payment API (spec/payment-api.md). It speaks HTTP even to the
// embedded core, so the same kiosk works against a remote core unchanged. Every call gets a
// timeout, and a call whose outcome is unknown is retried with the very same body: money-moving
// calls carry an idempotency key (made here when the caller gave none), so a retry can never act
// twice. See retry.ts for what is retried and http-call.ts for how a reply is judged.
import { randomUUID } from 'node:crypto';
import { attemptCall, type ApiCall, type Endpoint, type FetchFunction } from './http-call.ts';
import { silentLogger, type PaymentApiLogger } from './logger.ts';
import type { PaymentApi } from './payment-api.ts';
import { watchPaymentRequest } from './request-watcher.ts';
import { sleep as realSleep, withRetries, type BackoffPolicy, type Sleep } from './retry.ts';
import { listReader, readActivity, readPaymentRequest } from './wire-checks.ts';

export interface PaymentApiClientOptions {
  /** e.g. `http://127.0.0.1:4010`; a path prefix is kept. */
  baseUrl: string;
  /** Sent as `X-Api-Key` on every call; never logged. */
  apiKey: string;
  /** Limit for each attempt of each call, body included. Default 5000 ms. */
  timeoutMs?: number;
  /** Automatic retries after a first attempt whose outcome is unknown. Default 2. */
  retries?: number;
  /** Delays between those retries. Default `{ initialMs: 250, maxMs: 2000 }`. */
  retryBackoff?: BackoffPolicy;
  /** `watch` polls this often when the stream is unavailable. Default 1000 ms (Centrapay's ask). */
  pollIntervalMs?: number;
  /** Delays between attempts to reopen a watch's stream. Default `{ initialMs: 1000, maxMs: 30000 }`. */
  streamReconnect?: BackoffPolicy;
  /** A watch's stream silent this long is reopened. Default 45000 ms (three heartbeats of the core). */
  streamIdleTimeoutMs?: number;
  /** pino or compatible; the client logs under the child `{ module: 'payment-api' }`. Default: silent. */
  logger?: PaymentApiLogger;
  /** Default: the global fetch. */
  fetch?: FetchFunction;
  /** Default: a timer. Tests pass one that records the delays and returns at once. */
  sleep?: Sleep;
  /** Jitter source in [0, 1). Default: Math.random. */
  random?: () => number;
}

export function createPaymentApiClient(options: PaymentApiClientOptions): PaymentApi {
  const endpoint: Endpoint = {
    baseUrl: checkBaseUrl(options.baseUrl),
    apiKey: checkApiKey(options.apiKey),
    timeoutMs: positive('timeoutMs', options.timeoutMs ?? 5_000),
    fetch: options.fetch ?? globalThis.fetch,
  };
  const logger = (options.logger ?? silentLogger).child({ module: 'payment-api' });
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const retries = options.retries ?? 2;
  if (!Number.isInteger(retries) || retries < 0)
    throw new TypeError(`retries must be a whole number >= 0, got ${retries}`);
  const retryPolicy = {
    retries,
    backoff: checkBackoff('retryBackoff', options.retryBackoff ?? { initialMs: 250, maxMs: 2_000 }),
    sleep,
    random,
  };
  const watchSettings = {
    endpoint,
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs ?? 1_000),
    reconnect: checkBackoff(
      'streamReconnect',
      options.streamReconnect ?? { initialMs: 1_000, maxMs: 30_000 },
    ),
    streamIdleTimeoutMs: positive('streamIdleTimeoutMs', options.streamIdleTimeoutMs ?? 45_000),
    sleep,
    random,
    logger,
  };

  const call = <T>(request: ApiCall<T>): Promise<T> =>
    withRetries(
      () => attemptCall(endpoint, request),
      retryPolicy,
      { method: request.method, path: request.path },
      logger,
    );
  const get = <T>(path: string, read: ApiCall<T>['read']) => call({ method: 'GET', path, read });
  // Serialised once here: every attempt of this operation sends these bytes.
  const post = <T>(path: string, body: object, read: ApiCall<T>['read']) =>
    call({ method: 'POST', path, body: JSON.stringify(body), read });
  const requestPath = (id: string) => `/api/payment-requests/${encodeURIComponent(id)}`;

  return {
    createPaymentRequest: (body) =>
      post('/api/payment-requests', withIdempotencyKey(body), readPaymentRequest),
    getPaymentRequest: (id) => get(requestPath(id), readPaymentRequest),
    getByShortCode: (shortCode) =>
      get(`/api/payment-requests/short-code/${encodeURIComponent(shortCode)}`, readPaymentRequest),
    listByExternalRef: (externalRef) =>
      get(
        `/api/payment-requests/external-ref/${encodeURIComponent(externalRef)}`,
        listReader(readPaymentRequest),
      ),
    listActivities: (id) => get(`${requestPath(id)}/activities`, listReader(readActivity)),
    pay: (id, body) => post(`${requestPath(id)}/pay`, withIdempotencyKey(body), readActivity),
    void: (id, idempotencyKey) => post(`${requestPath(id)}/void`, { idempotencyKey }, readActivity),
    // Refunds are idempotent by externalRef, as in Centrapay: the body already carries it.
    refund: (id, body) => post(`${requestPath(id)}/refund`, body, readActivity),
    confirm: (id, body) => post(`${requestPath(id)}/confirm`, body, readActivity),
    release: (id, idempotencyKey) =>
      post(`${requestPath(id)}/release`, { idempotencyKey }, readActivity),
    watch: (id, handlers) => watchPaymentRequest(id, handlers, watchSettings),
  };
}

/**
 * Stripe gives every POST a key by default (RequestSender._defaultIdempotencyKey): without one, a
 * create or pay retried after a lost reply could act twice. Flows that journal the key pass it in.
 */
function withIdempotencyKey<T extends { idempotencyKey?: string }>(body: T): T {
  return body.idempotencyKey === undefined ? { ...body, idempotencyKey: randomUUID() } : body;
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  return baseUrl.replace(/\/+$/, '');
}

function checkApiKey(apiKey: string): string {
  // The key itself stays out of the message: errors end up in logs.
  if (typeof apiKey !== 'string' || apiKey.length === 0)
    throw new TypeError('apiKey must be a non-empty string');
  return apiKey;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}

function checkBackoff(name: string, policy: BackoffPolicy): BackoffPolicy {
  positive(`${name}.initialMs`, policy.initialMs);
  positive(`${name}.maxMs`, policy.maxMs);
  return policy;
}
