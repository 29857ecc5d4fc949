import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildCoreApp } from './app.ts';
import { loadSigningKey } from './auth/signing-keys.ts';
import { systemClock, type Clock } from './clock.ts';
import { openStorage, type Storage } from './db/storage.ts';
import { startPeriodicTask } from './maintenance/periodic-task.ts';
import { createWebhookDispatcher, type RetryPolicy } from './webhooks/dispatcher.ts';
import { seedDemo } from './seed/demo.ts';

export interface CoreServerOptions {
  /** SQLite file path or postgres:// URL. */
  db: string;
  /** 0 picks any free port. */
  port: number;
  /** 127.0.0.1 unless told otherwise: the embedded core serves only this machine. */
  host?: string;
  /** Base URL consumers' phones use for the pay page; defaults to the core's own address. */
  publicBaseUrl?: string;
  clock?: Clock;
  logger?: FastifyBaseLogger;
  logRequests?: boolean;
  /** Webhook retry timing; tests shorten it. */
  webhookRetry?: RetryPolicy;
  /** How often the outbox is checked for due deliveries. */
  webhookIntervalMs?: number;
}

export interface RunningCore {
  url: string;
  app: FastifyInstance;
  storage: Storage;
  /** Finishes in-flight requests, then closes the database. */
  close(): Promise<void>;
}

/** Opens the database (migrating and seeding a new one), then listens. */
export async function startCore(options: CoreServerOptions): Promise<RunningCore> {
  const clock = options.clock ?? systemClock;
  const storage = await openStorage(options.db);
  try {
    const log = options.logger;
    if (storage.appliedMigrations.length > 0)
      log?.info({ migrations: storage.appliedMigrations }, 'database migrated');
    if (await seedDemo(storage, clock.now()))
      log?.info('new database: seeded the demo merchant, terminal and consumer');
    const signingKey = await loadSigningKey(storage, clock.now());
    let url = '';
    const app = await buildCoreApp({
      storage,
      signingKey,
      clock,
      publicBaseUrl: () => options.publicBaseUrl ?? url,
      ...(options.logger !== undefined && { logger: options.logger }),
      ...(options.logRequests !== undefined && { logRequests: options.logRequests }),
    });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port, host });
    const dispatcher = createWebhookDispatcher({
      storage,
      signingKey,
      clock,
      logger: app.log,
      ...(options.webhookRetry && { policy: options.webhookRetry }),
    });
    const tasks = [
      // Expiries and lapsed holds are written down within about a second.
      startPeriodicTask(
        'record-lapses',
        () => app.services.paymentRequests.recordLapses(),
        app.log,
        1_000,
      ),
      startPeriodicTask(
        'deliver-webhooks',
        () => dispatcher.deliverDue(),
        app.log,
        options.webhookIntervalMs ?? 500,
      ),
    ];
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return {
      url,
      app,
      storage,
      async close() {
        await Promise.all(tasks.map((task) => task.stop()));
        await app.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
