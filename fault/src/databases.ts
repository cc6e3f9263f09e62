import { randomBytes } from 'node:crypto';
import { createPostgresStore } from '@threadline/store-postgres';
import pg from 'pg';

/** The shared servers (`.ci/services`), for scenarios that do not stop the database. */
export const SHARED_POSTGRES_URL =
  process.env.THREADLINE_FAULT_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const SHARED_REDIS_URL = process.env.THREADLINE_FAULT_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A schema (or key prefix) no other test file or run uses. */
export function uniqueName(scenario: string): string {
  return `fault_${scenario}_${randomBytes(4).toString('hex')}`;
}

/** Creates the schema's tables once, before several processes use it. */
export async function migrate(url: string, schema: string): Promise<void> {
  const store = createPostgresStore({ connectionString: url, schema });
  await store.migrate();
  await store.close();
}

/** One query through a short-lived client (checks through the database, not the store). */
export async function query<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await query(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
