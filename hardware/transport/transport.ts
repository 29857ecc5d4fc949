// The one interface every driver talks through: bytes in, bytes out, and how the link ended.
// A serial port, a pseudo-terminal, a HID device and an in-memory pair all implement it, so one
// driver runs on real hardware, on a simulator's PTY, or in a unit test.

/** Why a transport closed: asked to (`closed`), the device went away, or an I/O error. */
export type CloseReason = 'closed' | 'unplugged' | 'error';

export interface TransportClose {
  reason: CloseReason;
  error?: Error;
}

export interface Transport {
  /** A name for logs and the device panel, e.g. the port path. */
  readonly name: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** Rejects with DisconnectedError when the device is gone, CancelledError after close(). */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Every chunk as it arrives; returns a function that stops listening. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** Called once per open, when the link ends for any reason. */
  onClose(listener: (close: TransportClose) => void): () => void;
}

/** The operation was cut short because the transport was closed on purpose. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  readonly canceled = true;
}

/** The device is gone (unplugged, the far side of a PTY closed, an EIO). */
export class DisconnectedError extends Error {
  override readonly name = 'DisconnectedError';
  readonly disconnected = true;
}
