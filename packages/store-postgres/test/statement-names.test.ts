import { silentLogger } from '@threadline/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodePostgresDriver } from '../src/driver/node-postgres';
import { createStatementNames } from '../src/driver/statement-names';
import { adminPool, closeAdminPool, dropSchema, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

describe('statement names', () => {
  it('give one text one name, and move to a new generation after a stale plan only', () => {
    const names = createStatementNames();
    const first = names.nameOf('SELECT $1::int');
    expect(names.nameOf('SELECT $1::int')).toBe(first);
    expect(names.nameOf('SELECT $1::text')).not.toBe(first);
    expect(names.renewedAfter(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(
      false,
    );
    expect(names.nameOf('SELECT $1::int')).toBe(first);
    const stale = Object.assign(new Error('cached plan must not change result type'), {
      code: '0A000',
    });
    expect(names.renewedAfter(stale)).toBe(true);
    expect(names.nameOf('SELECT $1::int')).not.toBe(first);
  });
});

describe.runIf(serverReachable)('named statements on the server', () => {
  const schema = uniqueName('named');
  afterAll(async () => {
    await dropSchema(schema);
    await closeAdminPool();
  });

  it('prepare once per connection, and survive a table changing shape under them', async () => {
    await adminPool().query(`CREATE SCHEMA "${schema}"`);
    await adminPool().query(`CREATE TABLE "${schema}".t (id int primary key, v text)`);
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const driver = createNodePostgresDriver({ pool, ownsPool: true, logger: silentLogger });
    try {
      const insert = `INSERT INTO "${schema}".t (id, v) VALUES ($1, $2) RETURNING *`;
      expect(await driver.query(insert, [1, 'a'])).toEqual([{ id: 1, v: 'a' }]);
      expect(await driver.query(insert, [2, 'b'])).toEqual([{ id: 2, v: 'b' }]);
      const prepared = await driver.query<{ name: string }>(
        'SELECT name FROM pg_prepared_statements WHERE statement = $1',
        [insert],
      );
      // One connection, prepared once, used twice.
      expect(prepared).toHaveLength(1);

      // A newer deploy's migration adds a column while this connection holds the plan.
      await adminPool().query(`ALTER TABLE "${schema}".t ADD COLUMN w text`);
      expect(await driver.query(insert, [3, 'c'])).toEqual([{ id: 3, v: 'c', w: null }]);
    } finally {
      await driver.close();
    }
  });

  it('stay unnamed with preparedStatements: false (a pooler without prepared statements)', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const driver = createNodePostgresDriver({
      pool,
      ownsPool: true,
      logger: silentLogger,
      preparedStatements: false,
    });
    try {
      const select = `SELECT count(*)::int AS n FROM "${schema}".t WHERE id > $1`;
      expect(await driver.query(select, [0])).toEqual([{ n: 3 }]);
      expect(
        await driver.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [
          select,
        ]),
      ).toEqual([]);
    } finally {
      await driver.close();
    }
  });
});
