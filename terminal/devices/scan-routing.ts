// Where a scanner read goes, decided from what the kiosk is waiting for: a scan becomes the same
// command the screen would send, so it passes the same validation and PIN guard, or it is
// ignored. Pure: the kiosk reads its state, asks here, and invokes the answer.
import type { CommandInput, CommandName } from '../contract/commands.ts';
import type { KioskState, RefundState } from '../contract/state.ts';

export type ScanRoute =
  | RoutedScan<'sale.submitBarcode'>
  | RoutedScan<'sale.submitVoucher'>
  | RoutedScan<'refund.lookup'>
  | { command: null; reason: IgnoredReason };

interface RoutedScan<N extends CommandName> {
  command: N;
  input: CommandInput<N>;
}

/** Why a read was ignored; safe to log, as it never holds the read. */
export type IgnoredReason =
  /** Nothing on screen takes a scan. */
  | 'nothing-waiting'
  /** Something waits for a scan, but not one of this shape. */
  | 'unexpected-shape';

const PATRON_CODE = /^[0-9]{16}$/;
/** A voucher code as the keypad takes it: digits only, as long as the command allows. */
const VOUCHER_CODE = /^[0-9]{1,64}$/;
/** A receipt's short code as printed (CP-C7F-ZS5); its check character is the refund flow's. */
const SHORT_CODE = /^CP-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}$/;

/** Refund phases in which a new lookup replaces what the screen shows. */
const LOOKUP_PHASES: ReadonlySet<RefundState['phase']> = new Set([
  'idle',
  'notFound',
  'found',
  'refunded',
]);

export function routeScan(data: string, state: KioskState): ScanRoute {
  const read = data.trim();
  const { sale, refund, attendant } = state;
  let waiting = false;
  if (sale.phase === 'awaitingBarcode') {
    waiting = true;
    if (PATRON_CODE.test(read)) return { command: 'sale.submitBarcode', input: { barcode: read } };
  }
  if (sale.phase === 'awaitingPayment' && sale.order.method === 'voucher') {
    waiting = true;
    if (VOUCHER_CODE.test(read)) return { command: 'sale.submitVoucher', input: { code: read } };
  }
  if (attendant.unlocked && LOOKUP_PHASES.has(refund.phase)) {
    waiting = true;
    const shortCode = read.toUpperCase();
    if (SHORT_CODE.test(shortCode)) return { command: 'refund.lookup', input: { shortCode } };
  }
  return { command: null, reason: waiting ? 'unexpected-shape' : 'nothing-waiting' };
}
