/** An event that does not fit the flow's current phase; names both, and what would fit. */
export class RefusedTransitionError extends Error {
  override readonly name = 'RefusedTransitionError';
  constructor(
    readonly phase: string,
    readonly event: string,
    readonly allowed: readonly string[],
  ) {
    super(
      `'${event}' does not apply in phase '${phase}' (allowed: ${allowed.join(', ') || 'none'})`,
    );
  }
}

/** Ends an exhaustive switch: the compiler proves it unreachable, and at run time it throws. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
