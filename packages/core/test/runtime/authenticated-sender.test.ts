import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, testCapabilities } from '@threadline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AddressTakenError,
  type ChannelAdapter,
  type ConversationUpdateEvent,
  createThreadline,
  type EventSink,
  normalizeAddress,
  type Threadline,
  type ThreadStore,
} from '../../src/index';

/** The store whose second `identities.link` takes 30 ms, as a loaded database's might. */
function slowSecondLink(store: ThreadStore): ThreadStore {
  let links = 0;
  const identities = Object.create(store.identities) as ThreadStore['identities'];
  identities.link = async (input) => {
    links += 1;
    if (links === 2) await new Promise((resolve) => setTimeout(resolve, 30));
    return store.identities.link(input);
  };
  return Object.assign(Object.create(store) as ThreadStore, { identities });
}

/** Simultaneous first contacts of one new user (a visitor opening several tabs at once). */
const TABS = 5;

/**
 * Senders an adapter authenticated (a signed web chat token's user), issue 21: simultaneous first
 * contacts raced creating the user, and a sender could move an address linked to another user.
 */
describe('channel-authenticated senders', () => {
  let threadline: Threadline;
  let store: ThreadStore;
  let sink: EventSink;
  const clock = createFakeClock();
  afterEach(async () => {
    await threadline.stop();
  });

  async function start(wrap: (store: ThreadStore) => ThreadStore = (plain) => plain) {
    const web: ChannelAdapter = {
      id: 'web-auth',
      channel: 'webchat',
      provider: 'test',
      capabilities: testCapabilities,
      send: async () => ({ providerMessageId: 'unused' }),
      start: async (context) => {
        sink = context.sink;
      },
    };
    store = wrap(createMemoryStore({ clock }));
    threadline = createThreadline({ store, adapters: [web], clock });
    await threadline.start();
  }

  const connected = (userId: string, address: string): ConversationUpdateEvent => ({
    type: 'conversation-update',
    adapterId: 'web-auth',
    channel: 'webchat',
    action: 'connected',
    userId,
    from: { address },
    reference: { address },
    timestamp: clock.date(),
  });

  it(`binds ${TABS} simultaneous first contacts of a new user to one user and one address`, async () => {
    await start();
    const receipts = await Promise.all(
      Array.from({ length: TABS }, () => sink.emit(connected('new-user', 'user:new-user'))),
    );
    expect(receipts.map((receipt) => receipt.userId)).toEqual(Array(TABS).fill('new-user'));
    const identities = await store.identities.listByUser('new-user');
    expect(identities.map(({ address }) => address)).toEqual(['user:new-user']);
  });

  it('refuses a sender whose address normalises to one linked to another user, creating nothing', async () => {
    await start();
    await sink.emit(connected('bob', 'user:bob'));
    const refused = sink.emit(connected('bob ', 'user:bob '));
    await expect(refused).rejects.toBeInstanceOf(AddressTakenError);
    await expect(refused).rejects.toMatchObject({
      code: 'address_taken',
      category: 'auth',
      address: 'user:bob',
      userId: 'bob ',
      ownerId: 'bob',
    });
    expect((await store.identities.get({ channel: 'webchat', address: 'user:bob' }))?.userId).toBe(
      'bob',
    );
    expect(await store.users.get('bob ')).toBeNull();
  });

  it('lets exactly one of two users racing for one address have it; the other is refused', async () => {
    await start();
    const outcomes = await Promise.allSettled([
      sink.emit(connected('bob', 'user:bob')),
      sink.emit(connected('bob ', 'user:bob ')),
    ]);
    const won = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value.userId] : [],
    );
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason] : [],
    );
    expect(won).toHaveLength(1);
    expect(refused).toEqual([expect.any(AddressTakenError)]);
    const owner = await store.identities.get({ channel: 'webchat', address: 'user:bob' });
    expect(owner?.userId).toBe(won[0]);
  });

  it('lets exactly one user have the address when the store is slow to link (the loser linked last)', async () => {
    // A: read (unlinked), B: read (unlinked), A: link + read back (A), B: slow link + read back
    // (B). Without taking turns both were told they had the address, and B had moved A's.
    await start(slowSecondLink);
    const outcomes = await Promise.allSettled([
      sink.emit(connected('bob', 'user:bob')),
      sink.emit(connected('bob ', 'user:bob ')),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const [won] = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.userId] : []));
    const owner = await store.identities.get({ channel: 'webchat', address: 'user:bob' });
    expect(owner?.userId).toBe(won);
  });

  it('refuses a message from an address the host linked to another user, recording nothing', async () => {
    await start();
    await store.users.create({ id: 'erin' });
    await threadline.users.link({ userId: 'erin', channel: 'webchat', address: 'user:dave' });
    const message = sink.emit({
      type: 'message',
      adapterId: 'web-auth',
      channel: 'webchat',
      userId: 'dave',
      message: {
        providerMessageId: 'user:dave:c-1',
        from: { address: 'user:dave' },
        timestamp: clock.date(),
        text: 'hi',
      },
    });
    await expect(message).rejects.toBeInstanceOf(AddressTakenError);
    expect((await store.identities.get({ channel: 'webchat', address: 'user:dave' }))?.userId).toBe(
      'erin',
    );
    expect(await store.threads.listByUser('erin')).toEqual([]);
    expect(await store.users.get('dave')).toBeNull();
  });

  it('exports the one address normaliser, per kind of address', () => {
    expect(normalizeAddress('channel', ' user:bob\t')).toBe('user:bob');
    expect(normalizeAddress('channel', '   ')).toBeNull();
    expect(normalizeAddress('email', ' Ann@Example.COM ')).toBe('ann@example.com');
    expect(normalizeAddress('phone', '+1 (650) 555-1234')).toBe('+16505551234');
  });
});
