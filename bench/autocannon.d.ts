// The part of autocannon 8's programmatic API the benchmarks use. autocannon ships no types,
// and @types/autocannon describes version 7; these follow autocannon's README for version 8.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export type Context = Record<string, unknown>;

  export interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Called before each request of a connection; returns the request to send. */
    setupRequest?: (request: RequestSpec, context: Context) => RequestSpec | null | undefined;
    onResponse?: (
      status: number,
      body: string,
      context: Context,
      headers: Record<string, string | string[]>,
    ) => void;
  }

  export interface Options extends RequestSpec {
    url: string;
    /** Default 10. */
    connections?: number;
    /** Seconds; default 10. Ignored when `amount` is set. */
    duration?: number;
    /** Requests to make in all, over every connection; overrides `duration`. */
    amount?: number;
    /** Seconds before a request counts as timed out; default 10. */
    timeout?: number;
    requests?: RequestSpec[];
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    /** For `requests`: completed requests; for `throughput`: bytes. */
    total: number;
    p50: number;
    p90: number;
    p99: number;
  }

  export interface Result {
    /** Requests completed per second, sampled each second. */
    requests: Histogram;
    /** Milliseconds. */
    latency: Histogram;
    throughput: Histogram;
    /** Seconds the run took. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  /** A running benchmark: an event emitter that is also a promise of its result. */
  export interface Instance extends EventEmitter, PromiseLike<Result> {
    stop(): void;
  }

  export default function autocannon(options: Options): Instance;
}
