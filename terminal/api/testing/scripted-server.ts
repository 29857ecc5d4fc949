// A real HTTP server on 127.0.0.1 that misbehaves on cue, the way networks, proxies and broken
// cores do, and remembers every request it was sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  /** Reads the request and never answers. */
  | { kind: 'hang' }
  /** Sends the headers and half a JSON body, then nothing more. */
  | { kind: 'stall-body'; body: unknown }
  /** Resets the connection (TCP RST) without answering. */
  | { kind: 'reset' }
  /** A 200 with an HTML page, as a captive portal or a misconfigured proxy answers. */
  | { kind: 'html'; status?: number }
  /** A 200 JSON reply cut short. */
  | { kind: 'truncated'; body: unknown }
  /** A complete JSON reply. */
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  /** An event stream that sends these `payment-request` events (raw strings as they are), then stays open. */
  | { kind: 'sse'; events: (unknown | { raw: string })[] };

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Whether the connection that carried it has closed (a client that aborts closes it). */
  closed: boolean;
}

export interface ScriptedServer {
  url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export type Script = (request: SeenRequest) => Behaviour;

/** Answers the requests with `behaviours` in order; a request beyond them gets a 500. */
export function inOrder(...behaviours: Behaviour[]): Script {
  const queue = [...behaviours];
  return () => queue.shift() ?? { kind: 'json', status: 500, body: { message: 'script ended' } };
}

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed: false,
      };
      requests.push(seen);
      res.on('close', () => {
        seen.closed = true;
      });
      behave(script(seen), req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      // Hanging replies and open streams would hold close() up for ever.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function behave(behaviour: Behaviour, req: IncomingMessage, res: ServerResponse): void {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  switch (behaviour.kind) {
    case 'hang':
      return;
    case 'stall-body': {
      const text = JSON.stringify(behaviour.body);
      res.writeHead(200, { ...json, 'content-length': String(Buffer.byteLength(text)) });
      res.write(text.slice(0, text.length / 2));
      return;
    }
    case 'reset':
      req.socket.resetAndDestroy();
      return;
    case 'html':
      res.writeHead(behaviour.status ?? 200, { 'content-type': 'text/html' });
      res.end('<html><body><h1>Bad Gateway</h1>nginx</body></html>');
      return;
    case 'truncated': {
      const text = JSON.stringify(behaviour.body);
      res.writeHead(200, json);
      res.end(text.slice(0, text.length / 2));
      return;
    }
    case 'json':
      res.writeHead(behaviour.status ?? 200, { ...json, ...behaviour.headers });
      res.end(JSON.stringify(behaviour.body));
      return;
    case 'sse':
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write('retry: 1000\n\n');
      for (const event of behaviour.events) {
        const data =
          typeof event === 'object' && event !== null && 'raw' in event
            ? String(event.raw)
            : JSON.stringify(event);
        res.write(`event: payment-request\ndata: ${data}\n\n`);
      }
      return;
  }
}
