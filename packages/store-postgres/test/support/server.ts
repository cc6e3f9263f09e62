import pg from 'pg';

/** The server the real-PostgreSQL tests use: CI's, or the developer's own. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether this run must use the real server (CI) rather than skip without one. */
const REQUIRED = process.env.CI === 'true';

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || String(error) : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const failure = await probe();

if (failure !== null && REQUIRED) {
  throw new Error(
    `CI=true but PostgreSQL is not reachable at ${DATABASE_URL} (${failure}). ` +
      'The Postgres store tests must run against the real server in CI: start it (.ci/services).',
  );
}
if (failure !== null) {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! SKIPPING the real-PostgreSQL tests of @threadline/store-postgres:\n` +
      `!! no server at ${DATABASE_URL} (${failure}).\n` +
      '!! The PGlite tests still run. Start PostgreSQL (.ci/services) or set DATABASE_URL;\n' +
      `!! under CI=true these tests fail instead of skipping.\n${line}\n`,
  );
}

/**
 * Whether a PostgreSQL server answered when the test file loaded. Use it with
 * `describe.runIf(serverReachable)`: without a server on a laptop the real-server tests skip with
 * the banner above; under `CI=true` the import itself throws.
 */
export const serverReachable = failure === null;
