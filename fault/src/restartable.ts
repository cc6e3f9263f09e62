import { migrate } from './databases';
import type { InstanceConfig } from './instance-config';
import { startPrivatePostgres } from './private-postgres';
import { startPrivateRedis } from './private-redis';
import type { StoreKind } from './stores';

/** A database of the suite's own that a scenario may stop and start again. */
export interface RestartableDatabase {
  readonly config: InstanceConfig['store'];
  /** How it stops: PostgreSQL's immediate shutdown, or SIGKILL of Redis. */
  readonly stopsBy: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Starts a private server of `kind` with a store's schema (or key prefix) ready on it. */
export async function startRestartable(kind: StoreKind): Promise<RestartableDatabase> {
  if (kind === 'postgres') {
    const postgres = await startPrivatePostgres();
    const schema = 'fault_restart';
    await migrate(postgres.url, schema);
    return {
      config: { kind, url: postgres.url, schema },
      stopsBy: 'pg_ctl stop -m immediate',
      stop: async () => postgres.stop(),
      start: async () => postgres.start(),
      destroy: async () => postgres.destroy(),
    };
  }
  const redis = await startPrivateRedis();
  return {
    config: { kind, url: redis.url, keyPrefix: 'fault_restart:' },
    stopsBy: 'SIGKILL (appendfsync always)',
    stop: () => redis.stop(),
    start: () => redis.start(),
    destroy: () => redis.destroy(),
  };
}
