import type { StoreHealth } from '@threadline/core';
import type { Database } from './database';
import { MIGRATIONS } from './migrations/index';

/**
 * The readiness check: the server answers and the schema is at the version this code expects.
 * A schema behind the code is not ready (an instance started with `migrate: false` before the
 * migration job ran); one ahead of it is (a newer instance migrated during a rolling upgrade,
 * and migrations only ever add).
 */
export async function checkHealth(db: Database): Promise<StoreHealth> {
  const expected = MIGRATIONS.at(-1)?.version ?? 0;
  const version = await db.schemaVersion();
  if (version === null) {
    return { ok: false, detail: `no migrations applied (this code needs version ${expected})` };
  }
  if (version < expected) {
    return {
      ok: false,
      detail: `schema version ${version}, this code needs ${expected}: run store.migrate()`,
    };
  }
  return { ok: true, detail: `schema version ${version} (this code needs ${expected})` };
}
