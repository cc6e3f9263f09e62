import pg from 'pg';

/** The PostgreSQL the benchmarks use (the same server the tests use). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A client to the benchmark database, or `null` (with the reason) when none is reachable. */
export async function connectPostgres(): Promise<{ client: pg.Client } | { error: string }> {
  const client = new pg.Client({
    connectionString: DATABASE_URL,
    application_name: 'threadline-bench',
  });
  try {
    await client.connect();
    return { client };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** A schema name no other run uses; the scenario drops it afterwards. */
export function freshSchemaName(scenario: string): string {
  return `bench_${scenario.toLowerCase()}_${process.pid}_${Date.now()}`;
}

/** Drops a scenario's schema and everything in it; a failure is reported, not thrown. */
export async function dropSchema(schema: string): Promise<void> {
  const connection = await connectPostgres();
  if ('error' in connection) return;
  try {
    await connection.client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } catch (error) {
    console.error(`could not drop schema ${schema}:`, error);
  } finally {
    await connection.client.end();
  }
}
