import { runStoreConformance } from '@threadline/testkit';
import { createMemoryStore } from '../src/index';

runStoreConformance(({ clock }) => createMemoryStore({ clock }), { name: 'memory store' });

// The suite also serves stores without cross-instance pub/sub: declared so, it checks they do not
// claim one. The memory store with its pub/sub removed stands in for such a store.
runStoreConformance(
  ({ clock }) => {
    const { pubsub: _omitted, ...store } = createMemoryStore({ clock });
    return store;
  },
  { name: 'memory store without pub/sub', pubsub: false },
);
