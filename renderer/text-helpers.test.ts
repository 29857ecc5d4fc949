import { describe, expect, it } from 'vitest';
import { describeError } from './components/errors.ts';
import { en } from './i18n/en.ts';
import { IDLE_TIMEOUT_MS, readTimings, RESULT_TIMEOUT_MS } from './config.ts';
import { parseExpirySeconds, settingsChanges } from './settings.ts';
import { formatShortCode, shortCodeCharacters } from './short-code.ts';
import { formatDuration, secondsUntil } from './time.ts';

describe('short codes as typed', () => {
  it('keeps only the code characters, dropping the printed prefix', () => {
    expect(shortCodeCharacters('CP-C7F-ZS5')).toBe('C7FZS5');
    expect(shortCodeCharacters('cp-c7f zs5')).toBe('C7FZS5');
    expect(shortCodeCharacters('CPC7FZS5')).toBe('C7FZS5');
    expect(shortCodeCharacters('C7F')).toBe('C7F');
    // I, L, O and U are not in the alphabet.
    expect(shortCodeCharacters('ILOU12')).toBe('12');
  });

  it('shows a code, partial or whole, in its printed shape', () => {
    expect(formatShortCode('')).toBe('');
    expect(formatShortCode('C7')).toBe('CP-C7');
    expect(formatShortCode('C7FZS5')).toBe('CP-C7F-ZS5');
    expect(shortCodeCharacters(formatShortCode('C7FZ'))).toBe('C7FZ');
  });
});

describe('countdowns', () => {
  it('counts whole seconds up, never below zero', () => {
    const now = Date.parse('2026-01-01T00:00:00.000Z');
    expect(secondsUntil('2026-01-01T00:02:05.000Z', now)).toBe(125);
    expect(secondsUntil('2026-01-01T00:00:00.200Z', now)).toBe(1);
    expect(secondsUntil('2025-12-31T23:59:00.000Z', now)).toBe(0);
    expect(secondsUntil('not a date', now)).toBeNull();
    expect(secondsUntil(null, now)).toBeNull();
  });

  it('formats minutes and seconds', () => {
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(3600)).toBe('60:00');
  });
});

describe('readTimings', () => {
  it('defaults, and takes positive overrides from the query string', () => {
    expect(readTimings('')).toEqual({ idleMs: IDLE_TIMEOUT_MS, resultMs: RESULT_TIMEOUT_MS });
    expect(readTimings('?idleMs=3000&resultMs=2000')).toEqual({ idleMs: 3000, resultMs: 2000 });
    expect(readTimings('?idleMs=-1&resultMs=x')).toEqual({
      idleMs: IDLE_TIMEOUT_MS,
      resultMs: RESULT_TIMEOUT_MS,
    });
  });
});

describe('settingsChanges', () => {
  const saved = {
    apiBaseUrl: 'http://127.0.0.1:3000',
    publicBaseUrl: '',
    apiKeySet: true,
    configId: 'mc_demo',
    terminalId: 't1',
    deviceId: 'd1',
    kioskMode: true,
    expirySeconds: 120,
    embeddedCore: true,
    devices: [],
  };

  it('sends only what changed, and the key only when one was typed', () => {
    const draft = { ...saved, terminalId: ' t2 ', kioskMode: false };
    expect(settingsChanges(saved, draft, '')).toEqual({ terminalId: 't2', kioskMode: false });
    expect(settingsChanges(saved, saved, 'new-key')).toEqual({ apiKey: 'new-key' });
    expect(settingsChanges(saved, saved, '')).toEqual({});
    expect(settingsChanges(saved, { ...saved, expirySeconds: 300 }, '')).toEqual({
      expirySeconds: 300,
    });
    const publicBaseUrl = 'https://pay.example.com/kiosk-7';
    expect(settingsChanges(saved, { ...saved, publicBaseUrl: ` ${publicBaseUrl} ` }, '')).toEqual({
      publicBaseUrl,
    });
  });

  it('reads the time to pay only within the contract’s bounds', () => {
    expect(parseExpirySeconds('120')).toBe(120);
    expect(parseExpirySeconds(' 10 ')).toBe(10);
    expect(parseExpirySeconds('3600')).toBe(3600);
    expect(parseExpirySeconds('9')).toBeNull();
    expect(parseExpirySeconds('3601')).toBeNull();
    expect(parseExpirySeconds('12.5')).toBeNull();
    expect(parseExpirySeconds('')).toBeNull();
  });
});

describe('describeError', () => {
  it('words each failure from the catalogue, naming the field in plain words', () => {
    const refused = (code: 'INVALID_INPUT' | 'WRONG_PHASE' | 'NO_PAYMENT_API', field?: string) => ({
      kind: 'refused' as const,
      command: 'attendant.unlock' as const,
      failure: { code, message: 'internal detail', ...(field ? { field } : {}) },
    });
    expect(describeError(en, refused('INVALID_INPUT', 'pin'))).toBe(
      `${en.errors.refused.INVALID_INPUT} Check: the PIN.`,
    );
    expect(describeError(en, refused('INVALID_INPUT', 'lines.0.qty'))).toContain('lines.0.qty');
    expect(describeError(en, refused('INVALID_INPUT', 'devices'))).toBe(
      `${en.errors.refused.INVALID_INPUT} Check: the devices.`,
    );
    expect(describeError(en, refused('WRONG_PHASE'))).toBe(en.errors.refused.WRONG_PHASE);
    expect(describeError(en, refused('NO_PAYMENT_API'))).toContain('Settings');
    expect(
      describeError(en, { kind: 'transport', command: 'sale.cancel', reason: 'disconnected' }),
    ).toBe(en.errors.disconnected);
    // The terminal's own message is for logs, never the screen.
    expect(describeError(en, refused('WRONG_PHASE'))).not.toContain('internal detail');
  });
});
