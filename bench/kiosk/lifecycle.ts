// Interrupts, on top of bench/cleanup.ts. On SIGINT or SIGTERM the cleanup runs at once while
// the benchmark is still somewhere in its sequence; whatever it would start next would miss the
// cleanup and outlive the benchmark. So every start goes through `register`, which refuses once
// the benchmark has been interrupted, and the interrupted sequence simply fails its way out.
import { cleanUpEverything, deferCleanup } from '../cleanup.ts';

let interruptedBy: NodeJS.Signals | undefined;

export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

export function isInterrupted(): boolean {
  return interruptedBy !== undefined;
}

/** Throws once the benchmark has been interrupted; call before starting anything. */
export function ensureNotInterrupted(): void {
  if (interruptedBy) throw new InterruptedError(`interrupted by ${interruptedBy}`);
}

/**
 * deferCleanup, refused after an interrupt. Register before the first await of a start (with
 * an action that awaits the start itself), so no signal can fall between starting and
 * registering.
 */
export function register(action: () => void | Promise<void>): () => Promise<void> {
  ensureNotInterrupted();
  return deferCleanup(action);
}

/** On SIGINT or SIGTERM: clean up, then exit with the signal's conventional status. */
export function cleanUpOnInterrupt(): void {
  const onSignal = (signal: NodeJS.Signals, status: number) => {
    if (interruptedBy) return;
    interruptedBy = signal;
    console.error(`\n${signal}: stopping the hosts and the browser, removing temporary files…`);
    void cleanUpEverything().finally(() => process.exit(status));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
}
