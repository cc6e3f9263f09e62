import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '@threadline/core';
import { createPostgresStore, type PostgresStore } from '@threadline/store-postgres';

/** The store the demo runs on, and a line saying which one it is. */
export interface DemoStore {
  store: PostgresStore;
  description: string;
}

/**
 * PostgreSQL when `databaseUrl` is given, otherwise PGlite (Postgres compiled to WebAssembly,
 * in-process) in `<dataDir>/db`: the same store and the same SQL either way, so a thread written
 * on a laptop reads the same on a server.
 */
export function openDemoStore(input: {
  dataDir: string;
  databaseUrl?: string;
  clock: Clock;
}): DemoStore {
  if (input.databaseUrl) {
    return {
      store: createPostgresStore({ connectionString: input.databaseUrl, clock: input.clock }),
      description: `PostgreSQL at ${redact(input.databaseUrl)}`,
    };
  }
  const dir = join(input.dataDir, 'db');
  // PGlite creates the last directory of the path only; make the parents too.
  mkdirSync(input.dataDir, { recursive: true });
  return {
    store: createPostgresStore({ dataDir: dir, clock: input.clock }),
    description: `PGlite in ${dir}`,
  };
}

/** The URL without its password, for printing. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
