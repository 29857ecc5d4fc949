// One autocannon run against a server, reduced to the numbers the report prints.
import autocannon, { type Instance, type RequestSpec } from 'autocannon';

/** Concurrent connections, as the targets assume. */
export const CONNECTIONS = 50;

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Status code → count, to tell what the non-2xx replies were. */
  statusCounts: Record<string, number>;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  /** Every request carries these headers (the API key, the content type). */
  headers: Record<string, string>;
  requests: RequestSpec[];
  seconds?: number;
  /** Requests in all, instead of `seconds`. */
  amount?: number;
  /** Receives the running instance, so a request generator can stop it early. */
  started?: (instance: Instance) => void;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const instance = autocannon({
    url: options.url,
    connections: CONNECTIONS,
    headers: options.headers,
    requests: options.requests,
    ...(options.amount !== undefined
      ? { amount: options.amount }
      : { duration: options.seconds ?? 10 }),
  });
  options.started?.(instance);
  const result = await instance;
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
  );
  return {
    // The per-second samples' average undercounts a run that stops mid-second.
    requestsPerSecond: result.duration > 0 ? result.requests.total / result.duration : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCounts,
    seconds: result.duration,
  };
}
