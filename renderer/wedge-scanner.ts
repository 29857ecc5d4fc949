// Tells a keyboard-wedge scanner's reads from a person's typing by keystroke timing. A wedge
// scanner is a USB keyboard: it types a barcode's characters a few milliseconds apart, then
// Enter (spec, Keyboard wedge: >= 6 printable keys <= 40 ms apart, ended by Enter or Tab).
// Pure: the caller feeds it keydowns with their times and gives it a timer; it answers, key by
// key, whether the page may act on the key, and reports reads and typing through callbacks.
//
// The first keys of a burst cannot be known to be a scan when they arrive. onScan.js lets them
// through and only recognises the scan afterwards, so a scan into a focused field lands in the
// field (its `ignoreIfFocusOn` gives up on scans there instead); NielsLeenheer's
// WebHidBarcodeScanner sidesteps the guess by reading the scanner in HID mode, which our
// hid-pos driver does for scanners that offer it. Here a wedge scanner must work on any screen
// and never type into a field, so every printable key is held back while a burst may be
// starting: once the burst is a read it is swallowed whole, and when it is not (a gap too long,
// too few keys, another key) the held keys are given to the field as typing, in order. A
// person's key therefore reaches the field up to `holdMs` late, which nobody notices at
// >= 120 ms per key; taking characters back out of a field afterwards would instead have to undo
// whatever the field did with them (filtering, length caps, clearing its error).

export interface Keystroke {
  /** `KeyboardEvent.key`: the character of a printable key, a name ('Enter', 'Shift') otherwise. */
  key: string;
  /** When the key went down, in ms on a steady clock (`KeyboardEvent.timeStamp`). */
  at: number;
  /** Auto-repeat, or Ctrl, Alt or Meta held: a person's key, never part of a read. */
  byHand: boolean;
}

/** `swallow`: the page must not act on the key (preventDefault). `pass`: act as usual. */
export type KeyVerdict = 'swallow' | 'pass';

/** Runs `callback` once after `ms`; the returned function cancels it. */
export type StartTimer = (callback: () => void, ms: number) => () => void;

export interface WedgeScannerOptions {
  /**
   * The longest gap between two keys of one read, in ms. Default 40, the spec's: libraries use
   * 30-50, UI tests type scans at 5-20 ms per key and people type at >= 120.
   */
  maxGapMs?: number;
  /** The fewest characters a read has. Default 6, the spec's. */
  minLength?: number;
  /**
   * How long held keys wait for the next key before they go to the field as typing, in ms; at
   * least `maxGapMs`. Default 100, the spec's reset gap: the slack over `maxGapMs` keeps a scan
   * whole when a busy page runs this timer before key events that were already queued.
   */
  holdMs?: number;
  /** The keys that end a read, swallowed with it. Default Enter and Tab, the spec's. */
  terminators?: readonly string[];
  /**
   * Also take a burst that stops without a terminator as a read, after `holdMs` of silence, for
   * scanners set up with no suffix. Default false: with it, six keys rolled off quickly by a
   * person would be a read.
   */
  endOnPause?: boolean;
  /** One read, without its terminator. */
  onRead(data: string): void;
  /** Held keys that turned out to be typing: the caller puts them where the keys would have gone. */
  onTyped(text: string): void;
  startTimer: StartTimer;
}

/** Keys a scanner presses around characters (Shift for capitals): they neither start nor end a read. */
const MODIFIER_KEYS: ReadonlySet<string> = new Set([
  'Shift',
  'Control',
  'Alt',
  'AltGraph',
  'Meta',
  'CapsLock',
]);

export class WedgeScanner {
  readonly #maxGapMs: number;
  readonly #minLength: number;
  readonly #holdMs: number;
  readonly #terminators: ReadonlySet<string>;
  readonly #endOnPause: boolean;
  readonly #onRead: (data: string) => void;
  readonly #onTyped: (text: string) => void;
  readonly #startTimer: StartTimer;
  /** The printable keys of a burst that may still be a read, each within `maxGapMs` of the last. */
  #held: string[] = [];
  #lastKeyAt = 0;
  #cancelHold: (() => void) | null = null;

  constructor(options: WedgeScannerOptions) {
    this.#maxGapMs = options.maxGapMs ?? 40;
    this.#minLength = options.minLength ?? 6;
    this.#holdMs = options.holdMs ?? 100;
    this.#terminators = new Set(options.terminators ?? ['Enter', 'Tab']);
    this.#endOnPause = options.endOnPause ?? false;
    this.#onRead = options.onRead;
    this.#onTyped = options.onTyped;
    this.#startTimer = options.startTimer;
    if (!(this.#maxGapMs > 0)) {
      throw new TypeError(`"maxGapMs" must be > 0, got ${String(this.#maxGapMs)}`);
    }
    if (!Number.isInteger(this.#minLength) || this.#minLength < 1) {
      throw new TypeError(`"minLength" must be an integer >= 1, got ${String(this.#minLength)}`);
    }
    if (!(this.#holdMs >= this.#maxGapMs)) {
      throw new TypeError(`"holdMs" must be >= maxGapMs, got ${String(this.#holdMs)}`);
    }
  }

  /** One keydown: whether the page may act on it. */
  keydown(stroke: Keystroke): KeyVerdict {
    if (MODIFIER_KEYS.has(stroke.key)) return 'pass';
    if (isPrintable(stroke)) {
      if (this.#held.length > 0 && stroke.at - this.#lastKeyAt > this.#maxGapMs) {
        this.#releaseAsTyping();
      }
      this.#held.push(stroke.key);
      this.#lastKeyAt = stroke.at;
      this.#cancelHold?.();
      this.#cancelHold = this.#startTimer(() => this.#holdExpired(), this.#holdMs);
      return 'swallow';
    }
    if (this.#terminators.has(stroke.key) && !stroke.byHand && this.#heldIsRead(stroke.at)) {
      this.#emitRead();
      return 'swallow';
    }
    // Any other key is a person's (Backspace, arrows, a shortcut, Enter after typing): what they
    // typed before it goes to the field first, so the key acts on it.
    this.#releaseAsTyping();
    return 'pass';
  }

  /** Stops the timer and forgets held keys: the page is going away. */
  dispose(): void {
    this.#cancelHold?.();
    this.#cancelHold = null;
    this.#held = [];
  }

  #heldIsRead(terminatorAt: number): boolean {
    return this.#held.length >= this.#minLength && terminatorAt - this.#lastKeyAt <= this.#maxGapMs;
  }

  #holdExpired(): void {
    this.#cancelHold = null;
    if (this.#endOnPause && this.#held.length >= this.#minLength) this.#emitRead();
    else this.#releaseAsTyping();
  }

  #emitRead(): void {
    const data = this.#take();
    this.#onRead(data);
  }

  #releaseAsTyping(): void {
    const text = this.#take();
    if (text !== '') this.#onTyped(text);
  }

  #take(): string {
    this.#cancelHold?.();
    this.#cancelHold = null;
    const text = this.#held.join('');
    this.#held = [];
    return text;
  }
}

function isPrintable(stroke: Keystroke): boolean {
  return !stroke.byHand && [...stroke.key].length === 1;
}
