import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { runStoreConformance } from '@threadline/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index';
import { describeDatabaseChecks, type Engine } from './support/database-checks';
import { describeMigrationChecks } from './support/migration-checks';
import { emptyTablesSql, onClose } from './support/schemas';
import { describeTurnRowChecks } from './support/turn-row-checks';

// Starting PGlite takes seconds (initdb in WebAssembly), so this file shares one in-memory
// instance: the conformance suite uses `public`, migrated once and emptied after every test; the
// checks use schemas of their own. Always runs: no server needed.
const pglite = await PGlite.create();
let migrated: Promise<unknown> | undefined;

afterAll(async () => {
  await pglite.close();
});

runStoreConformance(
  async ({ clock }) => {
    migrated ??= createPostgresStore({ pglite, migrate: false }).migrate();
    await migrated;
    const store = createPostgresStore({ pglite, migrate: false, clock });
    return onClose(store, async () => {
      await pglite.exec(emptyTablesSql('public'));
    });
  },
  { name: 'postgres store (PGlite)', readBatches: true },
);

const engine: Engine = {
  name: 'PGlite',
  open: (options) => createPostgresStore({ pglite, ...options }),
  sql: async (text, params) => (await pglite.query<Record<string, unknown>>(text, params)).rows,
  exec: async (text) => {
    await pglite.exec(text);
  },
};
describeDatabaseChecks(engine);
describeMigrationChecks(engine);
describeTurnRowChecks(engine);

describe('PGlite with a data directory', () => {
  it('keeps the thread across a close and a reopen, and leaves a given instance open', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'threadline-pglite-'));
    try {
      // A new data directory costs an initdb (5-10 s in WebAssembly); seeding it from a dump of
      // the running instance costs a second or two and gives the store the same existing cluster
      // a laptop has after its first run.
      const seed = await PGlite.create(dataDir, { loadDataDir: await pglite.dumpDataDir('none') });
      await seed.close();
      const first = createPostgresStore({ dataDir, schema: 'persisted' });
      const user = await first.users.create({ phoneNumbers: ['+447700900123'] });
      const thread = await first.threads.ensure({ userId: user.id, agentId: 'support' });
      await first.threads.append(thread.id, {
        direction: 'inbound',
        at: new Date(),
        text: 'hello',
      });
      await first.close();

      const again = createPostgresStore({ dataDir, schema: 'persisted' });
      const [entry] = await again.threads.read(thread.id, { latest: 1 });
      expect(entry).toMatchObject({ seq: 1, text: 'hello' });
      expect((await again.users.findByContact({ kind: 'phone', value: '+447700900123' }))?.id).toBe(
        user.id,
      );
      await again.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    // The shared instance was passed in, not made by a store: closing stores never closed it.
    expect(pglite.closed).toBe(false);
  });
});
