// Small helpers for the wire form every reply shares.

/** ISO-8601 UTC, as the API shows every time. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `{key: value}`, or nothing when the value is absent: optional fields are left out, not null. */
export function optional<K extends string, V>(
  key: K,
  value: V | null | undefined,
): Partial<Record<K, V>> {
  return value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
