import type { JsonValue, PubSub, ThreadStore } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock, type FakeClock } from '@threadline/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FanOut, fanOutTopic } from '../src/server/fan-out';
import { PEER_TTL_MS, Peers } from '../src/server/peers';
import { ConnectionRegistry } from '../src/server/registry';
import { agentTexts, type ChatServer, startChatServer, TestClient } from './helpers';

const TOPIC = fanOutTopic('webchat');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The store's own pub/sub, watched: what went through it on the web chat topic, and a switch that
 * cuts an instance off as a crash would (it neither publishes nor receives any more).
 */
function watchedPubSub(pubsub: PubSub) {
  const published: JsonValue[] = [];
  let cut = false;
  let muted = false;
  const watched: PubSub = {
    async publish(topic, message) {
      if (cut || muted) return;
      if (topic === TOPIC) published.push(message);
      await pubsub.publish(topic, message);
    },
    subscribe: (topic, handler) =>
      pubsub.subscribe(topic, (message) => {
        if (!cut) handler(message);
      }),
  };
  const frames = () =>
    published.filter(
      (message) => typeof message === 'object' && message !== null && 'frame' in message,
    );
  return {
    pubsub: watched,
    frames,
    /** Cut off both ways, as a crash would (nothing more is published or received). */
    cut: () => {
      cut = true;
    },
    /** Its publications are lost (or not), as in a broker reconnect. */
    mute: (value: boolean) => {
      muted = value;
    },
  };
}

function instanceOn(store: ThreadStore, pubsub: PubSub): ThreadStore {
  return { ...store, pubsub };
}

