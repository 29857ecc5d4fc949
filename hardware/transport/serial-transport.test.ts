// SerialTransport through the real serialport stack. By default its two ends are a socat PTY pair;
// set KIOSK_TEST_SERIAL_PORTS=/dev/ttyUSB0,/dev/ttyUSB1 (two adapters wired null-modem) to run
// the same contract on real ports. The unplug test needs socat: a PTY vanishes when it ends.
import { afterEach, describe, expect, it } from 'vitest';
import { eventQueue } from '../testing/event-queue.ts';
import { startPtyPair, type PtyPair } from '../testing/pty-pair.ts';
import { receiveBytes, transportContract } from '../testing/transport-contract.ts';
import { SerialTransport } from './serial-transport.ts';
import { DisconnectedError } from './transport.ts';

const realPorts = process.env['KIOSK_TEST_SERIAL_PORTS']?.split(',');

transportContract(
  realPorts ? `SerialTransport on ${realPorts.join(' + ')}` : 'SerialTransport on a socat PTY pair',
  async () => {
    if (realPorts?.[0] && realPorts[1]) {
      return {
        a: new SerialTransport({ path: realPorts[0], baudRate: 115200 }),
        b: new SerialTransport({ path: realPorts[1], baudRate: 115200 }),
        cleanup: async () => undefined,
      };
    }
    const pty = await startPtyPair();
    return {
      a: new SerialTransport({ path: pty.a }),
      b: new SerialTransport({ path: pty.b }),
      cleanup: pty.stop,
    };
  },
);

describe('SerialTransport', () => {
  let pty: PtyPair | undefined;
  const opened: SerialTransport[] = [];

  afterEach(async () => {
    for (const transport of opened.splice(0)) await transport.close();
    await pty?.stop();
    pty = undefined;
  });

  it('the far side vanishing: the next write rejects with DisconnectedError and the port closes as "unplugged", once', async () => {
    pty = await startPtyPair();
    const kiosk = new SerialTransport({ path: pty.a, baudRate: 115200 });
    opened.push(kiosk);
    await kiosk.open();
    const closes = eventQueue((listener) => kiosk.onClose(listener));
    await pty.stop();
    // The spec measured nothing until a write (EIO, then a close with `disconnected`). Here the
    // read loop may see the hang-up first; either way the write fails and one close reports it.
    await expect(kiosk.write(Buffer.from('V\n'))).rejects.toBeInstanceOf(DisconnectedError);
    expect(await closes.next()).toMatchObject({ reason: 'unplugged' });
    expect(kiosk.isOpen).toBe(false);
    await expect(kiosk.write(Buffer.from('V\n'))).rejects.toBeInstanceOf(DisconnectedError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closes.all).toHaveLength(1);
  });

  it('a PTY whose far side dies right after open closes as "unplugged" with no write (hang-up guard)', async () => {
    // Without the guard, serialport retries the 0-byte read of a hung-up tty forever and the
    // port looks open until a write fails: about half the time when socat dies this early.
    for (let attempt = 0; attempt < 6; attempt++) {
      const pair = await startPtyPair();
      const kiosk = new SerialTransport({ path: pair.a });
      const closes = eventQueue((listener) => kiosk.onClose(listener));
      await kiosk.open();
      await pair.stop();
      expect(await closes.next(1000)).toMatchObject({ reason: 'unplugged' });
    }
  });

  it('close() during open() waits for it and then closes the port', async () => {
    pty = await startPtyPair();
    const kiosk = new SerialTransport({ path: pty.a });
    const closes = eventQueue((listener) => kiosk.onClose(listener));
    const opening = kiosk.open();
    await kiosk.close();
    await opening;
    expect(kiosk.isOpen).toBe(false);
    expect(await closes.next()).toMatchObject({ reason: 'closed' });
  });

  it('opening a path that does not exist rejects and leaves the transport closed, ready to retry', async () => {
    const missing = new SerialTransport({ path: '/dev/kiosk-no-such-port' });
    await expect(missing.open()).rejects.toThrow(/no such file|ENOENT|cannot open/i);
    expect(missing.isOpen).toBe(false);
    await expect(missing.open()).rejects.toThrow(/no such file|ENOENT|cannot open/i);
  });

  it('delivers what arrives on the far end of a PTY (baud, DTR and RTS untouched)', async () => {
    pty = await startPtyPair();
    const kiosk = new SerialTransport({ path: pty.a, baudRate: 9600, name: 'scanner' });
    const far = new SerialTransport({ path: pty.b });
    opened.push(kiosk, far);
    expect(kiosk.name).toBe('scanner');
    await kiosk.open();
    await far.open();
    const received = receiveBytes(kiosk, 14);
    await far.write(Buffer.from('4006381333931\r'));
    expect((await received).toString()).toBe('4006381333931\r');
  });

  it.each([
    [{ path: '' }, /"path"/],
    [{ path: '/dev/ttyS0', baudRate: 0 }, /"baudRate"/],
    [{ path: '/dev/ttyS0', baudRate: 9600.5 }, /"baudRate"/],
    [{ path: '/dev/ttyS0', dataBits: 9 as 8 }, /"dataBits"/],
    [{ path: '/dev/ttyS0', stopBits: 3 as 2 }, /"stopBits"/],
    [{ path: '/dev/ttyS0', parity: 'sometimes' as 'none' }, /"parity"/],
  ])('a bad option throws a TypeError naming it: %o', (options, name) => {
    expect(() => new SerialTransport(options)).toThrow(TypeError);
    expect(() => new SerialTransport(options)).toThrow(name);
  });
});
