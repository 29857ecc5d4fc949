// The host's JavaScript heap after a full garbage collection, read over the V8 inspector
// (the host runs with NODE_OPTIONS=--inspect=127.0.0.1:0). RSS alone cannot tell a leak from a
// heap that V8 has simply not collected yet; the heap after a forced GC can.
import WebSocket from 'ws';

/** Node prints this to stderr when the inspector listens. */
const INSPECTOR_LINE = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/;

/** For NODE_OPTIONS: port 0, so parallel runs never collide; loopback only. */
export const INSPECT_OPTION = '--inspect=127.0.0.1:0';

export function inspectorUrl(lines: string[]): string {
  for (const line of lines) {
    const url = INSPECTOR_LINE.exec(line)?.[1];
    if (url) return url;
  }
  throw new Error('the host did not print its inspector address');
}

/** Collects garbage in the host, then returns its heap in use, in bytes. */
export async function hostHeapAfterGc(url: string): Promise<number> {
  const socket = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    let nextId = 1;
    const call = (method: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const id = nextId++;
        const onMessage = (data: WebSocket.RawData) => {
          const message = JSON.parse(data.toString()) as {
            id?: number;
            result?: Record<string, unknown>;
            error?: { message: string };
          };
          if (message.id !== id) return;
          socket.off('message', onMessage);
          if (message.error) reject(new Error(`${method}: ${message.error.message}`));
          else resolve(message.result ?? {});
        };
        socket.on('message', onMessage);
        socket.send(JSON.stringify({ id, method }));
      });
    await call('HeapProfiler.collectGarbage');
    const usage = await call('Runtime.getHeapUsage');
    return Number(usage['usedSize']);
  } finally {
    socket.close();
  }
}
