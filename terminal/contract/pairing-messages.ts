// How a thin client (a page served on the host's thin-client address, which has no start link
// and so no token) earns the token: it POSTs the pairing code the kiosk's console shows, and a
// right code is answered with the same per-start token the start link carries. From then on the
// page connects exactly like a local one (socket-messages.ts).

export const PAIRING_PATH = '/pairing';
/** A pairing code is this many decimal digits. */
export const PAIRING_CODE_DIGITS = 6;

export interface PairingRequest {
  code: string;
}

/**
 * Why a code was not exchanged: `wrong-code` (counted; `attemptsLeft` says how many more may be
 * tried before pairing locks), `expired` (the code's time is up: pairing needs a new start),
 * `locked` (too many wrong codes: pairing needs a new start), `foreign-origin` (the request did
 * not come from a page this host served; not counted).
 */
export type PairingRefusal = 'wrong-code' | 'expired' | 'locked' | 'foreign-origin';

export type PairingReply =
  { ok: true; token: string } | { ok: false; reason: PairingRefusal; attemptsLeft: number };
