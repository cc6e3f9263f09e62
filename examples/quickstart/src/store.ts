import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, ThreadStore } from '@threadline/core';
import { createPostgresStore } from '@threadline/store-postgres';
import { createRedisStore } from '@threadline/store-redis';

/** The store the demo runs on, and a line saying which one it is. */
export interface DemoStore {
  store: ThreadStore;
  description: string;
}

/** Every demo key in Redis starts with this, so the demo shares a server with anything else. */
export const DEMO_REDIS_PREFIX = 'threadline-demo:';

/**
 * Redis when `redisUrl` is given, PostgreSQL when `databaseUrl` is, otherwise PGlite (Postgres
 * compiled to WebAssembly, in-process) in `<dataDir>/db`. Nothing else in the demo changes: every
 * store passes the same conformance suite.
 */
export function openDemoStore(input: {
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  clock: Clock;
}): DemoStore {
  if (input.redisUrl) {
    return {
      store: createRedisStore({
        url: input.redisUrl,
        keyPrefix: DEMO_REDIS_PREFIX,
        clock: input.clock,
      }),
      description: `Redis at ${redact(input.redisUrl)} (keys under ${DEMO_REDIS_PREFIX})`,
    };
  }
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
    return 'the configured URL';
  }
}
