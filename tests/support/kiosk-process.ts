// Starts `kiosk host` as its own process on a fresh data directory, as a user would, and
// reads the addresses it prints. Its log is kept and shown only when a test fails.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import type { TerminalSettings } from '../../terminal/settings.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface HostOptions {
  /** A remote core instead of the embedded one. */
  apiUrl?: string;
  apiKey?: string;
  dataDir?: string;
  /** Written to the data directory's settings.json before the host starts. */
  settings?: Partial<TerminalSettings>;
  /** Also serve thin clients on this address (`--thin-clients`). */
  thinClients?: string;
}

export interface RunningHost {
  url: string;
  pageUrl: string;
  /** The embedded core's address (or the remote one given). */
  coreUrl: string;
  /** With `thinClients`: the line `http://<address>:<port> (pairing code NNNNNN)`. */
  thinClientsLine?: string;
  dataDir: string;
  log: () => string;
  stop(): Promise<void>;
  /** SIGKILL; the data directory is kept for the next start. */
  crash(): Promise<void>;
}

export interface RunningProcess {
  child: ChildProcess;
  lines: string[];
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL), as a power cut would: nothing gets to clean up. */
  crash(): Promise<void>;
}

/** Runs `node bin/kiosk.mjs <args>` and resolves once every expected line prefix was printed. */
export async function runKiosk(
  args: string[],
  env: NodeJS.ProcessEnv,
  expect: string[],
): Promise<RunningProcess & { found: Record<string, string> }> {
  const child = spawn(process.execPath, ['bin/kiosk.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const found: Record<string, string> = {};
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onLine = (line: string) => {
      lines.push(line);
      for (const prefix of expect) {
        if (line.startsWith(prefix)) found[prefix] = line.slice(prefix.length).trim();
      }
      if (expect.every((prefix) => prefix in found)) resolve();
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
    child.once('exit', (code) =>
      reject(
        new Error(`kiosk ${args[0]} exited (${code}) before it was ready:\n${lines.join('\n')}`),
      ),
    );
  });
  return {
    child,
    lines,
    found,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async crash() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs a `kiosk` command to its end and returns what it printed. */
export async function kioskOutput(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/kiosk.mjs', ...args], {
    cwd: ROOT,
  });
  return stdout;
}

export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  if (options.settings) {
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(options.settings));
  }
  const args = ['host', '--port', '0'];
  if (options.apiUrl) args.push('--api-url', options.apiUrl);
  if (options.thinClients) args.push('--thin-clients', options.thinClients);
  const host = await runKiosk(
    args,
    { KIOSK_DATA_DIR: dataDir, ...(options.apiKey ? { KIOSK_API_KEY: options.apiKey } : {}) },
    [
      'kiosk host on ',
      'open ',
      'payment API on ',
      ...(options.thinClients ? ['thin clients: '] : []),
    ],
  );
  return {
    url: host.found['kiosk host on ']!,
    pageUrl: host.found['open ']!,
    coreUrl: host.found['payment API on ']!,
    ...(options.thinClients ? { thinClientsLine: host.found['thin clients: ']! } : {}),
    dataDir,
    log: () => host.lines.join('\n'),
    async stop() {
      await host.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    crash: () => host.crash(),
  };
}
