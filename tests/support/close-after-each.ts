// What a test opens (kiosks, sockets, simulators, PTY pairs) is closed after it, newest first, so
// a failed assertion never leaves a process, a port or a PTY behind for the next test.
import { afterEach } from 'vitest';

export interface Closable {
  close(): unknown;
}

/** Call in a describe block; returns `open(thing)`, which registers `thing` and returns it. */
export function closeAfterEach(): <T extends Closable>(thing: T) => T {
  const opened: Closable[] = [];
  afterEach(async () => {
    for (const each of opened.splice(0).reverse()) await each.close();
  });
  return (thing) => {
    opened.push(thing);
    return thing;
  };
}
