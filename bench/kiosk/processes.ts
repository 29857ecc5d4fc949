// The processes the kiosk benchmark runs: `kiosk host` (through the e2e tests' runKiosk, so it
// starts exactly as the tests start it), a remote `kiosk core`, and bare `node`. Each one is
// registered for cleanup before it is waited for, so an interrupt during a start still stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runKiosk } from '../../tests/support/kiosk-process.ts';
import { startServerProcess, type ServerProcess } from '../server-process.ts';
import { ensureNotInterrupted, register } from './lifecycle.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How long a host may take to migrate, seed and print its addresses. */
const START_TIMEOUT_MS = 60_000;
/** How long a host may take to close after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

export interface HostProcess {
  url: string;
  pageUrl: string;
  /** The payment API the host uses: its embedded core, or the remote one it was given. */
  coreUrl: string;
  dataDir: string;
  /** The host's own Node process: bin/kiosk.mjs is spawned directly, not through a shell. */
  pid: number;
  /** Everything it printed so far, stdout and stderr. */
  lines: string[];
  stop(): Promise<void>;
}

export interface HostProcessOptions {
  /** A remote payment API (with its terminal key) instead of the embedded core. */
  apiUrl?: string;
  apiKey?: string;
  /** Extra environment, e.g. NODE_OPTIONS for the inspector. */
  env?: Record<string, string>;
}

/** A fresh temporary directory, removed at cleanup (after the processes started later). */
export function temporaryDirectory(label: string): { path: string; remove: () => Promise<void> } {
  ensureNotInterrupted();
  const path = mkdtempSync(join(tmpdir(), `kiosk-bench-${label}-`));
  const remove = register(() => rmSync(path, { recursive: true, force: true }));
  return { path, remove };
}

/** Starts `kiosk host --port 0` on `dataDir` and resolves once it printed its three lines. */
export async function startHostProcess(
  dataDir: string,
  options: HostProcessOptions = {},
): Promise<HostProcess> {
  const args = ['host', '--port', '0'];
  if (options.apiUrl) args.push('--api-url', options.apiUrl);
  ensureNotInterrupted();
  const starting = runKiosk(
    args,
    {
      KIOSK_DATA_DIR: dataDir,
      ...(options.apiKey ? { KIOSK_API_KEY: options.apiKey } : {}),
      ...options.env,
    },
    ['kiosk host on ', 'payment API on ', 'open '],
  );
  // runKiosk hands the child over only once it is ready; a start that failed left no process.
  const stop = register(async () => {
    const running = await withTimeout(starting, START_TIMEOUT_MS).catch(() => undefined);
    if (running) await stopChild(running.child);
  });
  try {
    const running = await withTimeout(starting, START_TIMEOUT_MS);
    return {
      url: running.found['kiosk host on ']!,
      coreUrl: running.found['payment API on ']!,
      pageUrl: running.found['open ']!,
      dataDir,
      pid: running.child.pid!,
      lines: running.lines,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Starts `kiosk core` on a SQLite file; bench/server-process.ts already waits for its line. */
export function startCoreProcess(db: string): Promise<ServerProcess> {
  // server-process.ts registers the core for cleanup itself, in the same turn as it spawns.
  ensureNotInterrupted();
  return startServerProcess('core', ['bin/kiosk.mjs', 'core', '--port', '0', '--db', db], {
    cwd: ROOT,
    // Request logs would only be echoed by server-process.ts and cost the core time.
    env: { LOG_LEVEL: 'warn' },
  });
}

/** Milliseconds from spawning `node -e ""` to its exit: what any Node program pays to start. */
export async function bareNodeStartMs(): Promise<number> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`node -e "" exited with ${code}`);
  return performance.now() - startedAt;
}

/** A process's resident set (VmRSS), in bytes. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kilobytes === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kilobytes) * 1024;
}

/** Open file descriptors: sockets, streams and database handles a leak would pile up. */
export function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
