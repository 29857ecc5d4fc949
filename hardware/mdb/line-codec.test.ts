import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeCommand, LineSplitter, QibixxLineParser } from './line-codec.ts';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

describe('LineSplitter', () => {
  it('splits on LF, trims the CR, and skips empty lines', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(bytes('c,STATUS,ENABLED\r\nc,VEND,SUCCESS\n\r\n\n'))).toEqual([
      'c,STATUS,ENABLED',
      'c,VEND,SUCCESS',
    ]);
  });

  it('joins a line split across chunks, CR and LF apart included', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(bytes('c,STA'))).toEqual([]);
    expect(splitter.push(bytes('TUS,IDLE,1.00\r'))).toEqual([]);
    expect(splitter.push(bytes('\nv,4'))).toEqual(['c,STATUS,IDLE,1.00']);
    expect(splitter.push(bytes(',SIM\r\n'))).toEqual(['v,4,SIM']);
  });

  it('keeps garbage bytes one character per byte, for the parser to reject', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Uint8Array.from([0x00, 0xff, 0x63, 0x0d, 0x0a]))).toEqual([
      '\u0000\u00ffc',
    ]);
  });

  it('drops an over-long line up to its LF, reports it, and carries on', () => {
    const dropped: number[] = [];
    const splitter = new LineSplitter({ maxLineLength: 8, onOverflow: (n) => dropped.push(n) });
    expect(splitter.push(bytes('0123456789'))).toEqual([]);
    expect(splitter.push(bytes('abc'))).toEqual([]);
    expect(splitter.push(bytes('def\nr,ACK\n'))).toEqual(['r,ACK']);
    expect(dropped).toEqual([16]);
    expect(splitter.push(bytes('123456789\n12345678\r\n'))).toEqual(['12345678']);
    expect(dropped).toEqual([16, 9]);
  });

  it('flushes what is left without an end of line', () => {
    const splitter = new LineSplitter();
    splitter.push(bytes('r,ACK\nc,VEND,SUCC'));
    expect(splitter.flush()).toEqual(['c,VEND,SUCC']);
    expect(splitter.flush()).toEqual([]);
  });

  it('names a bad option', () => {
    expect(() => new LineSplitter({ maxLineLength: 0 })).toThrow(/maxLineLength/);
    expect(() => new LineSplitter({ maxLineLength: 1.5 })).toThrow(TypeError);
  });
});

describe('QibixxLineParser', () => {
  it('is a Transform from chunks to lines, flushing the rest at the end', async () => {
    const source = Readable.from([bytes('c,STATUS,EN'), bytes('ABLED\r\nc,SET,OK\r\nv,1,2')]);
    const lines: string[] = [];
    for await (const line of source.pipe(new QibixxLineParser())) lines.push(line as string);
    expect(lines).toEqual(['c,STATUS,ENABLED', 'c,SET,OK', 'v,1,2']);
  });
});

describe('encodeCommand', () => {
  it('ends a command with LF only', () => {
    expect(Buffer.from(encodeCommand('C,VEND,1.50')).toString('latin1')).toBe('C,VEND,1.50\n');
  });

  it.each(['', 'C,STOP\n', 'C,\rSTOP', 'C,STOP\u0000', 'C,Ä'])('refuses %j', (command) => {
    expect(() => encodeCommand(command)).toThrow(TypeError);
  });
});
