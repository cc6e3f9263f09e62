import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../src/index';
import { type ChatServer, startChatServer, TestClient } from './helpers';

/** Sockets in the abuse run, each of a different user (issue 21's fault suite: 0 cross-user frames). */
const USERS = 50;
/** A small `maxPayload`, so an oversized frame is cheap to send. */
const MAX_PAYLOAD = 4 * 1024;

const idOf = (index: number) => `u${String(index).padStart(2, '0')}`;
/** A tag only this user's frames may carry: `«u07»`. */
const tag = (userId: string) => `«${userId}»`;

/** What each socket sends, by `index % 5`: four kinds of bad frame and one well-behaved visitor. */
type Behaviour = 'malformed' | 'oversized' | 'binary' | 'spoofed' | 'valid';
const BEHAVIOURS: readonly Behaviour[] = ['malformed', 'oversized', 'binary', 'spoofed', 'valid'];

/**
 * Every user a frame is about: by the tag each user puts in all their texts (and the host in all
 * its sends), or by a `userId` (the welcome). A spoofer's own ack echoing the victim-shaped
 * `clientMsgId` it chose is its own frame, so addresses are not matched.
 */
function usersNamedIn(frame: unknown): Set<string> {
  const json = JSON.stringify(frame);
  const named = new Set<string>();
  for (const match of json.matchAll(/«(u\d\d)»|"userId":"(u\d\d)"/g)) {
    named.add((match[1] ?? match[2]) as string);
  }
  return named;
}

function misbehave(client: TestClient, userId: string, behaviour: Behaviour, victim: string): void {
  switch (behaviour) {
    case 'malformed':
      client.send(`{"type":"message","text":"${tag(userId)}`);
      return;
    case 'oversized':
      client.send({
        type: 'message',
        clientMsgId: 'big',
        text: `${tag(userId)}${'x'.repeat(MAX_PAYLOAD)}`,
      });
      return;
    case 'binary':
      client.ws.send(
        Buffer.from(JSON.stringify({ type: 'message', clientMsgId: 'b', text: tag(userId) })),
      );
      return;
    case 'spoofed':
      // Fields naming another user, an id shaped like the victim's, and a read of their seqs.
      client.send({
        type: 'message',
        clientMsgId: `user:${victim}:c-1`,
        text: `${tag(userId)} as ${victim}`,
        userId: victim,
        address: `user:${victim}`,
        from: { address: `user:${victim}` },
        to: { userId: victim },
      });
      client.send({ type: 'read', seq: 1_000_000, userId: victim });
      client.send({ type: 'typing', userId: victim });
      return;
    case 'valid':
      client.send({ type: 'message', clientMsgId: 'c-1', text: `${tag(userId)} hello` });
      return;
  }
}

describe('web chat abuse: bad frames never reach another user', () => {
  let server: ChatServer;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const open of clients.splice(0)) open.ws.terminate();
    await server?.close();
  });

  it(`${USERS} users sending malformed, oversized, binary and spoofed frames get only their own`, async () => {
    server = await startChatServer({
      options: { maxPayload: MAX_PAYLOAD },
      async onMessage({ message, reply }) {
        await reply(`echo ${message.text}`);
      },
    });
    const users = Array.from({ length: USERS }, (_, index) => idOf(index));
    const tabs = await Promise.all(
      users.map(async (userId) => {
        const client = await TestClient.connect(server.url, { token: await server.token(userId) });
        clients.push(client);
        return client;
      }),
    );
    // Tokens whose user ids normalise onto five of those users' addresses: refused, never linked.
    const imposters = await Promise.all(
      users.slice(0, 5).map(async (userId) => {
        const client = new TestClient(server.url, { token: await server.token(`${userId} `) });
        clients.push(client);
        return client;
      }),
    );

    tabs.forEach((client, index) => {
      const behaviour = BEHAVIOURS[index % BEHAVIOURS.length] as Behaviour;
      misbehave(client, idOf(index), behaviour, idOf((index + 1) % USERS));
    });
    const expectedClose: Partial<Record<Behaviour, number>> = {
      malformed: CLOSE_CODES.BAD_MESSAGE,
      oversized: CLOSE_CODES.MESSAGE_TOO_BIG,
      binary: CLOSE_CODES.BAD_MESSAGE,
    };
    await Promise.all(
      tabs.map(async (client, index) => {
        const behaviour = BEHAVIOURS[index % BEHAVIOURS.length] as Behaviour;
        const code = expectedClose[behaviour];
        if (code !== undefined) {
          expect((await client.closed).code).toBe(code);
          return;
        }
        const userId = idOf(index);
        await client.next(
          'message',
          (frame) =>
            frame.text ===
            `echo ${tag(userId)}${behaviour === 'valid' ? ' hello' : ` as ${idOf((index + 1) % USERS)}`}`,
        );
      }),
    );
    for (const imposter of imposters) {
      expect((await imposter.closed).code).toBe(CLOSE_CODES.ADDRESS_TAKEN);
    }
    // Every user, open or not, is sent one message; the open sockets get theirs and only theirs.
    await Promise.all(
      users.map((userId) =>
        server.threadline.channels.send({
          channel: 'webchat',
          to: { userId },
          text: `for ${tag(userId)}`,
        }),
      ),
    );
    await Promise.all(
      tabs.map((client, index) =>
        client.ws.readyState === client.ws.OPEN
          ? client.next('message', (frame) => frame.text === `for ${tag(idOf(index))}`)
          : undefined,
      ),
    );

    const crossUser = tabs.flatMap((client, index) =>
      client.frames.filter((frame) =>
        [...usersNamedIn(frame)].some((named) => named !== idOf(index)),
      ),
    );
    const imposterFrames = imposters.flatMap((client) => client.frames);
    expect({ crossUser, imposterFrames }).toEqual({ crossUser: [], imposterFrames: [] });
    // The spoofed fields were ignored: each message is on its sender's own thread.
    for (const userId of users.filter((_, index) => BEHAVIOURS[index % 5] === 'spoofed')) {
      const [thread] = await server.store.threads.listByUser(userId);
      const entries = await server.store.threads.read(thread?.id ?? '');
      expect(entries.every((entry) => usersNamedIn(entry.text).has(userId))).toBe(true);
    }
  });
});
