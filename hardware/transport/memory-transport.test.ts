import { describe, expect, it } from 'vitest';
import { eventQueue } from '../testing/event-queue.ts';
import { receiveBytes, transportContract } from '../testing/transport-contract.ts';
import { MemoryTransport } from './memory-transport.ts';
import { DisconnectedError } from './transport.ts';

transportContract('MemoryTransport.pair()', async () => {
  const [a, b] = MemoryTransport.pair();
  return { a, b, cleanup: async () => undefined };
});

describe('MemoryTransport test conveniences', () => {
  it('emitData() delivers bytes to this end at once; lastWrite and writes record what it sent; reset() forgets', async () => {
    const end = new MemoryTransport({ name: 'mdb' });
    await end.open();
    const received = eventQueue<Uint8Array>((listener) => end.onData(listener));
    end.emitData('c,STATUS,ENABLED\r\n');
    expect(Buffer.from(received.all[0] ?? []).toString()).toBe('c,STATUS,ENABLED\r\n');
    expect(end.lastWrite).toBeUndefined();
    await end.write(Buffer.from('C,1\n'));
    await end.write(Buffer.from('V\n'));
    expect(Buffer.from(end.lastWrite ?? []).toString()).toBe('V\n');
    expect(end.writes.map((bytes) => Buffer.from(bytes).toString())).toEqual(['C,1\n', 'V\n']);
    end.reset();
    expect(end.writes).toEqual([]);
    expect(end.lastWrite).toBeUndefined();
  });

  it('records a copy: the caller may reuse its buffer', async () => {
    const end = new MemoryTransport();
    await end.open();
    const buffer = Buffer.from('ab');
    await end.write(buffer);
    buffer.fill(0);
    expect(Buffer.from(end.lastWrite ?? []).toString()).toBe('ab');
  });

  it('emitData() on a closed end throws, so a test cannot feed a driver that never opened', () => {
    expect(() => new MemoryTransport().emitData('x')).toThrow(/not open/);
  });

  it('bytes written while the peer is closed are lost, as on a line nobody listens to', async () => {
    const [a, b] = MemoryTransport.pair();
    await a.open();
    const received = eventQueue<Uint8Array>((listener) => b.onData(listener));
    await a.write(Buffer.from('lost'));
    await b.open();
    await a.write(Buffer.from('kept'));
    expect(received.all.map((bytes) => Buffer.from(bytes).toString())).toEqual(['kept']);
  });

  it('unplug(): both ends close as "unplugged" at once; writes and reopening reject with DisconnectedError until replug()', async () => {
    const [a, b] = MemoryTransport.pair();
    await a.open();
    await b.open();
    const closesA = eventQueue((listener) => a.onClose(listener));
    const closesB = eventQueue((listener) => b.onClose(listener));
    const pending = a.write(Buffer.from('C,STOP\n'));
    b.unplug();
    await expect(pending).rejects.toBeInstanceOf(DisconnectedError);
    expect(await closesA.next()).toMatchObject({ reason: 'unplugged' });
    expect(await closesB.next()).toMatchObject({ reason: 'unplugged' });
    await expect(a.write(Uint8Array.of(1))).rejects.toBeInstanceOf(DisconnectedError);
    await expect(a.open()).rejects.toBeInstanceOf(DisconnectedError);
    a.replug();
    await a.open();
    await b.open();
    const atB = receiveBytes(b, 1);
    await a.write(Uint8Array.of(0x56));
    expect([...(await atB)]).toEqual([0x56]);
    expect(closesA.all).toHaveLength(1);
  });

  it('unplug({ detect: "on-write" }): nothing happens until the next write, which rejects and then closes as "unplugged" (a socat PTY nobody reads)', async () => {
    const [a, b] = MemoryTransport.pair();
    await a.open();
    await b.open();
    const closes = eventQueue((listener) => a.onClose(listener));
    b.unplug({ detect: 'on-write' });
    await Promise.resolve();
    expect(a.isOpen).toBe(true);
    expect(closes.all).toHaveLength(0);
    await expect(a.write(Buffer.from('V\n'))).rejects.toBeInstanceOf(DisconnectedError);
    expect(await closes.next()).toMatchObject({ reason: 'unplugged' });
    expect(a.isOpen).toBe(false);
    await expect(a.write(Buffer.from('V\n'))).rejects.toBeInstanceOf(DisconnectedError);
    expect(closes.all).toHaveLength(1);
  });

  it('write() before open() rejects with a plain error, neither cancelled nor disconnected', async () => {
    const error = await new MemoryTransport().write(Uint8Array.of(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DisconnectedError);
    expect((error as Error).message).toMatch(/not open/);
  });
});
