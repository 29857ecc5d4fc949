import { describe, expect, it } from 'vitest';
import { checkShortCode, newShortCode, normaliseShortCode } from './short-code.ts';

describe('short codes', () => {
  it('are shaped like CP-C7F-ZS5 and pass their own check', () => {
    for (let i = 0; i < 200; i++) {
      const code = newShortCode();
      expect(code).toMatch(/^CP-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
      expect(checkShortCode(code)).toBe('valid');
    }
  });

  it('catch every single-character typo', () => {
    const code = newShortCode();
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (const position of [3, 4, 5, 7, 8, 9]) {
      for (const replacement of alphabet) {
        if (replacement === code[position]) continue;
        const typo = code.slice(0, position) + replacement + code.slice(position + 1);
        expect(checkShortCode(typo)).toBe('bad-check-character');
      }
    }
  });

  it('catch adjacent swaps of different characters', () => {
    const code = newShortCode().replace(/-/g, '').slice(2);
    for (let i = 0; i < code.length - 1; i++) {
      if (code[i] === code[i + 1]) continue;
      const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
      expect(checkShortCode(normaliseShortCode(swapped))).not.toBe('valid');
    }
  });

  it('accept what an attendant types: lower case, no dashes', () => {
    const code = newShortCode();
    expect(normaliseShortCode(code.toLowerCase().replace(/-/g, ''))).toBe(code);
    expect(checkShortCode('CP-ABC')).toBe('malformed');
    expect(checkShortCode('CP-IIL-OUU')).toBe('malformed');
  });
});
