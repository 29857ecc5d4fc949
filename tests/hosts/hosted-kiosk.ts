// The browser host over a real embedded core, in this process, on a fresh data directory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import {
  startBrowserHost,
  type BrowserHostOptions,
  type RunningBrowserHost,
} from '../../hosts/browser/browser-host.ts';
import { FileSecretStore } from '../../hosts/file-secret-store.ts';
import { FileSettingsStore } from '../../hosts/file-settings-store.ts';
import { startKioskStack, type KioskStack } from '../../hosts/kiosk-stack.ts';
import type { SimulatedDevices } from '../../hosts/simulated-devices.ts';
import type { TerminalSettings } from '../../terminal/settings.ts';

export interface HostedKiosk {
  host: RunningBrowserHost;
  stack: KioskStack;
  dataDir: string;
  close(): Promise<void>;
}

export interface HostedKioskOptions {
  settings?: Partial<TerminalSettings>;
  /** Start again on the files an earlier kiosk left (kept on close). */
  dataDir?: string;
  /** Thin clients, or options a test passes to see them ignored. */
  host?: Partial<BrowserHostOptions>;
  /** Default: silent, or $LOG_LEVEL. */
  logger?: Logger;
  simulated?: SimulatedDevices;
}

export async function startHostedKiosk(options: HostedKioskOptions = {}): Promise<HostedKiosk> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiosk-host-test-'));
  const rendererDir = join(dataDir, 'renderer');
  const settingsStore = new FileSettingsStore(join(dataDir, 'settings.json'));
  await settingsStore.write({ ...(await settingsStore.read()), ...options.settings });
  const logger = options.logger ?? pino({ level: process.env['LOG_LEVEL'] ?? 'silent' });
  const stack = await startKioskStack({
    dataDir,
    settings: settingsStore,
    secrets: new FileSecretStore(join(dataDir, 'secrets')),
    logger,
    ...(options.simulated && { simulated: options.simulated }),
  });
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Kiosk</title>');
  const host = await startBrowserHost({
    kiosk: stack.kiosk,
    rendererDir,
    port: 0,
    logger,
    ...options.host,
  });
  return {
    host,
    stack,
    dataDir,
    async close() {
      await host.close();
      await stack.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