describe('fan-out between instances', () => {
  const servers: ChatServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function start(input: { clock: FakeClock; store: ThreadStore; instanceId: string }) {
    const server = await startChatServer(input);
    servers.push(server);
    return server;
  }

  async function connect(server: ChatServer, userId: string) {
    const client = await TestClient.connect(server.url, { token: await server.token(userId) });
    clients.push(client);
    return client;
  }

  /** Lets what is in flight on the memory pub/sub (a microtask away) and on loopback arrive. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

  it('delivers to a socket on the only instance exactly once, publishing nothing', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const watched = watchedPubSub(store.pubsub);
    const a = await start({ clock, store: instanceOn(store, watched.pubsub), instanceId: 'a' });
    const tab = await connect(a, 'u1');
    await a.threadline.channels.send({ channel: 'webchat', to: { userId: 'u1' }, text: 'hi' });
    await tab.next('message', (m) => m.text === 'hi');
    await settle();
    expect(agentTexts(tab)).toEqual(['hi']);
    expect(watched.frames()).toEqual([]);
  });

  it('publishes once another instance starts, reaching its socket once and the local one once', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const watched = watchedPubSub(store.pubsub);
    const a = await start({ clock, store: instanceOn(store, watched.pubsub), instanceId: 'a' });
    const b = await start({ clock, store, instanceId: 'b' });
    const tabA = await connect(a, 'u1');
    const tabB = await connect(b, 'u1');
    await a.threadline.channels.send({ channel: 'webchat', to: { userId: 'u1' }, text: 'hi' });
    await tabA.next('message', (m) => m.text === 'hi');
    await tabB.next('message', (m) => m.text === 'hi');
    await settle();
    expect(agentTexts(tabA)).toEqual(['hi']);
    expect(agentTexts(tabB)).toEqual(['hi']);
    expect(watched.frames()).toHaveLength(1);
  });

  it('still reaches the other instance after the runtime clock jumps far past PEER_TTL_MS', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const a = await start({ clock, store, instanceId: 'a' });
    const b = await start({ clock, store, instanceId: 'b' });
    const tabB = await connect(b, 'u1');
    clock.advance(10 * PEER_TTL_MS); // peer liveness is on the monotonic clock, not this one
    await a.threadline.channels.send({ channel: 'webchat', to: { userId: 'u1' }, text: 'later' });
    await tabB.next('message', (m) => m.text === 'later');
  });

  it('stops publishing when the other instance stops', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ clock });
    const watched = watchedPubSub(store.pubsub);
    const a = await start({ clock, store: instanceOn(store, watched.pubsub), instanceId: 'a' });
    const b = await start({ clock, store, instanceId: 'b' });
    await b.close();
    servers.splice(servers.indexOf(b), 1);
    await settle();
    const tab = await connect(a, 'u1');
    await a.threadline.channels.send({ channel: 'webchat', to: { userId: 'u1' }, text: 'hi' });
    await tab.next('message', (m) => m.text === 'hi');
    expect(watched.frames()).toEqual([]);
  });
});

describe('FanOut announcements', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  const route = { userId: 'u1', address: 'user:u1' };
  const frame = { type: 'typing' } as const;

  function fanOut(
    pubsub: PubSub,
    origin: string,
    options: { announceIntervalMs?: number; now?: () => number } = {},
  ) {
    const instance = new FanOut({
      registry: new ConnectionRegistry(),
      pubsub,
      topic: TOPIC,
      origin,
      logger: quiet,
      ...options,
    });
    stops.push(() => instance.stop());
    return instance;
  }

  /** Lets the memory pub/sub deliver what is in flight (a microtask away). */
  const delivered = () => new Promise((resolve) => setImmediate(resolve));

  it('learns about instances already running from their answer to its hello', async () => {
    const store = createMemoryStore();
    const a = fanOut(store.pubsub, 'a');
    await a.start();
    expect(a.hasPeers).toBe(false);
    const b = fanOut(store.pubsub, 'b');
    await b.start();
    await vi.waitFor(() => expect(a.hasPeers && b.hasPeers).toBe(true));
  });

  it('finds a peer whose hello was lost from its next periodic announcement, both ways', async () => {
    const store = createMemoryStore();
    const watched = watchedPubSub(store.pubsub);
    const a = fanOut(store.pubsub, 'a');
    const b = fanOut(watched.pubsub, 'b', { announceIntervalMs: 10 });
    await a.start();
    watched.mute(true);
    await b.start(); // its hello is lost
    await delivered();
    expect(a.hasPeers || b.hasPeers).toBe(false);
    watched.mute(false);
    // b's next `here` reaches a, and a, hearing of a newcomer, answers it.
    await vi.waitFor(() => expect(a.hasPeers && b.hasPeers).toBe(true));
  });

  it('keeps publishing for a peer that vanished without a bye until PEER_TTL_MS passes', async () => {
    const store = createMemoryStore();
    let now = 0;
    const a = fanOut(store.pubsub, 'a', { now: () => now });
    const watched = watchedPubSub(store.pubsub);
    const b = fanOut(watched.pubsub, 'b');
    await a.start();
    await b.start();
    await delivered();
    watched.cut(); // b crashed: no `bye` will come
    await b.stop();
    expect(await a.publish(route, frame)).toBe(true);
    now += PEER_TTL_MS + 1;
    expect(await a.publish(route, frame)).toBe(false);
  });

  it('stops publishing at once when the peer says bye', async () => {
    const store = createMemoryStore();
    const a = fanOut(store.pubsub, 'a');
    const b = fanOut(store.pubsub, 'b');
    await a.start();
    await b.start();
    await delivered();
    expect(await a.publish(route, frame)).toBe(true);
    await b.stop();
    await delivered();
    expect(await a.publish(route, frame)).toBe(false);
  });
});

describe('Peers', () => {
  it('knows a peer from when it was heard until it leaves or goes quiet for the TTL', () => {
    let now = 0;
    const peers = new Peers(() => now, 1_000);
    expect(peers.any()).toBe(false);
    peers.heard('b');
    expect(peers.any()).toBe(true);
    peers.left('b');
    expect(peers.any()).toBe(false);
    peers.heard('b');
    peers.heard('c');
    now = 600;
    peers.heard('b');
    now = 1_200; // c was last heard at 0, b at 600
    expect(peers.any()).toBe(true);
    now = 1_700;
    expect(peers.any()).toBe(false);
  });
});
