// One HTTP exchange with the payment API, sorted into the three outcomes the kiosk cares about:
// a value (2xx with the expected body), a refusal (4xx other than 409: `PaymentApiError`, nothing
// happened) or an unknown outcome (`AttemptError`: the call may or may not have taken effect).
// Retrying is retry.ts's business; this file makes exactly one attempt.
import { STATUS_CODES } from 'node:http';
import { PaymentApiError } from './errors.ts';

export type FetchFunction = typeof globalThis.fetch;

/** Where and how to reach the payment API. */
export interface Endpoint {
  /** Without a trailing slash; paths are appended to it. */
  baseUrl: string;
  apiKey: string;
  /** Limit for one attempt: connecting, the headers and the whole body. */
  timeoutMs: number;
  fetch: FetchFunction;
}

export interface ApiCall<T> {
  method: 'GET' | 'POST';
  /** Starts with '/', its variable segments already URL-encoded. */
  path: string;
  /** JSON text, serialised once by the caller so that every retry sends the very same bytes. */
  body?: string;
  /** The reply's value, or undefined when the body is not what the route promises. */
  read(body: unknown): T | undefined;
}

export type AttemptFailure =
  | 'network'
  | 'timeout'
  | 'server-error'
  | 'conflict'
  | 'unexpected-status'
  | 'not-json'
  | 'unexpected-shape';

/** One attempt ended without a known outcome. */
export class AttemptError extends Error {
  override readonly name = 'AttemptError';
  constructor(
    readonly failure: AttemptFailure,
    message: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Makes one attempt. Rejects with `PaymentApiError` on a refusal, `AttemptError` on an unknown
 * outcome, or `signal.reason` when the caller aborts.
 */
export async function attemptCall<T>(
  endpoint: Endpoint,
  call: ApiCall<T>,
  signal?: AbortSignal,
): Promise<T> {
  const timeout = new AbortController();
  // A timer of our own (not AbortSignal.timeout) so that it is cleared the moment we are done.
  const timer = setTimeout(() => timeout.abort(), endpoint.timeoutMs);
  const aborted = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
  try {
    let response: Response;
    let text: string;
    try {
      response = await endpoint.fetch(endpoint.baseUrl + call.path, {
        method: call.method,
        headers: {
          accept: 'application/json',
          'x-api-key': endpoint.apiKey,
          ...(call.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(call.body !== undefined && { body: call.body }),
        // A redirect would carry X-Api-Key to wherever it points (fetch strips only
        // Authorization across origins). The API never redirects, so one is a fault.
        redirect: 'error',
        signal: aborted,
      });
      // The body is read under the same timeout: a reply that stalls mid-body is no reply.
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.signal.aborted)
        throw new AttemptError(
          'timeout',
          `no complete reply within ${endpoint.timeoutMs} ms`,
          undefined,
          {
            cause: error,
          },
        );
      throw new AttemptError('network', `network error: ${describeError(error)}`, undefined, {
        cause: error,
      });
    }
    return interpret(response, text, call);
  } finally {
    clearTimeout(timer);
  }
}

function interpret<T>(response: Response, text: string, call: ApiCall<T>): T {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const body = parseJson(text);
    if (body === undefined)
      throw new AttemptError('not-json', `${status} reply is not JSON`, status);
    const value = call.read(body);
    if (value === undefined)
      throw new AttemptError('unexpected-shape', `${status} reply lacks expected fields`, status);
    return value;
  }
  // 409: the core is still busy with the same idempotency key, or lost a race; trying again
  // with the same key returns the first result. Stripe retries it for the same reason.
  if (status === 409) throw new AttemptError('conflict', `${status} conflict`, status);
  if (status >= 500) throw new AttemptError('server-error', `${status} server error`, status);
  if (status >= 400) throw refusal(response, text);
  throw new AttemptError('unexpected-status', `unexpected status ${status}`, status);
}

/** A 4xx is a known outcome: nothing happened, and the body's message is the contract's CODE. */
function refusal(response: Response, text: string): PaymentApiError {
  const body = parseJson(text);
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const message = fields['message'];
  const reason = fields['reason'];
  const code =
    typeof message === 'string' && message.length > 0
      ? message
      : response.statusText || STATUS_CODES[response.status] || String(response.status);
  return new PaymentApiError(
    response.status,
    code,
    typeof reason === 'string' ? reason : undefined,
    response.status === 429 ? retryAfterSeconds(response.headers.get('retry-after')) : undefined,
  );
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The JSON value of `text`, or undefined when it is not JSON (truncated, an HTML page...). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch reports every network failure as "fetch failed"; the cause says which one.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
