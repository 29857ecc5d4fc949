// Framing of the Qibixx ASCII link. Replies end in CR LF (inferred from working clients), so lines
// are split on LF and a trailing CR is trimmed; commands are sent with a bare `\n`.
//
// `LineSplitter` is the framing itself, synchronous and stream-free, because a Transport delivers
// chunks to a callback. `QibixxLineParser` is the same framing as a Transform stream, for callers
// that pipe a Duplex (node-serialport's parser shape: partial frames are buffered, and `_flush`
// emits what is left).
import { Transform, type TransformCallback } from 'node:stream';

/** Longest line kept, in bytes; the adapter's longest real line is well under 100. */
export const DEFAULT_MAX_LINE_LENGTH = 256;

export interface LineSplitterOptions {
  /**
   * Bytes a line may hold before the end of line (default 256). A longer run is dropped up to the
   * next LF and reported to `onOverflow`, so a babbling link cannot grow the buffer without end.
   */
  maxLineLength?: number;
  /** Told how many bytes were dropped each time an over-long line ends. */
  onOverflow?: (droppedBytes: number) => void;
}

export class LineSplitter {
  readonly #maxLineLength: number;
  readonly #onOverflow: (droppedBytes: number) => void;
  #buffer = '';
  /** Bytes of an over-long line dropped so far; non-zero while skipping to the next LF. */
  #dropping = 0;

  constructor(options: LineSplitterOptions = {}) {
    const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    if (!Number.isInteger(maxLineLength) || maxLineLength < 1) {
      throw new TypeError(`maxLineLength must be a positive integer, got ${maxLineLength}`);
    }
    this.#maxLineLength = maxLineLength;
    this.#onOverflow = options.onOverflow ?? (() => undefined);
  }

  /**
   * Adds a chunk and returns the lines it completed, CR trimmed, empty lines left out. Bytes are
   * read as latin1, one character per byte, so a garbage byte stays visible (and fails parsing)
   * instead of becoming U+FFFD or merging with its neighbours.
   */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    for (;;) {
      const end = text.indexOf('\n');
      if (end === -1) break;
      this.#take(text.slice(0, end), true, lines);
      text = text.slice(end + 1);
    }
    this.#take(text, false, lines);
    return lines;
  }

  /** Returns what is left without an end of line (node-serialport's `_flush` behaviour). */
  flush(): string[] {
    const lines: string[] = [];
    const rest = this.#buffer;
    this.#buffer = '';
    if (this.#dropping > 0) this.#endOverflow(rest.length);
    else pushLine(lines, rest);
    return lines;
  }

  #take(piece: string, ended: boolean, lines: string[]): void {
    if (this.#dropping > 0) {
      if (ended) this.#endOverflow(piece.length);
      else this.#dropping += piece.length;
      return;
    }
    const line = this.#buffer + piece;
    if (ended) {
      this.#buffer = '';
      if (trimCr(line).length > this.#maxLineLength) this.#onOverflow(line.length);
      else pushLine(lines, line);
    } else if (line.length > this.#maxLineLength + 1) {
      // +1: a CR whose LF has not arrived yet is not part of the line.
      this.#buffer = '';
      this.#dropping = line.length;
    } else {
      this.#buffer = line;
    }
  }

  #endOverflow(extraBytes: number): void {
    const dropped = this.#dropping + extraBytes;
    this.#dropping = 0;
    this.#onOverflow(dropped);
  }
}

const trimCr = (raw: string): string => (raw.endsWith('\r') ? raw.slice(0, -1) : raw);

function pushLine(lines: string[], raw: string): void {
  const line = trimCr(raw);
  if (line.length > 0) lines.push(line);
}

export type QibixxLineParserOptions = LineSplitterOptions;

/** A Transform from bytes to one string per line (object mode on the readable side). */
export class QibixxLineParser extends Transform {
  readonly #splitter: LineSplitter;

  constructor(options: QibixxLineParserOptions = {}) {
    super({ readableObjectMode: true });
    this.#splitter = new LineSplitter(options);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (const line of this.#splitter.push(chunk)) this.push(line);
    done();
  }

  override _flush(done: TransformCallback): void {
    for (const line of this.#splitter.flush()) this.push(line);
    done();
  }
}

/**
 * Encodes one command line for the adapter: printable ASCII, ended by `\n`. A CR, LF or other
 * control byte inside would split or corrupt the command, so it is a TypeError.
 */
export function encodeCommand(command: string): Uint8Array {
  if (!/^[\x20-\x7e]+$/.test(command)) {
    throw new TypeError(
      `a command must be printable ASCII without line breaks: ${JSON.stringify(command)}`,
    );
  }
  return Buffer.from(`${command}\n`, 'latin1');
}
