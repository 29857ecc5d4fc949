// Follows one Server-Sent Events stream of the payment API over fetch, parsed with
// eventsource-parser. It tells how the stream ended so the watcher can decide what to do next:
// poll for good, or poll while it reconnects.
import { createParser } from 'eventsource-parser';
import { describeError, type Endpoint } from './http-call.ts';

export type StreamEnd =
  /** The core does not stream (404, 405, 501, or a reply that is not an event stream). */
  | { kind: 'unsupported'; detail: string }
  /** The stream could not be opened this time (network, timeout, 5xx, 401, 429...). */
  | { kind: 'unavailable'; detail: string }
  /** The stream was open, then ended, fell silent or carried something unreadable. */
  | { kind: 'dropped'; detail: string }
  /** The caller aborted. */
  | { kind: 'stopped' };

export interface StreamHandlers {
  /** The core answered with an event stream. */
  onOpen(): void;
  /** One event; throwing ends the stream as 'dropped'. */
  onEvent(event: string, data: string): void;
}

/** Statuses that say "no such route here", as a remote core without the extension answers. */
const NOT_OFFERED = new Set([404, 405, 501]);

/**
 * Opens `path` and feeds its events to `handlers` until it ends; resolves with how it ended and
 * never rejects. `idleTimeoutMs` ends a stream that carried nothing (not even the core's
 * heartbeat comment) for that long: a half-open TCP connection never reports an error by itself.
 */
export async function followEventStream(
  endpoint: Endpoint,
  path: string,
  handlers: StreamHandlers,
  idleTimeoutMs: number,
  signal: AbortSignal,
): Promise<StreamEnd> {
  if (signal.aborted) return { kind: 'stopped' };
  const connection = new AbortController();
  const stop = () => connection.abort();
  signal.addEventListener('abort', stop, { once: true });
  let timer = setTimeout(stop, endpoint.timeoutMs);
  let open = false;
  try {
    const response = await endpoint.fetch(endpoint.baseUrl + path, {
      headers: { accept: 'text/event-stream', 'x-api-key': endpoint.apiKey },
      redirect: 'error',
      signal: connection.signal,
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.ok || !contentType.startsWith('text/event-stream') || !response.body) {
      const detail = `${response.status} ${contentType || 'without content type'}`;
      // A 2xx that is not an event stream is a core (or proxy) that does not stream either.
      const unsupported = response.ok || NOT_OFFERED.has(response.status);
      return unsupported ? { kind: 'unsupported', detail } : { kind: 'unavailable', detail };
    }
    open = true;
    handlers.onOpen();
    const parser = createParser({
      onEvent: (message) => handlers.onEvent(message.event ?? 'message', message.data),
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      clearTimeout(timer);
      timer = setTimeout(stop, idleTimeoutMs);
      const { done, value } = await reader.read();
      if (done) return { kind: 'dropped', detail: 'the core ended the stream' };
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (error) {
    if (signal.aborted) return { kind: 'stopped' };
    const detail = connection.signal.aborted
      ? `nothing received within ${open ? idleTimeoutMs : endpoint.timeoutMs} ms`
      : describeError(error);
    return open ? { kind: 'dropped', detail } : { kind: 'unavailable', detail };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
    // Closes the connection whatever state it is in (an unread body, a stream still open after
    // an unreadable event); after a normal end it does nothing.
    connection.abort();
  }
}
