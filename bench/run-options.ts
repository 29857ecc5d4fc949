// What every benchmark script shares: its sizes from the environment, and its progress lines.

/** A whole number ≥ 1 from `$name`, or `fallback`; anything else stops the run, naming it. */
export function wholeNumberFromEnvironment(name: string, fallback: number): number {
  const value = process.env[name] ?? String(fallback);
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new TypeError(`${name} must be a whole number ≥ 1, got ${value}`);
  return parsed;
}

/** A line saying what runs now, so a long benchmark never looks stuck. */
export function progress(message: string): void {
  console.log(`… ${message}`);
}
