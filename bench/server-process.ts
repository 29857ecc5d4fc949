// A server under test in its own Node process, so the load generator never shares its event
// loop. The server announces itself with a line like `core listening on http://127.0.0.1:PORT`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { deferCleanup } from './cleanup.ts';

export interface ServerProcess {
  url: string;
  /** SIGTERM, then SIGKILL if the process has not exited after `STOP_GRACE_MS`. */
  stop(): Promise<void>;
}

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
/** Start-up lines that are not news: the core's second one. */
const NOT_NEWS = /^API docs at /;
/** How long a server may take to migrate, seed and listen. */
const START_TIMEOUT_MS = 60_000;
/** How long a server may take to drain and close its database after SIGTERM. */
const STOP_GRACE_MS = 10_000;
/** Output lines echoed after start-up; a server that logs every request would drown the table. */
const MAX_ECHOED_LINES = 20;

/** Starts `node <args>` from `cwd` and resolves once it prints its listening URL. */
export async function startServerProcess(
  name: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close' comes after 'exit' and after the last output line has been read.
  const exited = once(child, 'close');

  const stop = deferCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  });

  const startupOutput: string[] = [];
  let echoed = 0;
  let announce: ((url: string) => void) | undefined;
  const announced = new Promise<string>((resolve) => (announce = resolve));
  const onLine = (line: string) => {
    if (announce) {
      const url = LISTENING.exec(line)?.[1];
      if (url) {
        announce(url);
        announce = undefined;
      } else startupOutput.push(line);
    } else if (!NOT_NEWS.test(line) && echoed < MAX_ECHOED_LINES) {
      echoed++;
      const hidden = echoed === MAX_ECHOED_LINES ? ' (further output hidden)' : '';
      console.error(`[${name}] ${line}${hidden}`);
    }
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);

  let timer: NodeJS.Timeout | undefined;
  const failure = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    exited.then(
      ([code, signal]) =>
        reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before listening`)),
      reject,
    );
  });
  // Once the server is up, its later exit is no failure of the start.
  failure.catch(() => {});
  try {
    const url = await Promise.race([announced, failure]);
    return { url, stop };
  } catch (error) {
    await stop();
    const output = startupOutput.slice(-20).join('\n');
    throw new Error(`${(error as Error).message}${output ? `; its output:\n${output}` : ''}`);
  } finally {
    clearTimeout(timer);
  }
}
