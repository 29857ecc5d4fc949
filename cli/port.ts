/** A --port value: 0 picks any free port. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`--port must be 0-65535, got ${value}`);
  }
  return port;
}
