import type { FastifyBaseLogger } from 'fastify';

/** How often the core writes down expiries and lapsed holds. */
export const LAPSE_SWEEP_INTERVAL_MS = 1_000;

export interface LapseSweeper {
  stop(): Promise<void>;
}

/**
 * Runs `recordLapses` on a timer, one sweep at a time. Readers already see expiry exactly at
 * expiresAt; the sweep makes it durable (activities, freed holds) within about a second.
 */
export function startLapseSweeper(
  recordLapses: () => Promise<number>,
  logger: FastifyBaseLogger,
  intervalMs = LAPSE_SWEEP_INTERVAL_MS,
): LapseSweeper {
  let running: Promise<void> | undefined;
  const sweep = async () => {
    try {
      let settled = await recordLapses();
      while (settled > 0) {
        logger.debug({ settled }, 'recorded lapsed payment requests');
        settled = await recordLapses();
      }
    } catch (error) {
      logger.error({ err: error }, 'lapse sweep failed; retrying next interval');
    }
  };
  const timer = setInterval(() => {
    running ??= sweep().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
