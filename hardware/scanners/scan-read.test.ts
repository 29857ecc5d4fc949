import { describe, expect, it } from 'vitest';
import {
  aimIdOf,
  checkRead,
  hasValidGtinCheckDigit,
  resolveReadRules,
  startsWithAim,
  symbologyOfAim,
} from './scan-read.ts';

const rules = resolveReadRules({});
const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('AIM identifiers', () => {
  it.each([
    [']E0', 'ean-13'],
    [']E4', 'ean-8'],
    [']C0', 'code-128'],
    [']C1', 'gs1-128'],
    [']A0', 'code-39'],
    [']I0', 'itf'],
    [']Q1', 'qr'],
    [']d1', 'data-matrix'],
  ] as const)('%s is %s, and back', (aim, symbology) => {
    expect(symbologyOfAim(aim)).toBe(symbology);
    expect(aimIdOf(symbology)).toBe(aim);
  });

  it('other modifiers of Code 39, ITF, QR and Data Matrix keep their symbology; EAN and Code 128 variants do not', () => {
    expect(symbologyOfAim(']A4')).toBe('code-39');
    expect(symbologyOfAim(']I1')).toBe('itf');
    expect(symbologyOfAim(']Q3')).toBe('qr');
    expect(symbologyOfAim(']d2')).toBe('data-matrix');
    expect(symbologyOfAim(']E3')).toBe('unknown');
    expect(symbologyOfAim(']C2')).toBe('unknown');
    expect(symbologyOfAim(']X0')).toBe('unknown');
    expect(symbologyOfAim('\0\0\0')).toBe('unknown');
  });

  it('recognises `]`, a letter and a letter or digit as a prefix', () => {
    expect(startsWithAim(bytes(']E04006381333931'))).toBe(true);
    expect(startsWithAim(bytes(']d1'))).toBe(true);
    expect(startsWithAim(bytes(']]1A'))).toBe(false);
    expect(startsWithAim(bytes(']E'))).toBe(false);
    expect(startsWithAim(bytes('E04006381333931'))).toBe(false);
  });
});

describe('checkRead', () => {
  it('accepts printable ASCII within the length bounds', () => {
    expect(checkRead(bytes('ABC-123 /$'), 'code-128', rules)).toEqual({
      ok: true,
      data: 'ABC-123 /$',
    });
  });

  it('rejects a byte outside the charset, naming its position and value but not the read', () => {
    const check = checkRead(bytes('12\xff34'), 'unknown', rules);
    expect(check).toEqual({ ok: false, reason: 'charset', detail: { utf8: false, bytes: 5 } });
    const latin = checkRead(Buffer.from('12é4', 'utf8'), 'unknown', rules);
    expect(latin).toEqual({ ok: false, reason: 'charset', detail: { at: 2, codePoint: '0xe9' } });
    const wider = resolveReadRules({ charset: /[\x20-\x7e\u00a0-\uffff]/u });
    expect(checkRead(Buffer.from('12é4', 'utf8'), 'qr', wider)).toEqual({ ok: true, data: '12é4' });
  });

  it('rejects an empty read and one outside minLength..maxLength', () => {
    const bounded = resolveReadRules({ minLength: 4, maxLength: 6 });
    expect(checkRead(bytes(''), 'unknown', rules)).toMatchObject({ reason: 'empty' });
    expect(checkRead(bytes('123'), 'unknown', bounded)).toMatchObject({ reason: 'length' });
    expect(checkRead(bytes('1234567'), 'unknown', bounded)).toMatchObject({ reason: 'length' });
    expect(checkRead(bytes('123456'), 'unknown', bounded)).toMatchObject({ ok: true });
  });

  it('checks EAN-13 (and UPC-A as 12 digits) and EAN-8: digits only, their length, the check digit', () => {
    expect(checkRead(bytes('4006381333931'), 'ean-13', rules)).toMatchObject({ ok: true });
    expect(checkRead(bytes('036000291452'), 'ean-13', rules)).toMatchObject({ ok: true });
    expect(checkRead(bytes('96385074'), 'ean-8', rules)).toMatchObject({ ok: true });
    expect(checkRead(bytes('4006381333932'), 'ean-13', rules)).toMatchObject({
      reason: 'check-digit',
    });
    expect(checkRead(bytes('96385075'), 'ean-8', rules)).toMatchObject({ reason: 'check-digit' });
    expect(checkRead(bytes('400638133393'), 'ean-8', rules)).toMatchObject({ reason: 'length' });
    expect(checkRead(bytes('40063813339A1'), 'ean-13', rules)).toMatchObject({
      reason: 'charset',
    });
    // Only EAN carries a check digit we verify.
    expect(checkRead(bytes('4006381333932'), 'code-128', rules)).toMatchObject({ ok: true });
  });

  it('computes the GS1 mod-10 check digit', () => {
    expect(hasValidGtinCheckDigit('4006381333931')).toBe(true);
    expect(hasValidGtinCheckDigit('5901234123457')).toBe(true);
    expect(hasValidGtinCheckDigit('5901234123458')).toBe(false);
    expect(hasValidGtinCheckDigit('73513537')).toBe(true);
    expect(hasValidGtinCheckDigit('x')).toBe(false);
  });
});

describe('read rules', () => {
  it.each([
    [{ minLength: 0 }, /"minLength"/],
    [{ minLength: 5, maxLength: 4 }, /"maxLength"/],
    [{ charset: /[a-z]/g }, /"charset"/],
    [{ charset: '[a-z]' as unknown as RegExp }, /"charset"/],
  ])('a bad rule throws a TypeError naming it: %o', (options, name) => {
    expect(() => resolveReadRules(options)).toThrow(TypeError);
    expect(() => resolveReadRules(options)).toThrow(name);
  });
});
