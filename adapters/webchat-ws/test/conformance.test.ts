import type { PubSub } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import {
  type RenderedMessage,
  renderedComponent,
  runAdapterConformance,
} from '@threadline/testkit';
import { afterAll } from 'vitest';
import {
  createVisitorToken,
  createWebChatAdapter,
  type ServerFrame,
  type WebChatAdapter,
  type WirePart,
} from '../src/index';
import { SECRET, TestClient } from './helpers';

/**
 * The shared adapter suite against the real adapter: inbound is a real `ws` client writing a
 * frame; "the provider" is a socket of the recipient, and what it received is what was sent.
 */
let adapter: WebChatAdapter;
/** A second instance of the adapter on the same store, for the failures that need one. */
let peer: WebChatAdapter | undefined;
let visitor: TestClient | undefined;
let pubsubDown = false;
let tokenFor: (userId: string) => Promise<string> = async () => '';

const store = createMemoryStore();
const pubsub: PubSub = {
  publish: (topic, message) =>
    pubsubDown
      ? Promise.reject(new Error('pub/sub is down'))
      : store.pubsub.publish(topic, message),
  subscribe: (topic, handler) => store.pubsub.subscribe(topic, handler),
};
const context = { store: { ...store, pubsub } };

const adapterContext = {
  sink: { emit: async () => ({ recorded: true }) },
  store: context.store,
  agentId: 'default',
  clock: { now: () => Date.now() },
  logger: { debug() {}, info() {}, warn() {}, error() {} },
};

async function stopPrevious() {
  visitor?.ws.terminate();
  visitor = undefined;
  await peer?.stop?.();
  peer = undefined;
  await adapter?.stop?.();
}

/**
 * Starts another instance of the adapter on the same store: with it listening, a frame must be
 * published (an instance alone on its store publishes nothing, since nobody else holds sockets).
 */
async function startPeer() {
  peer = createWebChatAdapter({ id: adapter.id, secret: SECRET });
  await peer.start?.(adapterContext);
  // Its `hello` and the answer travel through the memory pub/sub, a microtask away.
  await new Promise((resolve) => setImmediate(resolve));
}
afterAll(stopPrevious);

/** Starts the adapter (the outbound tests do not) and connects the recipient's socket. */
async function connectRecipient() {
  if (visitor !== undefined) {
    visitor.frames.length = 0;
    return;
  }
  await adapter.start?.(adapterContext);
  const { url } = await adapter.listen({ port: 0 });
  visitor = await TestClient.connect(url, {
    token: await createVisitorToken({ userId: 'visitor-2' }, SECRET),
  });
  visitor.frames.length = 0;
}

/** One rendered message per part of every `message`/`stream_end` frame: each part is its own bubble. */
function rendered(frames: readonly ServerFrame[]): RenderedMessage[] {
  return frames.flatMap((frame) =>
    frame.type === 'message' || frame.type === 'stream_end'
      ? frame.parts.map(
          (part: WirePart): RenderedMessage =>
            part.type === 'text' ? { type: 'text', text: part.text } : renderedComponent(part),
        )
      : [],
  );
}

runAdapterConformance(
  async ({ clock }) => {
    adapter = createWebChatAdapter({ id: 'webchat-conformance', secret: SECRET });
    // The clock of the suite signs tokens, so they are valid at its "now".
    tokenFor = (userId) => createVisitorToken({ userId }, SECRET, { now: clock.now() });
    return adapter;
  },
  {
    name: 'webchat-ws',
    reset: async () => {
      pubsubDown = false;
      await stopPrevious();
    },
    context,
    inbound: {
      kind: 'connection',
      name: 'a visitor writes over a socket',
      async trigger() {
        const { url } = await adapter.listen({ port: 0 });
        visitor = await TestClient.connect(url, { token: await tokenFor('visitor-1') });
        await visitor.say('hello', 'c-1');
      },
      expected: [
        {
          type: 'conversation-update',
          action: 'connected',
          userId: 'visitor-1',
          from: { address: 'user:visitor-1' },
          reference: { adapterId: 'webchat-conformance', address: 'user:visitor-1' },
        },
        {
          type: 'message',
          userId: 'visitor-1',
          message: {
            providerMessageId: 'user:visitor-1:c-1',
            from: { address: 'user:visitor-1' },
            text: 'hello',
          },
        },
      ],
    },
    outbound: {
      recipient: { address: 'user:visitor-2', userId: 'visitor-2' },
      honoursAbort: true,
      provider: {
        accept: connectRecipient,
        failures: [
          {
            name: 'the adapter is not started',
            arrange: stopPrevious,
            category: 'provider',
            retryable: true,
          },
          {
            name: 'pub/sub down, with another instance listening, for a message with no thread entry to replay from',
            arrange: async () => {
              await connectRecipient();
              await startPeer();
              pubsubDown = true;
            },
            category: 'provider',
            retryable: true,
          },
        ],
        async sent() {
          // Frames written before `send` resolved reach the socket within a few ms on loopback.
          await new Promise((resolve) => setTimeout(resolve, 20));
          return rendered(visitor?.frames ?? []);
        },
      },
    },
  },
);
