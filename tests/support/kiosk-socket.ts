// A client of the browser host's WebSocket, speaking the same frames as the renderer's bridge.
import WebSocket from 'ws';
import type { CommandInput, CommandName } from '../../terminal/contract/commands.ts';
import type { CommandResult } from '../../terminal/contract/replies.ts';
import {
  SOCKET_PATH,
  SUBPROTOCOL_PREFIX,
  type HostMessage,
} from '../../terminal/contract/socket-messages.ts';
import type { KioskState } from '../../terminal/contract/state.ts';

export interface KioskSocket {
  invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandResult<N>>;
  /** Sends a raw text frame, as a misbehaving page could. */
  sendRaw(text: string): void;
  /** Resolves with the first state, from the latest received on, that `matches`. */
  waitForState(matches: (state: KioskState) => boolean, timeoutMs?: number): Promise<KioskState>;
  close(): void;
}

/** The handshake's outcome when the host refuses: its HTTP status. */
export function refusedStatus(hostUrl: string, origin: string, token: string | null) {
  return new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(
      `${hostUrl.replace('http', 'ws')}${SOCKET_PATH}`,
      token === null ? [] : [`${SUBPROTOCOL_PREFIX}${token}`],
      { origin },
    );
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      reject(new Error('the host accepted the socket'));
    });
    socket.on('error', () => undefined);
  });
}

export async function connectKioskSocket(pageUrl: string): Promise<KioskSocket> {
  const url = new URL(pageUrl);
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  const socket = new WebSocket(
    `ws://${url.host}${SOCKET_PATH}`,
    [`${SUBPROTOCOL_PREFIX}${token}`],
    { origin: url.origin },
  );
  const states: KioskState[] = [];
  const waiters = new Set<() => void>();
  const replies = new Map<number, (result: CommandResult<CommandName>) => void>();
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as HostMessage;
    if (message.type === 'state') {
      states.push(message.state);
      for (const wake of waiters) wake();
    } else {
      replies.get(message.id)?.(message.result);
      replies.delete(message.id);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    invoke(name, input) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, name, input }));
      return new Promise((resolve) => replies.set(id, resolve as never));
    },
    sendRaw: (text) => socket.send(text),
    waitForState(matches, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        let seen = Math.max(0, states.length - 1);
        const check = () => {
          for (; seen < states.length; seen += 1) {
            const state = states[seen]!;
            if (matches(state)) {
              finish();
              resolve(state);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `no matching state within ${timeoutMs} ms; last: ${JSON.stringify(states.at(-1))}`,
            ),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => socket.close(),
  };
}
