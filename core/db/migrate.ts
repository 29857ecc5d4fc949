import { Migrator, type Kysely, type Migration } from 'kysely';
import * as initial from './migrations/0001-initial.ts';
import * as legacyFields from './migrations/0002-legacy-fields.ts';

/** Every migration, in order. Names are permanent once released. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-legacy-fields': legacyFields,
};

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).map((result) => result.migrationName);
}
