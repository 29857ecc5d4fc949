// A thin client's page (served on the host's thin-client address) has no start link and so no
// token: it exchanges the pairing code shown on the kiosk's console for one
// (terminal/contract/pairing-messages.ts), then connects like any other page.
import {
  PAIRING_PATH,
  type PairingRefusal,
  type PairingReply,
  type PairingRequest,
} from '../contract.ts';

/**
 * Where a start link points: the kiosk's own screen. A page there without a token lost its
 * link (the host offers no pairing on loopback alone), so it says so instead of pairing.
 */
const START_LINK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for a page without a token that was served on a thin-client address. */
export function needsPairing(location: Pick<Location, 'hostname'>): boolean {
  return !START_LINK_HOSTS.has(location.hostname);
}

/** The host's reply, or `unreachable` when there was none a page could read. */
export type PairingResult = PairingReply | { ok: false; reason: 'unreachable' };

/** How long to wait for the host before telling the person at the thin client. */
const PAIRING_TIMEOUT_MS = 10_000;

const REFUSALS = new Set<PairingRefusal>(['wrong-code', 'expired', 'locked', 'foreign-origin']);

export async function exchangePairingCode(
  code: string,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<PairingResult> {
  try {
    const response = await fetchImpl(PAIRING_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code } satisfies PairingRequest),
      cache: 'no-store',
      signal: AbortSignal.timeout(PAIRING_TIMEOUT_MS),
    });
    const reply: unknown = await response.json();
    if (isPairingReply(reply)) return reply;
  } catch {
    // No answer, or not JSON (a proxy's error page): either way the host was not heard.
  }
  return { ok: false, reason: 'unreachable' };
}

function isPairingReply(value: unknown): value is PairingReply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as Record<string, unknown>;
  if (reply.ok === true) return typeof reply.token === 'string' && reply.token !== '';
  return (
    reply.ok === false &&
    REFUSALS.has(reply.reason as PairingRefusal) &&
    typeof reply.attemptsLeft === 'number'
  );
}
