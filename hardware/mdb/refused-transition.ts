// The cashless machine's two guards, kept inside hardware/ because hardware imports nothing else of
// ours (the terminal's flows have their own pair with the same shape).

/** A kiosk command that does not fit the machine's current phase; names both, and what would fit. */
export class RefusedTransitionError extends Error {
  override readonly name = 'RefusedTransitionError';
  constructor(
    readonly phase: string,
    readonly event: string,
    readonly allowed: readonly string[],
    detail?: string,
  ) {
    super(
      `'${event}' does not apply in phase '${phase}' (allowed: ${allowed.join(', ') || 'none'})` +
        (detail ? `: ${detail}` : ''),
    );
  }
}

/** Ends an exhaustive switch: the compiler proves it unreachable, and at run time it throws. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
