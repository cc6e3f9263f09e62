import type { Driver } from '../driver/driver';
import { fnv1a, type Names } from '../names';
import { initialSchema } from './001-initial';
import { providerMessageIdsSchema } from './002-provider-message-ids';
import { inboundRecordSchema } from './003-inbound-record';
import { turnsSchema } from './004-turns';

/** One step of the schema: applied once, in version order, inside the migration transaction. */
export interface Migration {
  version: number;
  name: string;
  /** The SQL for one schema and prefix. */
  sql(names: Names): string;
}

/**
 * Every migration, oldest first. Append only: an applied migration is never edited, because
 * databases that already ran it would never see the change.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initialSchema },
  { version: 2, name: 'provider-message-ids', sql: providerMessageIdsSchema },
  { version: 3, name: 'inbound-record', sql: inboundRecordSchema },
  { version: 4, name: 'turns', sql: turnsSchema },
];

/** What {@link runMigrations} did. */
export interface MigrationReport {
  /** Versions this call applied (empty when the schema was already current). */
  applied: number[];
  /** The schema's version afterwards. */
  version: number;
}

/**
 * The first key of the two-key advisory lock ("TL"): the second is a hash of schema and prefix,
 * so two stores in different schemas of one database migrate without waiting for each other.
 */
export const MIGRATION_LOCK_CLASS = 0x544c;

/**
 * Applies the pending migrations in one transaction under `pg_advisory_xact_lock`. Ten instances
 * starting together queue on the lock: the first applies, the other nine find the versions
 * recorded and do nothing. DDL is transactional in Postgres, so a failed migration leaves nothing
 * half-made, and the lock is released with the transaction even if the process dies.
 *
 * @example
 * ```ts
 * await runMigrations(driver, names, new Date()); // { applied: [1, 2], version: 2 }
 * await runMigrations(driver, names, new Date()); // { applied: [], version: 2 }
 * ```
 */
export async function runMigrations(
  driver: Driver,
  names: Names,
  now: Date,
): Promise<MigrationReport> {
  return driver.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [
      MIGRATION_LOCK_CLASS,
      fnv1a(`${names.schema}.${names.prefix}`),
    ]);
    // CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege, which a managed database may
    // not grant for `public`: only create what is missing.
    const [schema] = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
      names.schema,
    ]);
    if (schema === undefined) await tx.exec(`CREATE SCHEMA ${names.schemaSql}`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS ${names.migrations} (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL
    )`);
    const rows = await tx.query<{ version: number }>(`SELECT version FROM ${names.migrations}`);
    const done = new Set(rows.map((row) => Number(row.version)));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql(names));
      await tx.query(
        `INSERT INTO ${names.migrations} (version, name, applied_at) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, now.toISOString()],
      );
      applied.push(migration.version);
    }
    // A newer instance may have applied versions this code does not know: report the highest.
    const version = Math.max(0, ...done, ...applied);
    return { applied, version };
  });
}
