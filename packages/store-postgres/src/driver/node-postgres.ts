import type { Logger } from '@threadline/core';
import type { Pool, PoolClient } from 'pg';
import type { Driver, Queryable } from './driver';
import { PgListener } from './pg-listener';
import { createStatementNames } from './statement-names';

/**
 * A {@link Driver} over a node-postgres pool. Queries take any free connection; a transaction
 * holds one connection from BEGIN to COMMIT; LISTEN holds one more for the store's lifetime.
 *
 * @example
 * ```ts
 * const driver = createNodePostgresDriver({ pool: new Pool({ connectionString }), ownsPool: true, logger });
 * await driver.query('SELECT 1');
 * ```
 */
export function createNodePostgresDriver(input: {
  pool: Pool;
  /** Whether `close()` ends the pool (only a pool the store made itself). */
  ownsPool: boolean;
  logger: Logger;
  /** Named prepared statements outside transactions (see `statement-names.ts`). Default true. */
  preparedStatements?: boolean;
}): Driver {
  const { pool } = input;
  const listener = new PgListener(pool, input.logger);

  async function run<Row>(
    client: Pool | PoolClient,
    text: string,
    params?: readonly unknown[],
  ): Promise<Row[]> {
    const result = await client.query(text, params as unknown[] | undefined);
    return result.rows as Row[];
  }

  const names = createStatementNames();
  const prepared = input.preparedStatements ?? true;

  /**
   * A statement on any pooled connection, prepared under its name (see `statement-names.ts`).
   * Transactions keep unnamed statements: a stale plan there would fail the whole transaction.
   */
  async function named<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
    // Without parameters it may be several commands, which a prepared statement cannot hold.
    if (!prepared || params === undefined || params.length === 0) return run(pool, text, params);
    const values = params as unknown[];
    try {
      return (await pool.query({ name: names.nameOf(text), text, values })).rows as Row[];
    } catch (error) {
      if (!names.renewedAfter(error)) throw error;
      return (await pool.query({ name: names.nameOf(text), text, values })).rows as Row[];
    }
  }

  return {
    kind: 'node-postgres',
    query: (text, params) => named(text, params),
    async exec(text) {
      await pool.query(text);
    },

    async transaction(fn) {
      const client = await pool.connect();
      // A connection that dropped, or whose ROLLBACK failed, is in an unknown state: destroy it
      // rather than return it to the pool.
      let broken: Error | undefined;
      // node-postgres emits 'error' on a checked-out client whose server goes away (a restart, a
      // terminated backend) even between statements; unheard, that event would crash the process.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: (text, params) => run(client, text, params),
          async exec(text) {
            await client.query(text);
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },

    listen: (channel, onPayload) => listener.listen(channel, onPayload),

    async close() {
      await listener.close();
      if (input.ownsPool) await pool.end();
    },
  };
}
