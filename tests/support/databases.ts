// The engines every core suite runs on: a real SQLite file, and a real PostgreSQL server
// when `npm test` has started one (KIOSK_TEST_POSTGRES_URL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  /** SQLite file path or postgres:// URL of a database no other test uses. */
  location: string;
  drop(): Promise<void>;
}

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

const postgresUrl = process.env['KIOSK_TEST_POSTGRES_URL'];

const sqlite: TestEngine = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-core-'));
    return {
      location: join(dir, 'core.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

function postgres(adminUrl: string): TestEngine {
  return {
    name: 'postgres',
    async create() {
      const name = `kiosk_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        location: url.toString(),
        async drop() {
          const client = new pg.Client({ connectionString: adminUrl });
          await client.connect();
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await client.end();
        },
      };
    },
  };
}

export const engines: TestEngine[] = postgresUrl ? [sqlite, postgres(postgresUrl)] : [sqlite];

if (!postgresUrl) {
  console.log(
    'SKIP postgres: KIOSK_TEST_POSTGRES_URL is not set (npm test sets it); core suites run on SQLite only',
  );
}
