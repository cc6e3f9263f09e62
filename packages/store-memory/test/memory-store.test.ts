import { ConfigError, type JsonValue, StoreError } from '@threadline/core';
import { createFakeClock } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/index';

describe('createMemoryStore options', () => {
  it('refuses a clock without now() with a ConfigError naming clock', () => {
    const bad = { clock: { time: () => 0 } } as unknown as Parameters<typeof createMemoryStore>[0];
    expect(() => createMemoryStore(bad)).toThrow(ConfigError);
    expect(() => createMemoryStore(bad)).toThrow(/createMemoryStore: clock: /);
  });

  it('refuses a null clock, and a function with a now property, saying a clock is an object with now()', () => {
    const clockFunction = Object.assign(() => 0, { now: () => 0 });
    for (const clock of [null, clockFunction, 'now']) {
      const bad = { clock } as unknown as Parameters<typeof createMemoryStore>[0];
      expect(() => createMemoryStore(bad)).toThrow(ConfigError);
      expect(() => createMemoryStore(bad)).toThrow(
        /createMemoryStore: clock: expected a clock: an object with a now\(\) method/,
      );
    }
  });

  it('says a generateId must be a function that returns a new id', () => {
    const bad = { generateId: 42 } as unknown as Parameters<typeof createMemoryStore>[0];
    expect(() => createMemoryStore(bad)).toThrow(ConfigError);
    expect(() => createMemoryStore(bad)).toThrow(
      /generateId: expected a function that returns a new id/,
    );
  });

  it('keeps ids exactly as generateId made them, upper case included', async () => {
    let next = 0;
    const store = createMemoryStore({ generateId: () => `User-${++next}` });
    const user = await store.users.create({});
    expect(user.id).toBe('User-1');
    expect((await store.users.get('User-1'))?.id).toBe('User-1');
  });

  it('refuses a generateId that is not a function, naming generateId', () => {
    const bad = { generateId: 'uuid' } as unknown as Parameters<typeof createMemoryStore>[0];
    expect(() => createMemoryStore(bad)).toThrow(/generateId: /);
  });

  it('refuses an unknown option, so a misspelt one is not silently ignored', () => {
    const bad = { clok: createFakeClock() } as unknown as Parameters<typeof createMemoryStore>[0];
    expect(() => createMemoryStore(bad)).toThrow(ConfigError);
    expect(() => createMemoryStore(bad)).toThrow(/clok/);
  });

  it('works with no options, on the system clock and random UUIDs', async () => {
    const store = createMemoryStore();
    const before = Date.now();
    const user = await store.users.create({});
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    await store.close();
  });

  it('uses the given clock object as is, keeping a class-based clock’s this', async () => {
    class OffsetClock {
      constructor(private readonly base: number) {}
      now() {
        return this.base + 1_000;
      }
    }
    const store = createMemoryStore({ clock: new OffsetClock(Date.UTC(2030, 0, 1)) });
    const user = await store.users.create({});
    expect(user.createdAt).toEqual(new Date(Date.UTC(2030, 0, 1) + 1_000));
  });

  it('makes ids with generateId when given', async () => {
    let next = 0;
    const store = createMemoryStore({ generateId: () => `id-${++next}` });
    const user = await store.users.create({});
    const thread = await store.threads.ensure({ userId: user.id, agentId: 'support' });
    expect([user.id, thread.id]).toEqual(['id-1', 'id-2']);
  });
});

describe('memory store specifics', () => {
  it('keeps separate data per store object', async () => {
    const one = createMemoryStore();
    const two = createMemoryStore();
    const user = await one.users.create({ phoneNumbers: ['+447700900001'] });
    expect(await two.users.get(user.id)).toBeNull();
    expect(await two.users.findByContact({ kind: 'phone', value: '+447700900001' })).toBeNull();
  });

  it('delivers pub/sub messages asynchronously, never inside publish', async () => {
    const store = createMemoryStore();
    const received: JsonValue[] = [];
    await store.pubsub.subscribe('t', (message) => received.push(message));
    const publishing = store.pubsub.publish('t', { n: 1 });
    expect(received).toEqual([]);
    await publishing;
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    expect(received).toEqual([{ n: 1 }]);
  });

  it('gives each subscriber its own copy of a message', async () => {
    const store = createMemoryStore();
    const seen: JsonValue[] = [];
    await store.pubsub.subscribe('t', (message) => {
      (message as { n: number }).n = 99;
    });
    await store.pubsub.subscribe('t', (message) => seen.push(message));
    const sent = { n: 1 };
    await store.pubsub.publish('t', sent);
    sent.n = 2;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('a subscriber that throws does not stop the others', async () => {
    const store = createMemoryStore();
    const seen: JsonValue[] = [];
    await store.pubsub.subscribe('t', () => {
      throw new Error('broken subscriber');
    });
    await store.pubsub.subscribe('t', (message) => seen.push(message));
    await store.pubsub.publish('t', 'hello');
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['hello']);
  });

  it('rejects calls after close with a StoreError, as a closed database connection would', async () => {
    const store = createMemoryStore();
    await store.close();
    await expect(store.users.create({})).rejects.toBeInstanceOf(StoreError);
    await expect(store.pubsub.publish('t', 1)).rejects.toMatchObject({ code: 'store_closed' });
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('refuses a non-positive ttl or lease rather than storing one that is already expired', async () => {
    const store = createMemoryStore({ clock: createFakeClock() });
    await expect(store.dedupe.claim('k', 0)).rejects.toMatchObject({ category: 'validation' });
    await expect(store.leases.acquire({ key: 'k', owner: 'a', ttlMs: -1 })).rejects.toMatchObject({
      category: 'validation',
    });
    await expect(
      store.deliveries.claimDue({ owner: 'a', limit: 0, leaseMs: 1_000 }),
    ).rejects.toMatchObject({ category: 'validation' });
  });

  it('refuses a thread page size that is not a positive integer', async () => {
    const store = createMemoryStore();
    const user = await store.users.create({});
    const thread = await store.threads.ensure({ userId: user.id, agentId: 'a' });
    await expect(store.threads.read(thread.id, { latest: 0 })).rejects.toMatchObject({
      category: 'validation',
    });
    await expect(store.threads.read(thread.id, { after: 0, limit: 1.5 })).rejects.toMatchObject({
      category: 'validation',
    });
  });
  it('offers every optional part and method the suite runs only when present', async () => {
    // The conformance suite skips an optional method a store leaves out, so it cannot notice
    // the memory store losing one: checked here.
    const store = createMemoryStore({ clock: createFakeClock() });
    expect(store.deliveries.renewLease).toBeTypeOf('function');
    expect(store.deliveries.outboxStats).toBeTypeOf('function');
    const { delivery } = await store.deliveries.create({
      channel: 'sms',
      adapterId: 'sms-main',
      recipient: '+447700900001',
      payload: { text: 'hi' },
      origin: 'send',
      nextAttemptAt: null,
      lease: { owner: 'instance-a', ms: 1_000 },
    });
    expect(
      await store.deliveries.renewLease?.({ id: delivery.id, owner: 'instance-a', leaseMs: 5_000 }),
    ).toBe(true);
  });
});
