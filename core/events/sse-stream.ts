import type { ServerResponse } from 'node:http';

/** How often a comment line keeps proxies and idle timers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;

/** One Server-Sent Events response: named events with JSON data, and a heartbeat. */
export class SseStream {
  readonly #response: ServerResponse;
  readonly #heartbeat: NodeJS.Timeout;
  #closed = false;

  constructor(response: ServerResponse) {
    this.#response = response;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Tell EventSource clients how soon to reconnect after a drop.
    response.write('retry: 1000\n\n');
    this.#heartbeat = setInterval(() => response.write(': ping\n\n'), HEARTBEAT_MS).unref();
    response.on('close', () => this.close());
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(event: string, data: unknown): void {
    if (this.#closed) return;
    this.#response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Runs `listener` when the stream ends, or at once if it already has (a client that left early). */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#response.on('close', listener);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#response.end();
  }
}
