import {
  dropSchema,
  migrate,
  SHARED_POSTGRES_URL,
  SHARED_REDIS_URL,
  uniqueName,
} from './databases';
import { dropRedisPrefix } from './host';
import type { InstanceConfig } from './instance-config';

/** The stores every store-bound scenario runs on. */
export const STORE_KINDS = ['postgres', 'redis'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** A fresh schema or key prefix on the shared server of `kind`, and how to remove it. */
export async function freshStore(
  kind: StoreKind,
  scenario: string,
): Promise<{ config: InstanceConfig['store']; drop(): Promise<void> }> {
  const name = uniqueName(scenario);
  if (kind === 'postgres') {
    await migrate(SHARED_POSTGRES_URL, name);
    return {
      config: { kind, url: SHARED_POSTGRES_URL, schema: name },
      drop: () => dropSchema(SHARED_POSTGRES_URL, name),
    };
  }
  const keyPrefix = `${name}:`;
  return {
    config: { kind, url: SHARED_REDIS_URL, keyPrefix },
    drop: () => dropRedisPrefix(SHARED_REDIS_URL, keyPrefix),
  };
}
