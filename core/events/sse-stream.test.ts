import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseStream } from './sse-stream.ts';

describe('SseStream', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** A real stream whose connection is gone before anyone listens for its end. */
  async function streamWhoseClientLeft(): Promise<SseStream> {
    const response = await new Promise<ServerResponse>((resolve) => {
      const server = createServer((_request, res) => resolve(res));
      servers.push(server);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        request({ port, host: '127.0.0.1' })
          .on('error', () => undefined)
          .end();
      });
    });
    const stream = new SseStream(response);
    const closed = new Promise((resolve) => response.once('close', resolve));
    response.destroy();
    await closed;
    return stream;
  }

  it('runs a close listener at once when the client left before it was added', async () => {
    const stream = await streamWhoseClientLeft();
    expect(stream.closed).toBe(true);
    let cleanedUp = false;
    stream.onClose(() => {
      cleanedUp = true;
    });
    expect(cleanedUp).toBe(true);
  });
});
