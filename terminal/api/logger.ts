// The slice of pino's API the payment client uses, so a pino logger (or its child) fits as is and
// tests can pass a recorder. Nothing logged here ever carries the API key or a request body: a
// body can hold a voucher code or a gift card number.

type LogFn = (fields: Record<string, unknown>, message: string) => void;

export interface PaymentApiLogger {
  child(bindings: Record<string, unknown>): PaymentApiLogger;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const ignore: LogFn = () => undefined;

/** Used when no logger is given. */
export const silentLogger: PaymentApiLogger = {
  child: () => silentLogger,
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
};
