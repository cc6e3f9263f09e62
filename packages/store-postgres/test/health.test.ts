import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { MIGRATIONS } from '../src/migrations/index';
import { adminPool, closeAdminPool, uniqueName } from './support/schemas';
import { DATABASE_URL, serverReachable } from './support/server';

const latest = MIGRATIONS.at(-1)?.version;

describe('store.health (PGlite)', () => {
  // PGlite runs initdb in WebAssembly at first use: seconds, more on a busy machine.
  it('is not ready before migrations with migrate: false, and ready after store.migrate()', {
    timeout: 120_000,
  }, async () => {
    const store = createPostgresStore({ dataDir: 'memory://', migrate: false });
    try {
      expect(await store.health()).toEqual({
        ok: false,
        detail: `no migrations applied (this code needs version ${latest})`,
      });
      await store.migrate();
      expect(await store.health()).toEqual({
        ok: true,
        detail: `schema version ${latest} (this code needs ${latest})`,
      });
    } finally {
      await store.close();
    }
  });
});

describe('store.health (no server)', () => {
  it('reports an unreachable server as a StoreError, which readiness turns into not ready', async () => {
    const store = createPostgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/test',
      schema: uniqueName('health'),
    });
    try {
      await expect(store.health()).rejects.toMatchObject({ code: expect.any(String) });
    } finally {
      await store.close();
    }
  });
});

describe.runIf(serverReachable)('store.health (PostgreSQL server)', () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas)
      await adminPool().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await closeAdminPool();
  });

  it('reports a schema behind the code as not ready, naming both versions', async () => {
    const schema = uniqueName('health');
    schemas.push(schema);
    const store = createPostgresStore({ connectionString: DATABASE_URL, schema });
    try {
      await store.migrate();
      await adminPool().query(
        `DELETE FROM "${schema}"."threadline_migrations" WHERE version = $1`,
        [latest],
      );
      const health = await store.health();
      expect(health.ok).toBe(false);
      expect(health.detail).toBe(
        `schema version ${(latest ?? 0) - 1}, this code needs ${latest}: run store.migrate()`,
      );
    } finally {
      await store.close();
    }
  });
});
