// Runs `kiosk simulate <device> --pty ...` as its own process, as a user would, for a test to
// drive through its stdin and the PTY end it prints.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { eventQueue, type EventQueue } from '../../hardware/testing/event-queue.ts';

const BIN = fileURLToPath(new URL('../../bin/kiosk.mjs', import.meta.url));

export interface SimulatorProcess {
  /** The PTY end the kiosk opens, as printed. */
  path: string;
  /** Every line printed, the ones up to `ready` already taken. */
  output: EventQueue<string>;
  stdin: Writable;
  /** The exit code. */
  exited: Promise<number | null>;
}

/**
 * Starts `kiosk simulate <argv>` (with --pty), waits for its `kiosk side:` line and then for a line
 * starting with `ready`, runs `test`, and ends the process if it is still running.
 */
export async function withSimulatorProcess(
  argv: string[],
  ready: string,
  test: (simulator: SimulatorProcess) => Promise<void>,
): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'simulate', ...argv], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const output = eventQueue<string>((listener) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', listener);
    return () => lines.close();
  });
  try {
    const first = await output.next(15_000);
    const path = /^kiosk side: (.+)$/.exec(first)?.[1];
    if (path === undefined) throw new Error(`expected the kiosk side first, got ${first}`);
    while (!(await output.next(5_000)).startsWith(ready));
    await test({ path, output, stdin: child.stdin, exited });
  } finally {
    output.stop();
    if (child.exitCode === null) child.kill();
  }
}
