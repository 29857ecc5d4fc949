// serialport's unix read retries a read of 0 bytes at once, with no end (bindings-cpp `unixRead`;
// https://github.com/serialport/bindings-cpp/issues/162, still open; the fix in PR #164 was closed
// unmerged). On a tty a read of 0 bytes is end of file: the device hung up, as when a USB adapter
// is pulled or the far side of a socat PTY dies. The retry then spins a core and grows memory until
// a write happens to fail, which a scanner never does. Measured here: killing socat right after
// open leaves the port looking open about half the time.
//
// This binding wraps the one serialport detects and gives each unix port a read that takes end of
// file as a disconnect, so serialport closes the port with `disconnected: true` at once.
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';

const fsRead = promisify(read);

/** The fields of bindings-cpp's LinuxPortBinding/DarwinPortBinding the guard relies on. */
interface UnixPortBinding {
  fd: number | null;
  poller: { once(event: 'readable', listener: (error?: Error | null) => void): unknown };
  read(
    buffer: Buffer,
    offset: number,
    length: number,
  ): Promise<{ buffer: Buffer; bytesRead: number }>;
}

const isUnixPort = (port: object): port is UnixPortBinding =>
  'fd' in port &&
  typeof port.fd === 'number' &&
  'poller' in port &&
  typeof port.poller === 'object';

const notOpen = () => Object.assign(new Error('Port is not open'), { canceled: true });

/** Replaces a unix port's read; any other port (Windows) is returned as it is. */
export function guardHangup<Port extends object>(port: Port): Port {
  if (!isUnixPort(port)) return port;
  const readable = () =>
    new Promise<void>((resolve, reject) => {
      port.poller.once('readable', (error) => (error ? reject(error) : resolve()));
    });
  port.read = async (buffer, offset, length) => {
    for (;;) {
      if (port.fd === null) throw notOpen();
      let bytesRead: number;
      try {
        ({ bytesRead } = await fsRead(port.fd, buffer, offset, length, null));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
        // Closed while the read was out: the poller is destroyed, and polling it would crash.
        if (port.fd === null) throw notOpen();
        await readable();
        continue;
      }
      if (bytesRead === 0) {
        throw Object.assign(new Error('end of file: the device hung up'), { code: 'EOF' });
      }
      return { buffer, bytesRead };
    }
  };
  return port;
}

type DetectedBinding = typeof SerialPort.binding;

/** serialport's detected binding, with guardHangup() on every port it opens. */
export const hangupGuardedBinding: DetectedBinding = {
  ...SerialPort.binding,
  list: () => SerialPort.binding.list(),
  open: async (options: Parameters<DetectedBinding['open']>[0]) =>
    guardHangup(await SerialPort.binding.open(options as never)),
} as DetectedBinding;
