import { createMemoryStore } from '@threadline/store-memory';
import {
  createFakeClock,
  createTestAdapter,
  deriveTestCapabilities,
  testCapabilityVariants,
} from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { createThreadline, NotReachableError } from '../../src/index';
import { isWarm } from '../../src/runtime/outbound/policy';

/**
 * `reach.warmBy: 'reference'`: a warm-only channel that can only reach a user through the
 * reference its adapter stored (Teams) treats a withdrawn (`null`) or absent reference as cold,
 * even when the user wrote before; the outbox withdraws it when a send fails as `unreachable`.
 */

const MEGAN = '29:megan';
const REFERENCE = { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.example/' };

describe('isWarm', () => {
  const wrote = { lastInboundAt: new Date(0) };
  it('inbound (default): a prior message or any stored reference is warm', () => {
    expect(isWarm({}, wrote)).toBe(true);
    expect(isWarm({}, { reference: REFERENCE })).toBe(true);
    expect(isWarm({}, {})).toBe(false);
  });
  it('reference: only a live reference is warm', () => {
    expect(isWarm({ warmBy: 'reference' }, { reference: REFERENCE })).toBe(true);
    expect(isWarm({ warmBy: 'reference' }, wrote)).toBe(false);
    expect(isWarm({ warmBy: 'reference' }, { ...wrote, reference: null })).toBe(false);
  });
});

describe('a warm-only channel reached through references', () => {
  async function setup() {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const teams = createTestAdapter({
      id: 'teams',
      channel: 'teams',
      clock,
      capabilities: deriveTestCapabilities(
        { rate: { perSecond: 1_000 }, reach: { warmBy: 'reference' } },
        testCapabilityVariants.warmOnly,
      ),
    });
    const threadline = createThreadline({
      store,
      adapters: [teams],
      clock,
      random: () => 0.5,
      outbox: { pollIntervalMs: 3_600_000 },
      jobs: { pollIntervalMs: 3_600_000 },
      onMessage: () => {},
    });
    await threadline.start();
    await teams.receive({ from: MEGAN, text: 'hi' });
    await threadline.idle();
    const send = (text: string) =>
      threadline.channels.send({ channel: 'teams', to: { conversationId: MEGAN }, text });
    return { store, teams, threadline, send };
  }

  it('refuses a user who wrote but has no reference, with no adapter call', async () => {
    const { teams, threadline, send } = await setup();
    await expect(send('hello')).rejects.toBeInstanceOf(NotReachableError);
    expect(teams.calls).toBe(0);
    await threadline.stop();
  });

  it('withdraws the reference when a send fails as unreachable; the next send is refused', async () => {
    const { store, teams, threadline, send } = await setup();
    await store.identities.touch({ channel: 'teams', address: MEGAN }, { reference: REFERENCE });
    expect((await send('first')).delivered).toBe(true);
    teams.failNextWith('unreachable');
    await expect(send('second')).rejects.toMatchObject({ category: 'unreachable' });
    const identity = await store.identities.get({ channel: 'teams', address: MEGAN });
    expect(identity?.reference ?? null).toBeNull();
    const calls = teams.calls;
    await expect(send('third')).rejects.toBeInstanceOf(NotReachableError);
    expect(teams.calls).toBe(calls);
    await threadline.stop();
  });
});
