// Countdowns on screen: whole seconds, counted from the kiosk's clock.

/** Whole seconds left until `iso` (0 once passed, null if unparsable). */
export function secondsUntil(iso: string | null, now: number): number | null {
  if (iso === null) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** 125 → "2:05". */
export function formatDuration(seconds: number): string {
  const s = seconds % 60;
  return `${(seconds - s) / 60}:${String(s).padStart(2, '0')}`;
}
