// The wedge detector fed synthetic keystroke timings (spec: UI tests type wedge scans at 5-20 ms
// per key, people at >= 120 ms), against a stand-in for a focused text field.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WedgeScanner, type KeyVerdict, type WedgeScannerOptions } from './wedge-scanner.ts';

const PATRON_CODE = '6280012345678903';

/**
 * A detector in front of a focused field, as the hook installs it: a key the detector passes
 * acts on the field (a character is typed, Enter submits the form), a swallowed one does
 * nothing, and held keys it gives back are typed at the caret.
 */
function focusedField(options: Partial<WedgeScannerOptions> = {}, initialValue = '') {
  const field = { value: initialValue, submitted: [] as string[], reads: [] as string[] };
  const verdicts: KeyVerdict[] = [];
  const scanner = new WedgeScanner({
    onRead: (data) => field.reads.push(data),
    onTyped: (text) => (field.value += text),
    startTimer: (callback, ms) => {
      const timer = setTimeout(callback, ms);
      return () => clearTimeout(timer);
    },
    ...options,
  });
  const press = (key: string, byHand = false) => {
    const verdict = scanner.keydown({ key, at: Date.now(), byHand });
    verdicts.push(verdict);
    if (verdict === 'swallow') return;
    if (key === 'Enter') field.submitted.push(field.value);
    else if (key.length === 1) field.value += key;
  };
  /** Presses each key `gapMs` after the one before (the first `gapMs` after now). */
  const type = (keys: string | readonly string[], gapMs: number) => {
    for (const key of keys) {
      vi.advanceTimersByTime(gapMs);
      press(key);
    }
  };
  /** Lets the detector's hold run out with no further key. */
  const pause = () => vi.advanceTimersByTime(1_000);
  return { field, verdicts, press, type, pause, scanner };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WedgeScanner', () => {
  it.each([5, 10, 20])(
    'takes keys %i ms apart ended by Enter as one read, all swallowed',
    (gap) => {
      const { field, verdicts, type } = focusedField();
      type([...PATRON_CODE, 'Enter'], gap);
      expect(field.reads).toEqual([PATRON_CODE]);
      expect(verdicts.every((verdict) => verdict === 'swallow')).toBe(true);
      expect(field).toMatchObject({ value: '', submitted: [] });
    },
  );

  it('leaves a focused field as it was when a scan arrives', () => {
    const { field, type, pause } = focusedField({}, '12');
    type([...PATRON_CODE, 'Enter'], 10);
    pause();
    expect(field).toMatchObject({ value: '12', submitted: [], reads: [PATRON_CODE] });
  });

  it('ends a read with Tab too', () => {
    const { field, type } = focusedField();
    type([...'ABC123', 'Tab'], 10);
    expect(field.reads).toEqual(['ABC123']);
  });

  it('reads capitals, which a scanner types with Shift held', () => {
    const { field, type } = focusedField();
    const keys = [...'CP-C7F-ZS5'].flatMap((key) => (/[A-Z]/.test(key) ? ['Shift', key] : [key]));
    type([...keys, 'Enter'], 5);
    expect(field.reads).toEqual(['CP-C7F-ZS5']);
  });

  it.each([120, 200])('types a person at %i ms per key into the field, with no read', (gap) => {
    const { field, type, pause } = focusedField();
    type(PATRON_CODE, gap);
    pause();
    expect(field).toMatchObject({ value: PATRON_CODE, reads: [] });
  });

  it('submits everything a person typed when Enter follows the last key at once', () => {
    const { field, verdicts, type } = focusedField();
    type(PATRON_CODE, 120);
    type(['Enter'], 10);
    expect(field.submitted).toEqual([PATRON_CODE]);
    expect(verdicts.at(-1)).toBe('pass');
  });

  it('gives a person each key within the hold time, in order, between keys', () => {
    const { field, type } = focusedField();
    type('123', 120);
    // The third key is still held; the first two are in the field.
    expect(field.value).toBe('12');
    vi.advanceTimersByTime(100);
    expect(field.value).toBe('123');
  });

  it('takes a fast burst shorter than a read as typing, and lets its Enter submit it', () => {
    const { field, verdicts, type } = focusedField();
    type([...'12345', 'Enter'], 10);
    expect(field).toMatchObject({ value: '12345', submitted: ['12345'], reads: [] });
    expect(verdicts.at(-1)).toBe('pass');
  });

  it('takes a burst with one gap over 40 ms as typing', () => {
    const { field, type } = focusedField();
    type('628001', 10);
    type('2345678903', 60);
    type(['Enter'], 10);
    expect(field).toMatchObject({ value: PATRON_CODE, submitted: [PATRON_CODE], reads: [] });
  });

  it('types a burst that stops without a terminator into the field', () => {
    const { field, type, pause } = focusedField();
    type(PATRON_CODE, 10);
    pause();
    expect(field).toMatchObject({ value: PATRON_CODE, reads: [] });
  });

  it('reads a burst that stops without a terminator when told to end reads on a pause', () => {
    const { field, type, pause } = focusedField({ endOnPause: true });
    type(PATRON_CODE, 10);
    pause();
    expect(field).toMatchObject({ value: '', reads: [PATRON_CODE] });
  });

  it('keeps a person and a scanner apart when they take turns', () => {
    const { field, type, pause } = focusedField();
    type('12', 150);
    vi.advanceTimersByTime(150);
    type([...PATRON_CODE, 'Enter'], 10);
    type('3', 150);
    pause();
    expect(field).toMatchObject({ value: '123', reads: [PATRON_CODE], submitted: [] });
  });

  it('gives typing back before a key that edits it', () => {
    const { field, press, type } = focusedField();
    type('12', 120);
    press('Backspace');
    expect(field.value).toBe('12');
  });

  it('never reads auto-repeat, however fast', () => {
    const { field, press } = focusedField();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(30);
      press('1', true);
    }
    press('Enter');
    expect(field).toMatchObject({ value: '1111111111', reads: [] });
  });

  it('forgets held keys when disposed', () => {
    const { field, scanner, type, pause } = focusedField();
    type('123', 10);
    scanner.dispose();
    pause();
    expect(field).toMatchObject({ value: '', reads: [] });
  });

  it('names a bad option', () => {
    expect(() => focusedField({ maxGapMs: 0 })).toThrow(/"maxGapMs"/);
    expect(() => focusedField({ minLength: 1.5 })).toThrow(/"minLength"/);
    expect(() => focusedField({ holdMs: 20 })).toThrow(/"holdMs"/);
  });
});
