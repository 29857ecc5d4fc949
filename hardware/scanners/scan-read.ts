// What a scanner read is, whichever wire it came over, and the checks every read passes before
// it becomes an event: control bytes dropped, AIM prefix turned into a symbology name, charset,
// length, and the EAN check digit (spec, Serial barcode scanner).

export type Symbology =
  | 'ean-13'
  | 'ean-8'
  | 'code-128'
  | 'gs1-128'
  | 'code-39'
  | 'itf'
  | 'qr'
  | 'data-matrix'
  | 'unknown';

/** One good read, emitted once. */
export interface ScanEvent {
  /** The read without suffix, AIM prefix or control bytes. */
  data: string;
  /** From the AIM identifier; `unknown` when the scanner sent none, or one not in the table. */
  symbology: Symbology;
  /** When the read was complete, in ms since the epoch. */
  at: number;
  /** The transport's name: the port or hidraw path. */
  source: string;
}

export type RejectReason =
  /** Longer than the framing cap: skipped to the next terminator. */
  | 'too-long'
  /** Cut off by the port closing before its terminator. */
  | 'incomplete'
  /** Nothing left once control bytes were dropped. */
  | 'empty'
  /** A character outside the allowed set, or bytes that are not UTF-8. */
  | 'charset'
  /** Too short or too long, or the wrong number of digits for EAN. */
  | 'length'
  /** EAN-13/EAN-8 whose last digit does not check. */
  | 'check-digit'
  /** A HID-POS report whose length byte cannot be right. */
  | 'bad-report';

export const REJECT_REASONS: readonly RejectReason[] = [
  'too-long',
  'incomplete',
  'empty',
  'charset',
  'length',
  'check-digit',
  'bad-report',
];

export interface ScannerStats {
  reads: number;
  rejects: number;
  rejectsByReason: Record<RejectReason, number>;
  /** Control bytes removed from reads that were otherwise kept or rejected. */
  controlBytesDropped: number;
  /** Bytes that arrived in the settling time after open. */
  bytesIgnoredAtOpen: number;
}

export function emptyStats(): ScannerStats {
  return {
    reads: 0,
    rejects: 0,
    rejectsByReason: Object.fromEntries(REJECT_REASONS.map((reason) => [reason, 0])) as Record<
      RejectReason,
      number
    >,
    controlBytesDropped: 0,
    bytesIgnoredAtOpen: 0,
  };
}

/** The spec's table (Zebra/NCR/Datalogic AIM tables). */
const AIM_SYMBOLOGIES: Readonly<Record<string, Exclude<Symbology, 'unknown'>>> = {
  ']E0': 'ean-13',
  ']E4': 'ean-8',
  ']C0': 'code-128',
  ']C1': 'gs1-128',
  ']A0': 'code-39',
  ']I0': 'itf',
  ']Q1': 'qr',
  ']d1': 'data-matrix',
};

// For these code letters the modifier only says how the symbol was read (check character
// transmitted, ECI, QR model), never another symbology, so any modifier maps. E and C are left
// exact: ]E3 is EAN with an add-on and ]C2 is AIM-128, which must not be checked as plain EAN-13
// or passed off as Code 128.
const AIM_FAMILIES: Readonly<Record<string, Exclude<Symbology, 'unknown'>>> = {
  A: 'code-39',
  I: 'itf',
  Q: 'qr',
  d: 'data-matrix',
};

/** The symbology an AIM identifier (`]cm`) names, or `unknown`. */
export function symbologyOfAim(aim: string): Symbology {
  return (
    AIM_SYMBOLOGIES[aim] ??
    (aim.length === 3 ? AIM_FAMILIES[aim.charAt(1)] : undefined) ??
    'unknown'
  );
}

/** The AIM identifier a scanner sends for a symbology (the spec's table). */
export function aimIdOf(symbology: Exclude<Symbology, 'unknown'>): string {
  const found = Object.entries(AIM_SYMBOLOGIES).find(([, name]) => name === symbology);
  if (!found) throw new TypeError(`no AIM identifier for ${symbology}`);
  return found[0];
}

const isLetter = (byte: number | undefined): boolean =>
  byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
