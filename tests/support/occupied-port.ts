// A port some other program holds, to see what a server that wants it does.
import { createServer } from 'node:net';

export interface OccupiedPort {
  port: number;
  /** Lets the port go. */
  release(): Promise<void>;
}

export async function occupyPort(host = '127.0.0.1'): Promise<OccupiedPort> {
  const holder = createServer();
  await new Promise<void>((resolve, reject) => {
    holder.once('error', reject);
    holder.listen({ host, port: 0 }, resolve);
  });
  const address = holder.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return {
    port: address.port,
    release: () => new Promise((resolve) => holder.close(() => resolve())),
  };
}
