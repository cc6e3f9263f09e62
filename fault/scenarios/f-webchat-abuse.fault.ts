import { createServer } from 'node:http';
import { createThreadline } from '@threadline/core';
import { waitFor } from '@threadline/testkit';
import { CLOSE_CODES, createVisitorToken, createWebChatAdapter } from '@threadline/webchat-ws';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChatSocket,
  messageTexts,
  openChatSocket,
  visitorId,
  welcomedUserId,
} from '../src/chat-client';
import { report } from '../src/figures';
import { NO_POLLING_MS, openStore } from '../src/host';
import { freshStore, STORE_KINDS } from '../src/stores';

/**
 * f. Web chat abuse: 100 sockets at once: ordinary visitors (among them `bob` and `bob ` with a
 * trailing space, two different users), visitors sending malformed frames, and sockets with
 * garbage, forged and expired tokens. Then the server sends each visitor a message of their own.
 * Guarantee (DESIGN §3, "one address form"): no frame meant for one user ever reaches another
 * user's socket, and no socket with a bad token is served anything. `bob` and `bob ` normalise to
 * one address, so exactly one of them gets it and the other is refused for good (close 4403);
 * every other visitor gets their message.
 */

const ADDRESS_TAKEN = CLOSE_CODES.ADDRESS_TAKEN;
const SECRET = 'fault-webchat-secret-0123456789-abcdefgh';
const ORDINARY = 50;
const ABUSERS = 25;
const BAD_TOKENS = 25;
/** Frames no client should send: not JSON, unknown type, missing fields, wrong types, huge. */
const BAD_FRAMES = [
  '{',
  'null',
  '{"type":"nope"}',
  '{"type":"message"}',
  '{"type":"message","clientMsgId":7,"text":["x"]}',
  '{"type":"read","seq":"all"}',
  JSON.stringify({ type: 'message', clientMsgId: 'big', text: 'x'.repeat(200_000) }),
];

describe.each(STORE_KINDS)('f. web chat abuse on %s', (kind) => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('never delivers one user’s frames to another user’s socket', async () => {
    const started = Date.now();
    const store = await freshStore(kind, 'webchat');
    cleanups.push(() => store.drop());
    const threadStore = openStore(store.config);
    cleanups.push(() => threadStore.close());
    const webchat = createWebChatAdapter({ secret: SECRET });
    const threadline = createThreadline({
      store: threadStore,
      adapters: [webchat],
      telemetry: false,
      outbox: { pollIntervalMs: NO_POLLING_MS },
      jobs: { pollIntervalMs: NO_POLLING_MS },
    });
    const http = createServer(threadline.toNodeHandler());
    webchat.attach(http);
    await threadline.start();
    cleanups.push(() => threadline.stop());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      http.closeAllConnections();
      return new Promise((resolve) => http.close(resolve));
    });
    const address = http.address();
    const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${webchat.path}`;

    // Who each socket claims to be (the token's subject), or null for a bad token.
    const owners = [
      'bob',
      'bob ',
      ...Array.from({ length: ORDINARY - 2 }, (_, i) => `visitor-${i}`),
      ...Array.from({ length: ABUSERS }, (_, i) => `abuser-${i}`),
    ];
    const tokens = await Promise.all(
      owners.map((userId) => createVisitorToken({ userId }, SECRET)),
    );
    const badTokens = await Promise.all(
      Array.from({ length: BAD_TOKENS }, async (_, i) => {
        if (i % 3 === 0) return `garbage.${i}.token`;
        if (i % 3 === 1)
          return createVisitorToken({ userId: 'bob' }, 'a-forged-secret-0123456789-abcdefghij');
        return createVisitorToken({ userId: 'bob', ttlSeconds: 60 }, SECRET, {
          now: Date.now() - 3_600_000,
        });
      }),
    );
    const sockets: Array<{ socket: ChatSocket; owner: string | null }> = [
      ...owners.map((owner, i) => ({ socket: openChatSocket(url, tokens[i]), owner })),
      ...badTokens.map((token) => ({ socket: openChatSocket(url, token), owner: null })),
    ];
    await Promise.all(sockets.map(({ socket }) => socket.settled));
    await waitFor(
      () => sockets.every(({ socket }) => socket.closed || visitorId(socket) !== undefined),
      'every socket to be welcomed or refused',
      15_000,
    ).catch(() => undefined);

    for (const { socket, owner } of sockets) {
      if (owner?.startsWith('abuser-') && socket.ws.readyState === socket.ws.OPEN) {
        for (const frame of BAD_FRAMES) socket.ws.send(frame);
      }
    }
    // `bob` and `bob ` share one address: one holds it, the other was refused (4403).
    const bobs = sockets.filter(({ owner }) => owner === 'bob' || owner === 'bob ');
    const imposters = bobs.filter(({ socket }) => socket.closeCode === ADDRESS_TAKEN).length;
    // Each welcomed ordinary visitor is sent a message naming its owner, to the user it was told it is.
    const ordinary = sockets.filter(
      ({ owner, socket }) =>
        owner !== null && !owner.startsWith('abuser-') && socket.closeCode !== ADDRESS_TAKEN,
    );
    let failedSends = 0;
    const sendErrors = new Set<string>();
    for (const { socket, owner } of ordinary) {
      const userId = welcomedUserId(socket);
      if (userId === undefined) continue;
      await threadline.channels
        .send({ channel: 'webchat', to: { userId }, text: `for:${owner}` })
        .catch((error: unknown) => {
          failedSends += 1;
          sendErrors.add(error instanceof Error ? error.message : String(error));
        });
    }
    await waitFor(
      () => ordinary.every(({ socket, owner }) => messageTexts(socket).includes(`for:${owner}`)),
      'every visitor to receive their message',
      10_000,
    ).catch(() => undefined);

    const crossUser = sockets.reduce(
      (sum, { socket, owner }) =>
        sum +
        messageTexts(socket).filter((text) => text.startsWith('for:') && text !== `for:${owner}`)
          .length,
      0,
    );
    const badTokenServed = sockets.filter(
      ({ socket, owner }) => owner === null && visitorId(socket) !== undefined,
    ).length;
    const lost = ordinary.filter(
      ({ socket, owner }) => !messageTexts(socket).includes(`for:${owner}`),
    ).length;
    report({
      scenario: 'f web chat abuse',
      store: kind,
      sent: ordinary.length,
      recorded: ordinary.length - lost,
      lost,
      duplicates: 0,
      crashes: 0,
      durationMs: Date.now() - started,
      note: `${sockets.length} sockets; cross-user frames ${crossUser}; bad tokens served ${badTokenServed}; bob/bob refused 4403 ${imposters}; sends failed ${failedSends} ${[...sendErrors].join(' | ')}`,
    });
    for (const { socket } of sockets) socket.ws.terminate();
    expect({ crossUser, badTokenServed, imposters, lost, failedSends }).toEqual({
      crossUser: 0,
      badTokenServed: 0,
      imposters: 1,
      lost: 0,
      failedSends: 0,
    });
  });
});
