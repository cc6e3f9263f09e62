import { runStoreConformance } from '@threadline/testkit';
import { createSqliteStore } from '../src/index';

// sql.js has no cross-instance channel, so the store leaves `pubsub` out and says so here: the
// suite then checks that `store.pubsub` is absent instead of running the pub/sub tests.
runStoreConformance(({ clock }) => createSqliteStore({ clock }), {
  name: 'SQLite store (sql.js)',
  pubsub: false,
});
