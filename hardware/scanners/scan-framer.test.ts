import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScanFramer, type Frame, type ScanFramerOptions } from './scan-framer.ts';

function framer(options: ScanFramerOptions = {}) {
  const parser = new ScanFramer(options);
  const frames: Frame[] = [];
  parser.on('data', (frame: Frame) => frames.push(frame));
  const reads = () =>
    frames.flatMap((frame) => (frame.kind === 'read' ? [frame.bytes.toString('latin1')] : []));
  const write = (text: string) => parser.write(Buffer.from(text, 'latin1'));
  return { parser, frames, reads, write };
}

const ended = (parser: ScanFramer) =>
  new Promise<void>((resolve) => {
    parser.once('end', resolve);
    parser.end();
  });

describe('ScanFramer, suffix framing', () => {
  it('splits on CR, LF and CR LF alike, and a CR LF is one terminator even across chunks', () => {
    const { write, reads, frames } = framer();
    write('A1\rB2\nC3\r\nD4\r');
    write('\nE5\r');
    expect(reads()).toEqual(['A1', 'B2', 'C3', 'D4', 'E5']);
    expect(frames.every((frame) => frame.kind === 'read')).toBe(true);
  });

  it('joins a read split over many chunks, and emits nothing for blank lines', () => {
    const { write, reads } = framer();
    for (const piece of ['40', '063', '8133', '3931', '\r']) write(piece);
    write('\n\r\r\n\n');
    expect(reads()).toEqual(['4006381333931']);
  });

  it('a read of exactly maxReadBytes passes; one byte more is discarded whole up to its terminator', () => {
    const { write, frames, reads } = framer({ maxReadBytes: 8 });
    write('12345678\r');
    write('123456789ABC');
    write('DEF\rOK\r');
    expect(reads()).toEqual(['12345678', 'OK']);
    expect(frames[1]).toEqual({ kind: 'discarded', reason: 'too-long', length: 15 });
  });

  it('ignore() drops bytes and the rest of the read they start, then frames normally', () => {
    const { parser, write, reads, frames } = framer();
    parser.ignore(Buffer.from('STALE\rPART'));
    write('IAL\rGOOD\r');
    expect(reads()).toEqual(['GOOD']);
    expect(frames).toHaveLength(1);
  });

  it('ignore() ending on a terminator leaves nothing to skip', () => {
    const { parser, write, reads } = framer();
    parser.ignore(Buffer.from('STALE\r'));
    write('\nGOOD\r');
    expect(reads()).toEqual(['GOOD']);
  });

  it('on end, an unterminated read is reported as incomplete, not as a read', async () => {
    const { parser, write, frames } = framer();
    write('OK\rHALF');
    await ended(parser);
    expect(frames).toEqual([
      { kind: 'read', bytes: Buffer.from('OK') },
      { kind: 'discarded', reason: 'incomplete', length: 4 },
    ]);
  });
});

describe('ScanFramer, silence framing (suffix-less scanners)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends a read after interByteTimeoutMs without a byte, not before', () => {
    vi.useFakeTimers();
    const { write, reads } = framer({ framing: 'silence' });
    write('40063');
    vi.advanceTimersByTime(49);
    write('81333931');
    vi.advanceTimersByTime(49);
    expect(reads()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(reads()).toEqual(['4006381333931']);
    write('\r\nCR and LF are data here');
    vi.advanceTimersByTime(50);
    expect(reads()).toEqual(['4006381333931', '\r\nCR and LF are data here']);
  });

  it('caps a read and skips to the next silence', () => {
    vi.useFakeTimers();
    const { write, frames, reads } = framer({ framing: 'silence', maxReadBytes: 4 });
    write('123456');
    vi.advanceTimersByTime(10);
    write('78');
    vi.advanceTimersByTime(50);
    write('OK');
    vi.advanceTimersByTime(50);
    expect(frames[0]).toEqual({ kind: 'discarded', reason: 'too-long', length: 8 });
    expect(reads()).toEqual(['OK']);
  });

  it('ignore() holds the skip until the line has been quiet', () => {
    vi.useFakeTimers();
    const { parser, write, reads } = framer({ framing: 'silence', interByteTimeoutMs: 20 });
    parser.ignore(Buffer.from('STA'));
    vi.advanceTimersByTime(10);
    write('LE');
    vi.advanceTimersByTime(20);
    write('GOOD');
    vi.advanceTimersByTime(20);
    expect(reads()).toEqual(['GOOD']);
  });

  it('flushes the last read on end', async () => {
    const { parser, write, reads } = framer({ framing: 'silence' });
    write('ABC');
    await ended(parser);
    expect(reads()).toEqual(['ABC']);
  });
});

describe('ScanFramer options', () => {
  it.each([
    [{ framing: 'crlf' as 'suffix' }, /"framing"/],
    [{ interByteTimeoutMs: 0 }, /"interByteTimeoutMs"/],
    [{ interByteTimeoutMs: Number.NaN }, /"interByteTimeoutMs"/],
    [{ maxReadBytes: 0 }, /"maxReadBytes"/],
    [{ maxReadBytes: 1.5 }, /"maxReadBytes"/],
  ])('a bad option throws a TypeError naming it: %o', (options, name) => {
    expect(() => new ScanFramer(options)).toThrow(TypeError);
    expect(() => new ScanFramer(options)).toThrow(name);
  });
});
