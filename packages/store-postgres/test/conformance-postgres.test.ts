import { runStoreConformance } from '@threadline/testkit';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { createPostgresStore } from '../src/index';
import { emptyTablesSql, onClose, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

describe.runIf(serverReachable)('on a PostgreSQL server', () => {
  // One schema for this file, migrated once and emptied after every test: each test starts from
  // an empty store, and other files running in parallel have schemas of their own. The stores
  // share one pool (a pool the store is given, it never ends), so no test pays for connecting.
  // synchronous_commit=off for these connections only: the server flushes its WAL to disk on
  // every commit, which was half of this suite's time (1,100 appends are 1,100 commits). It
  // changes what survives a crash of the server itself, which nothing here observes; the restart
  // and two-process tests keep the server's defaults.
  const schema = uniqueName('conformance');
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 10,
    application_name: schema,
    options: '-c synchronous_commit=off',
  });
  pool.on('error', () => undefined);
  // The second instance of two-instance mode: a pool of its own, as another process would have.
  const otherPool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: 10,
    application_name: `${schema}_b`,
    options: '-c synchronous_commit=off',
  });
  otherPool.on('error', () => undefined);
  let migrated: Promise<unknown> | undefined;

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all([pool.end(), otherPool.end()]);
  });

  runStoreConformance(
    async ({ clock }) => {
      migrated ??= createPostgresStore({ pool, schema, migrate: false }).migrate();
      await migrated;
      const store = createPostgresStore({ pool, schema, migrate: false, clock });
      return onClose(store, async () => {
        await pool.query(emptyTablesSql(schema));
      });
    },
    {
      name: 'postgres store (server)',
      readBatches: true,
      twoInstances: async ({ clock }) => {
        migrated ??= createPostgresStore({ pool, schema, migrate: false }).migrate();
        await migrated;
        const first = createPostgresStore({ pool, schema, migrate: false, clock });
        const second = createPostgresStore({ pool: otherPool, schema, migrate: false, clock });
        const emptied = onClose(first, async () => {
          await pool.query(emptyTablesSql(schema));
        });
        return [emptied, second] as const;
      },
    },
  );
});
