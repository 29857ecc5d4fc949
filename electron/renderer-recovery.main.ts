// An unattended kiosk must come back by itself: a renderer that crashes is reloaded, and one that
// hangs is killed and then reloaded. The terminal in main keeps the flow state, so the reloaded
// UI subscribes again and lands on the screen the sale is at.
import type { Logger } from 'pino';
import type { KioskWebContents } from './window.main.ts';

export interface RendererRecoveryOptions {
  logger: Logger;
  /** How long a hung renderer is given before it is killed. Default 15 s. */
  unresponsiveTimeoutMs?: number;
  /** Crashes further apart than this are not a crash loop. Default 60 s. */
  crashWindowMs?: number;
  now?: () => number;
}

/** Delay before reload: at once for a single crash, then doubling from 1 s up to 30 s in a loop. */
export function reloadDelayMs(recentCrashes: number): number {
  if (recentCrashes <= 1) return 0;
  return Math.min(30_000, 1_000 * 2 ** (recentCrashes - 2));
}

export function keepRendererAlive(
  contents: KioskWebContents,
  options: RendererRecoveryOptions,
): void {
  const logger = options.logger.child({ module: 'electron.renderer-recovery' });
  const unresponsiveTimeoutMs = options.unresponsiveTimeoutMs ?? 15_000;
  const crashWindowMs = options.crashWindowMs ?? 60_000;
  const now = options.now ?? Date.now;
  let crashes: number[] = [];
  let hangTimer: ReturnType<typeof setTimeout> | undefined;

  contents.on('render-process-gone', (_event, details) => {
    clearTimeout(hangTimer);
    if (details.reason === 'clean-exit') return;
    const at = now();
    crashes = [...crashes.filter((time) => at - time < crashWindowMs), at];
    const delay = reloadDelayMs(crashes.length);
    logger.error({ ...details, delayMs: delay }, 'renderer gone; reloading');
    setTimeout(() => {
      if (!contents.isDestroyed()) contents.reload();
    }, delay);
  });
  contents.on('unresponsive', () => {
    clearTimeout(hangTimer);
    logger.warn({ timeoutMs: unresponsiveTimeoutMs }, 'renderer unresponsive');
    hangTimer = setTimeout(() => {
      if (contents.isDestroyed()) return;
      logger.error('renderer still unresponsive; killing it to reload');
      // Ends in `render-process-gone`, which reloads.
      contents.forcefullyCrashRenderer();
    }, unresponsiveTimeoutMs);
  });
  contents.on('responsive', () => clearTimeout(hangTimer));
}
