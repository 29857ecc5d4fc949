// Two connected pseudo-terminals from socat, for running a driver against a simulator through the
// real serialport stack: the driver opens `a`, the simulator `b`. Stopping socat makes both ends
// vanish, which is how tests unplug a "device".
import { spawn } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Symlink to one PTY (the kiosk's end). */
  readonly a: string;
  /** Symlink to the other (the simulator's end). */
  readonly b: string;
  /** socat's process id. */
  readonly pid: number;
  /** Ends socat (both PTYs vanish) and removes the links; safe to call twice. */
  stop(): Promise<void>;
}

export interface PtyPairOptions {
  /** Give up on socat after this many ms. Default 5000. */
  timeoutMs?: number;
}

export async function startPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const socat = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => {
    if (socat.exitCode !== null || socat.signalCode !== null) resolve();
    else socat.once('exit', () => resolve());
  });
  let log = '';
  // A test process that ends without stop() (a failed assertion before cleanup, a crashed worker
  // that still exits) would leave socat running with nobody to reap it.
  const killOnExit = () => socat.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (socat.exitCode === null && socat.signalCode === null) socat.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`socat did not start in ${options.timeoutMs ?? 5000} ms:\n${log}`)),
        options.timeoutMs ?? 5000,
      );
      socat.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socat.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`socat exited (${code ?? signal}) before its PTYs were up:\n${log}`));
      });
      // socat keeps logging to stderr (-d -d); keep the pipe drained so it never blocks.
      socat.stderr.setEncoding('utf8').on('data', (text: string) => {
        if (log.length < 10_000) log += text;
        // Logged once both PTYs exist and their links are made.
        if (log.includes('starting data transfer loop')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await Promise.all([lstat(a), lstat(b)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { a, b, pid: socat.pid ?? -1, stop };
}