const isDigit = (byte: number | undefined): boolean =>
  byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** `]`, a code letter, a modifier letter or digit: an AIM identifier (ISO/IEC 15424). */
export function startsWithAim(bytes: Uint8Array): boolean {
  return bytes[0] === 0x5d && isLetter(bytes[1]) && (isLetter(bytes[2]) || isDigit(bytes[2]));
}

/** C0 controls and DEL: line noise, never part of a read we accept. */
export function dropControlBytes(bytes: Uint8Array): { bytes: Uint8Array; dropped: number } {
  const kept = bytes.filter((byte) => byte >= 0x20 && byte !== 0x7f);
  return { bytes: kept, dropped: bytes.length - kept.length };
}

export interface ReadRules {
  /** Shortest read accepted, in characters. Default 1. */
  minLength?: number;
  /** Longest read accepted, in characters. Default 512, the framing cap. */
  maxLength?: number;
  /**
   * Matches one allowed character (no `g` or `y` flag). Default printable ASCII, `/[\x20-\x7e]/`:
   * what 1D symbologies carry; allow more for QR codes holding UTF-8 text.
   */
  charset?: RegExp;
}

export const MAX_READ_BYTES = 512;

export function resolveReadRules(rules: ReadRules): Required<ReadRules> {
  const minLength = rules.minLength ?? 1;
  const maxLength = rules.maxLength ?? MAX_READ_BYTES;
  const charset = rules.charset ?? /[\x20-\x7e]/;
  if (!Number.isInteger(minLength) || minLength < 1) {
    throw new TypeError(`"minLength" must be an integer >= 1, got ${String(minLength)}`);
  }
  if (!Number.isInteger(maxLength) || maxLength < minLength) {
    throw new TypeError(`"maxLength" must be an integer >= minLength, got ${String(maxLength)}`);
  }
  if (!(charset instanceof RegExp) || charset.global || charset.sticky) {
    throw new TypeError('"charset" must be a RegExp without the g or y flag');
  }
  return { minLength, maxLength, charset };
}

export type ReadCheck =
  { ok: true; data: string } | { ok: false; reason: RejectReason; detail: Record<string, unknown> };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks a read whose control bytes are gone and whose AIM prefix is stripped. A reject's detail
 * never holds the read itself: a read may be a patron's payment code.
 */
export function checkRead(
  bytes: Uint8Array,
  symbology: Symbology,
  rules: Required<ReadRules>,
): ReadCheck {
  if (bytes.length === 0) return { ok: false, reason: 'empty', detail: {} };
  let data: string;
  try {
    data = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'charset', detail: { bytes: bytes.length, utf8: false } };
  }
  const characters = [...data];
  const bad = characters.findIndex((character) => !rules.charset.test(character));
  if (bad >= 0) {
    const codePoint = characters[bad]?.codePointAt(0) ?? 0;
    return {
      ok: false,
      reason: 'charset',
      detail: { at: bad, codePoint: `0x${codePoint.toString(16).padStart(2, '0')}` },
    };
  }
  if (characters.length < rules.minLength || characters.length > rules.maxLength) {
    return { ok: false, reason: 'length', detail: { length: characters.length } };
  }
  if (symbology === 'ean-13' || symbology === 'ean-8') return checkEan(data, symbology);
  return { ok: true, data };
}

function checkEan(data: string, symbology: 'ean-13' | 'ean-8'): ReadCheck {
  if (!/^\d+$/.test(data)) {
    return { ok: false, reason: 'charset', detail: { symbology, digitsOnly: false } };
  }
  // ]E0 also carries UPC-A, which some scanners send as 12 digits without the leading 0.
  const lengths = symbology === 'ean-13' ? [12, 13] : [8];
  if (!lengths.includes(data.length)) {
    return { ok: false, reason: 'length', detail: { symbology, length: data.length } };
  }
  if (!hasValidGtinCheckDigit(data)) {
    return { ok: false, reason: 'check-digit', detail: { symbology } };
  }
  return { ok: true, data };
}

/** GS1 mod-10: weights 3 and 1 from the right, the check digit excluded. */
export function hasValidGtinCheckDigit(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += Number(digits[i]) * weight;
  }
  return (10 - (sum % 10)) % 10 === Number(digits.at(-1));
}
