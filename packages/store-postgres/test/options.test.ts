import { ConfigError, StoreError } from '@threadline/core';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresStoreOptions } from '../src/index';

const bad = (options: unknown) => () => createPostgresStore(options as PostgresStoreOptions);

describe('createPostgresStore options', () => {
  it('refuses two connection options at once, naming them', () => {
    const pool = new pg.Pool();
    expect(bad({ connectionString: 'postgres://x', pool })).toThrow(ConfigError);
    expect(bad({ connectionString: 'postgres://x', pool })).toThrow(
      /pool: give one of connectionString, pool, pglite or dataDir, not connectionString and pool/,
    );
    void pool.end();
  });

  it('refuses no connection at all when DATABASE_URL is not set either', () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      expect(bad({})).toThrow(/createPostgresStore: connectionString: give connectionString/);
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });

  it('refuses a schema or prefix that is not a plain lower-case identifier (no SQL injection)', () => {
    expect(bad({ dataDir: 'memory://', schema: 'x"; DROP TABLE users; --' })).toThrow(
      /schema: expected a lower-case schema name/,
    );
    expect(bad({ dataDir: 'memory://', schema: 'Public' })).toThrow(/schema: /);
    expect(bad({ dataDir: 'memory://', tablePrefix: '1x_' })).toThrow(/tablePrefix: /);
    expect(bad({ dataDir: 'memory://', tablePrefix: 'a'.repeat(40) })).toThrow(/tablePrefix: /);
  });

  it('accepts an empty table prefix', () => {
    expect(() => createPostgresStore({ dataDir: 'memory://', tablePrefix: '' })).not.toThrow();
  });

  it('refuses pool settings next to your own pool or PGlite, where they would do nothing', () => {
    expect(bad({ dataDir: 'memory://', poolSize: 5 })).toThrow(
      /poolSize: only applies with connectionString/,
    );
  });

  it('refuses a pool that is not a pg.Pool, a clock without now() and an unknown option', () => {
    expect(bad({ pool: { query: 1 } })).toThrow(/pool: expected a pg.Pool/);
    expect(bad({ dataDir: 'memory://', clock: { time: () => 0 } })).toThrow(
      /clock: expected a clock/,
    );
    expect(bad({ dataDir: 'memory://', retention: { deliveryEventsDays: 0 } })).toThrow(
      /retention.deliveryEventsDays: /,
    );
    expect(bad({ dataDir: 'memory://', migrations: true })).toThrow(/migrations/);
  });

  it('reports an unreachable server as a retryable StoreError, not a crash', async () => {
    // Port 1 on loopback: nothing listens there, so the connect is refused at once.
    const store = createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
    const failure = await store.users.get('x').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({
      code: 'store_unavailable',
      retryable: true,
      category: 'store',
    });
    expect((failure as Error).message).toMatch(
      /users.get failed, the database was unreachable \(ECONNREFUSED\)/,
    );
    await store.close();
  });

  it('rejects calls after close with store_closed, and closing twice is harmless', async () => {
    const store = createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
    await store.close();
    await expect(store.users.get('x')).rejects.toMatchObject({ code: 'store_closed' });
    await expect(store.pubsub.publish('t', 1)).rejects.toMatchObject({ code: 'store_closed' });
    await expect(store.close()).resolves.toBeUndefined();
  });
});
