import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPostgresUrl } from '../core/db/storage.ts';

/** Where the kiosk keeps its files: $KIOSK_DATA_DIR, or ./data. Created on first use. */
export function dataDir(): string {
  const dir = resolve(process.env['KIOSK_DATA_DIR'] ?? 'data');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function defaultCoreDatabase(): string {
  return join(dataDir(), 'core.db');
}

/** Names a database in logs without its password. */
export function describeDatabase(location: string): string {
  if (!isPostgresUrl(location)) return location;
  const url = new URL(location);
  if (url.password) url.password = '***';
  return url.toString();
}
