// Timings of the kiosk screen. The page's query string may shorten them
// (`?idleMs=3000&resultMs=2000`) so end-to-end tests need not wait a minute.

/** No touch for this long returns the kiosk to its attract screen. */
export const IDLE_TIMEOUT_MS = 60_000;
/** A result screen (paid, declined, expired, cancelled, refunded) dismisses itself after this. */
export const RESULT_TIMEOUT_MS = 15_000;

export interface Timings {
  idleMs: number;
  resultMs: number;
}

export function readTimings(search: string): Timings {
  const params = new URLSearchParams(search);
  return {
    idleMs: positive(params.get('idleMs')) ?? IDLE_TIMEOUT_MS,
    resultMs: positive(params.get('resultMs')) ?? RESULT_TIMEOUT_MS,
  };
}

function positive(value: string | null): number | null {
  if (value === null) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
