// What every Transport promises, as one suite each kind runs against its own pair of connected
// ends: memory, a socat PTY pair, or two real ports wired null-modem (see serial-transport.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, type Transport } from '../transport/transport.ts';
import { eventQueue } from './event-queue.ts';

export interface TransportPair {
  a: Transport;
  b: Transport;
  /** After both ends are closed. */
  cleanup(): Promise<void>;
}

/** Resolves with the first `length` bytes `end` receives. */
export function receiveBytes(end: Transport, length: number, timeoutMs = 2000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${end.name}: got ${received} of ${length} bytes in ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = end.onData((bytes) => {
      chunks.push(Buffer.from(bytes));
      received += bytes.length;
      if (received < length) return;
      clearTimeout(timer);
      stop();
      resolve(Buffer.concat(chunks).subarray(0, length));
    });
  });
}

export function transportContract(label: string, makePair: () => Promise<TransportPair>): void {
  describe(`${label}: the Transport contract`, () => {
    let pair: TransportPair;

    beforeEach(async () => {
      pair = await makePair();
      await pair.a.open();
      await pair.b.open();
    });

    afterEach(async () => {
      await pair.a.close();
      await pair.b.close();
      await pair.cleanup();
    });

    it('carries every byte value both ways, in order', async () => {
      const all = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
      const atB = receiveBytes(pair.b, all.length);
      await pair.a.write(all);
      expect((await atB).equals(all)).toBe(true);
      const reply = Buffer.from('v,4.0.2.0,SIM\r\n');
      const atA = receiveBytes(pair.a, reply.length);
      await pair.b.write(reply);
      expect((await atA).equals(reply)).toBe(true);
    });

    it('close() ends with reason "closed", once, and a later write rejects with CancelledError', async () => {
      const closes = eventQueue((listener) => pair.a.onClose(listener));
      await pair.a.close();
      await pair.a.close();
      expect(await closes.next()).toMatchObject({ reason: 'closed' });
      expect(pair.a.isOpen).toBe(false);
      await expect(pair.a.write(Uint8Array.of(1))).rejects.toBeInstanceOf(CancelledError);
      expect(closes.all).toHaveLength(1);
    });

    it('a write still pending when close() is called rejects with CancelledError', async () => {
      const pending = pair.a.write(Buffer.alloc(64, 0x41));
      const closing = pair.a.close();
      await expect(pending).rejects.toBeInstanceOf(CancelledError);
      await closing;
    });

    it('refuses a second open() while open', async () => {
      await expect(pair.a.open()).rejects.toThrow(/already/);
      expect(pair.a.isOpen).toBe(true);
    });

    it('opens again after close() and carries bytes again', async () => {
      await pair.a.close();
      await pair.a.open();
      const atB = receiveBytes(pair.b, 3);
      await pair.a.write(Buffer.from('C,1'));
      expect((await atB).toString()).toBe('C,1');
    });
  });
}
