// The payment API's failures as the kiosk sees them. A refusal (`PaymentApiError`) is a known
// outcome: nothing happened, and `code` says why. `OutcomeUnknownError` means the call may or may
// not have taken effect (network, timeout, 5xx, a body that is not the expected JSON) even after
// retries; the flows treat it as "void to be sure".

/** The API answered with a 4xx and its error body. */
export class PaymentApiError extends Error {
  override readonly name = 'PaymentApiError';
  constructor(
    readonly statusCode: number,
    /** The contract's CODE (e.g. `REQUEST_PAID`), or the HTTP reason when the body had none. */
    readonly code: string,
    /** Centrapay's optional `reason` (e.g. which code check failed). */
    readonly reason?: string,
    /** For 429: seconds to wait, from `Retry-After`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${statusCode} ${code}${reason ? ` (${reason})` : ''}`);
  }
}

export class OutcomeUnknownError extends Error {
  override readonly name = 'OutcomeUnknownError';
  constructor(
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
