import type { FastifyBaseLogger } from 'fastify';

export interface PeriodicTask {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs`, never two at once, and again at once while it reports work
 * done (a backlog drains without waiting an interval per batch). A failure is logged and the
 * next interval tries again: a background task must never take the core down.
 */
export function startPeriodicTask(
  name: string,
  task: () => Promise<number>,
  logger: FastifyBaseLogger,
  intervalMs: number,
): PeriodicTask {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = async () => {
    try {
      let done = await task();
      while (done > 0 && !stopped) {
        logger.debug({ task: name, done }, 'background task made progress');
        done = await task();
      }
    } catch (error) {
      logger.error({ err: error, task: name }, 'background task failed; retrying next interval');
    }
  };
  const timer = setInterval(() => {
    running ??= run().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
