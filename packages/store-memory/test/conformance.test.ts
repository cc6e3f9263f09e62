import { runStoreConformance } from '@threadline/testkit';
import { createMemoryStore } from '../src/index';

// No `twoInstances`: the memory store's data lives in the store object, so two objects are two
// databases with nothing shared to race. Its atomicity is one synchronous step per method, which
// the suite's concurrent promises on one object already exercise.
runStoreConformance(({ clock }) => createMemoryStore({ clock }), {
  name: 'memory store',
  readBatches: true,
});

// The suite also serves stores without cross-instance pub/sub: declared so, it checks they do not
// claim one. The memory store with its pub/sub removed stands in for such a store.
runStoreConformance(
  ({ clock }) => {
    const { pubsub: _omitted, ...store } = createMemoryStore({ clock });
    return store;
  },
  { name: 'memory store without pub/sub', pubsub: false },
);
