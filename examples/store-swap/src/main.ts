import { runApp } from './app';
import { createStore, STORE_SETTING, storeKindFrom } from './store';

/**
 * `THREADLINE_STORE=memory|pglite|postgres|redis pnpm --filter @threadline/example-store-swap start`.
 * PGLITE_DATA_DIR, DATABASE_URL and REDIS_URL say where the data goes (REDIS_URL alone picks redis).
 */
const kind = storeKindFrom();
const store = createStore(kind, {
  ...(process.env.PGLITE_DATA_DIR ? { dataDir: process.env.PGLITE_DATA_DIR } : {}),
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
});
try {
  const { thread } = await runApp(store, { text: `Hello from the ${kind} store` });
  console.log(`${STORE_SETTING}=${kind}: the thread has ${thread.length} entries\n`);
  for (const entry of thread) {
    const who = entry.direction === 'inbound' ? 'user ' : 'agent';
    console.log(`  #${entry.seq} ${who} ${entry.text}`);
  }
  if (kind !== 'memory') console.log('\nRun it again: the thread is still there and grows.');
} finally {
  await store.close();
}
