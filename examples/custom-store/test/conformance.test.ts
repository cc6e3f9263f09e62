import { runStoreConformance } from '@threadline/testkit';
import { createSqliteStore } from '../src/index';

// sql.js has no cross-instance channel, so the store leaves `pubsub` out and says so here: the
// suite then checks that `store.pubsub` is absent instead of running the pub/sub tests. The other
// `false`s are optional parts this starter leaves out (the core falls back without them): the
// suite checks they are absent (or, for `deliveryEntries`, that `create` ignores the entry).
runStoreConformance(({ clock }) => createSqliteStore({ clock }), {
  name: 'SQLite store (sql.js)',
  pubsub: false,
  dedupeExtend: false,
  turns: false,
  deliveryEntries: false,
  deliveryBatches: false,
  inboundBatches: false,
  outbound: false,
  readBatches: false,
});
