import { createClient } from '@redis/client';
import { createThreadline, type Threadline, type ThreadStore } from '@threadline/core';
import { createPostgresStore } from '@threadline/store-postgres';
import { createRedisStore } from '@threadline/store-redis';
import { createWhatsAppCloudAdapter } from '@threadline/whatsapp-cloud';
import type { InstanceConfig } from './instance-config';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN } from './meta-webhooks';

/** Never, in practice: the scenario's own runtime only writes; the instances dispatch. */
export const NO_POLLING_MS = 3_600_000;

/** The store an instance config names, opened in this process. */
export function openStore(config: InstanceConfig['store']): ThreadStore {
  return config.kind === 'postgres'
    ? createPostgresStore({ connectionString: config.url, schema: config.schema })
    : createRedisStore({ url: config.url, keyPrefix: config.keyPrefix });
}

/** A runtime in the test process that schedules work and never dispatches it itself. */
export function createWriterRuntime(store: ThreadStore, graphUrl: string): Threadline {
  const adapter = createWhatsAppCloudAdapter({
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    baseUrl: graphUrl,
  });
  return createThreadline({
    store,
    adapters: [adapter],
    instanceId: 'fault-writer',
    telemetry: false,
    outbox: { pollIntervalMs: NO_POLLING_MS },
    jobs: { pollIntervalMs: NO_POLLING_MS },
  });
}

/** Deletes every key under a scenario's Redis prefix. */
export async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      keys.push(...batch);
    }
    for (let i = 0; i < keys.length; i += 500) await client.del(keys.slice(i, i + 500));
  } finally {
    await client.quit();
  }
}
