import { runStoreConformance } from '@threadline/testkit';
import { afterAll, describe } from 'vitest';
import { createRedisStore } from '../src/index';
import { deletePrefix, REDIS_URL, serverReachable, uniquePrefix } from './support/server';

describe.runIf(serverReachable)('on a Redis server', () => {
  // A prefix per test: each test starts from an empty store while other files (and other
  // people's tests on this shared Redis) keep theirs. Every prefix is deleted at the end.
  const root = uniquePrefix('conformance');
  let count = 0;

  afterAll(async () => {
    await deletePrefix(root);
  });

  runStoreConformance(
    ({ clock }) => {
      count += 1;
      return createRedisStore({
        url: REDIS_URL,
        keyPrefix: `${root}${count}:`,
        clock,
        checkPersistence: false,
      });
    },
    // No recordMany (inbound group commit), no recipientMany and no batch reads of consent and
    // identities: the core records each inbound message with record, and looks up the recipients
    // of sends issued together one by one (node-redis pipelines their commands anyway).
    {
      name: 'redis store',
      inboundBatches: false,
      outboundBatches: false,
      readBatches: false,
      // Two stores, two connections, one prefix: what two instances of an app share.
      twoInstances: ({ clock }) => {
        count += 1;
        const options = {
          url: REDIS_URL,
          keyPrefix: `${root}${count}:`,
          clock,
          checkPersistence: false,
        };
        return [createRedisStore(options), createRedisStore(options)] as const;
      },
    },
  );
});
