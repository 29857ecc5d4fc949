// The Qibixx MDB adapter's ASCII lines, both ways: what the adapter prints (lower case) parsed into
// typed events, and the kiosk's commands (upper case) formatted from typed values. Lines nobody
// documents become `unknown` events: the driver logs them and carries on (spec/hardware.md, "drivers
// tolerate deviations").
import { DEFAULT_DECIMALS, formatAmount, parseAmount } from './amount.ts';

/** Reader states the adapter reports with `c,STATUS,...` (Session Idle has its own event). */
export type ReaderStatus = 'inactive' | 'disabled' | 'enabled';

/** What a `c,ERR,...` line means. */
export type AdapterErrorKind =
  /** `VEND 3`: the VMC reports the vend failed (nothing dispensed). */
  | 'vendFailed'
  /** `VEND 1`: the VMC cancelled the vend request (it stopped waiting for approval). */
  | 'vendCancelled'
  /** `VEND 5`: the VMC was reset. */
  | 'vmcReset'
  /** `START -3`: the reader is not enabled yet; retry. */
  | 'startRefused'
  /** `VEND -3`: a vend command in the wrong state (e.g. an approval after the VMC gave up). */
  | 'wrongState'
  /** `cashless is on`: a command that needs cashless off (SETCONF, C,1) while it is on. */
  | 'cashlessOn'
  /** Any other error text; kept verbatim in `text`. */
  | 'other';

export type AdapterLine =
  | { type: 'status'; status: ReaderStatus }
  /** `c,1` or `c,STATUS,ONLINE` (some firmware): cashless mode is on, VMC state not yet known. */
  | { type: 'online' }
  /** `c,STATUS,IDLE[,<funds>]`: a session is open. */
  | { type: 'sessionIdle'; fundsMinor: number | null }
  /** `c,STATUS,VEND,<price>,<item>`: the VMC asks to vend item `item` at `price`. */
  | { type: 'vendRequest'; priceMinor: number; item: number }
  | { type: 'vendSuccess' }
  | { type: 'error'; kind: AdapterErrorKind; text: string }
  | { type: 'setOk' }
  | { type: 'version'; version: string; cpuId: string }
  /** `r,ACK`: an acknowledgement with no content; ignored. */
  | { type: 'ack' }
  | { type: 'unknown'; line: string; reason: string };

const ERROR_KINDS: Record<string, AdapterErrorKind> = {
  'VEND 3': 'vendFailed',
  'VEND 1': 'vendCancelled',
  'VEND 5': 'vmcReset',
  'START -3': 'startRefused',
  'VEND -3': 'wrongState',
  'CASHLESS IS ON': 'cashlessOn',
};

/** MDB item numbers are 16-bit. */
const MAX_ITEM = 0xffff;

/**
 * Parses one line (CR already trimmed). `decimals` is the currency's minor-unit digits, the scale
 * of every amount on the link.
 */
export function parseAdapterLine(line: string, decimals: number = DEFAULT_DECIMALS): AdapterLine {
  const unknown = (reason: string): AdapterLine => ({ type: 'unknown', line, reason });
  // The protocol is printable ASCII; anything else is line noise, and a corrupted line is never
  // trusted even if the rest of it looks right (money moves on these lines).
  if (!/^[\x20-\x7e]*$/.test(line)) return unknown('bytes outside printable ASCII');
  const fields = line.split(',');
  const [kind, first, second, third, fourth] = fields;
  switch (kind) {
    case 'c':
      break;
    case 'v':
      if (fields.length >= 2 && first)
        return { type: 'version', version: first, cpuId: fields.slice(2).join(',') };
      return unknown('version line without a version');
    case 'r':
      return line === 'r,ACK' ? { type: 'ack' } : unknown('unrecognised r line');
    default:
      return unknown('unrecognised line');
  }
  if (line === 'c,1') return { type: 'online' };
  switch (first) {
    case 'STATUS':
      switch (second) {
        case 'INACTIVE':
        case 'DISABLED':
        case 'ENABLED':
          if (fields.length !== 3) return unknown(`extra fields after ${second}`);
          return { type: 'status', status: second.toLowerCase() as ReaderStatus };
        case 'ONLINE':
          return fields.length === 3 ? { type: 'online' } : unknown('extra fields after ONLINE');
        case 'IDLE': {
          if (fields.length === 3) return { type: 'sessionIdle', fundsMinor: null };
          const fundsMinor = fields.length === 4 ? parseAmount(third ?? '', decimals) : undefined;
          if (fundsMinor === undefined) return unknown('IDLE with unreadable funds');
          return { type: 'sessionIdle', fundsMinor };
        }
        case 'VEND': {
          if (fields.length !== 5) return unknown('VEND request needs a price and an item');
          const priceMinor = parseAmount(third ?? '', decimals);
          if (priceMinor === undefined) return unknown('VEND request with an unreadable price');
          if (!/^\d{1,5}$/.test(fourth ?? '') || Number(fourth) > MAX_ITEM)
            return unknown('VEND request with an unreadable item number');
          return { type: 'vendRequest', priceMinor, item: Number(fourth) };
        }
        default:
          return unknown('unrecognised status');
      }
    case 'VEND':
      if (line === 'c,VEND,SUCCESS') return { type: 'vendSuccess' };
      return unknown('unrecognised VEND result');
    case 'SET':
      return line === 'c,SET,OK' ? { type: 'setOk' } : unknown('unrecognised SET reply');
    case 'ERR': {
      // The text is quoted by the firmware (`c,ERR,"VEND 3"`); tolerate it bare too.
      const text = fields
        .slice(2)
        .join(',')
        .replace(/^"(.*)"$/, '$1')
        .trim();
      return { type: 'error', kind: ERROR_KINDS[text.toUpperCase()] ?? 'other', text };
    }
    default:
      return unknown('unrecognised c line');
  }
}

/** The kiosk's commands to the adapter, each formatted as one line without its `\n`. */
export const qibixxCommand = {
  version: (): string => 'V',
  cashlessOff: (): string => 'C,0',
  cashlessOn: (): string => 'C,1',
  setConfig: (key: string, value: string): string => {
    if (!/^[a-z0-9-]+$/.test(key) || !/^[\x21-\x7e]+$/.test(value) || value.includes(',')) {
      throw new TypeError(`not a SETCONF setting: ${key}=${value}`);
    }
    return `C,SETCONF,${key}=${value}`;
  },
  startSession: (creditMinor: number, decimals: number = DEFAULT_DECIMALS): string =>
    `C,START,${formatAmount(creditMinor, decimals)}`,
  approveVend: (amountMinor: number, decimals: number = DEFAULT_DECIMALS): string =>
    `C,VEND,${formatAmount(amountMinor, decimals)}`,
  denyVend: (): string => 'C,VEND,-1',
  stop: (): string => 'C,STOP',
} as const;
