// The slice of pino's API the drivers use, so a pino logger (or its child) fits as is and tests
// can pass a recorder. hardware/ imports nothing else of ours, so this is its own copy.

type LogFn = (fields: Record<string, unknown>, message: string) => void;

export interface HardwareLogger {
  child(bindings: Record<string, unknown>): HardwareLogger;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const ignore: LogFn = () => undefined;

/** Used when no logger is given. */
export const silentLogger: HardwareLogger = {
  child: () => silentLogger,
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
};
