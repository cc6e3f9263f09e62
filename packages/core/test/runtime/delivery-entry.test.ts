import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { ThreadStore } from '../../src/index';
import { createHarness, type Harness } from './harness';

const ANN = '+447700900123';

/**
 * A store whose separate `threads.append` fails, as a crash right after the delivery was created
 * would leave it: only a delivery written together with its entry keeps the thread whole.
 */
function crashingBetweenDeliveryAndEntry(store: ThreadStore): ThreadStore {
  return {
    ...store,
    threads: {
      ...store.threads,
      append: () => Promise.reject(new Error('the process died before the thread entry')),
    },
  };
}

describe('a delivery and its thread entry', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((harness) => harness.threadline.stop()));
  });

  it('commit together: nothing is sent that the thread does not show', async () => {
    const clock = createFakeClock();
    const store = crashingBetweenDeliveryAndEntry(createMemoryStore({ clock }));
    const h = await createHarness({ clock, store });
    harnesses.push(h);

    const result = await h.threadline.channels.send({
      channel: 'sms',
      to: { phoneNumber: ANN },
      text: 'recorded with its delivery',
    });

    expect(h.channels.sms.sent).toHaveLength(1);
    expect(result).toMatchObject({ persisted: true });
    expect(result.warning).toBeUndefined();
    const [thread] = await store.threads.listByUser(result.userId as string);
    const entries = await store.threads.read(thread?.id as string);
    expect(entries).toMatchObject([
      {
        direction: 'outbound',
        text: 'recorded with its delivery',
        deliveryId: result.deliveryId,
        seq: 1,
      },
    ]);
  });
});
