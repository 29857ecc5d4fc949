// The test suite's throwaway PostgreSQL server (scripts/postgres.mjs), typed for TypeScript.

export interface TemporaryPostgres {
  url: string;
  /** Stops the server and deletes its data directory. */
  stop(): void;
}

interface PostgresScript {
  startTemporaryPostgres(): Promise<TemporaryPostgres>;
}

export async function startTemporaryPostgres(): Promise<TemporaryPostgres> {
  // A computed specifier: the script is plain JavaScript with no declaration file.
  const script = new URL('../scripts/postgres.mjs', import.meta.url).href;
  const { startTemporaryPostgres: start } = (await import(script)) as PostgresScript;
  return start();
}
