import { AddressTakenError, type ErrorContext } from '@threadline/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES } from '../src/index';
import { agentTexts, type ChatServer, startChatServer, TestClient } from './helpers';

/**
 * Issue 21, fix 4: a token for `bob ` (trailing space) was linked to bob's address, because the
 * core trims web chat addresses and the socket registry did not, and an authenticated connection
 * re-linked the address to its own user. One address form, and no takeover.
 */
describe('web chat addresses', () => {
  let server: ChatServer;
  const clients: TestClient[] = [];
  const errors: Array<{ error: unknown; context: ErrorContext }> = [];
  const start = async () => {
    server = await startChatServer({
      onError: (error, context) => errors.push({ error, context }),
    });
  };
  const connect = async (userId: string) => {
    const client = await TestClient.connect(server.url, { token: await server.token(userId) });
    clients.push(client);
    return client;
  };
  const attempt = async (userId: string) => {
    const client = new TestClient(server.url, { token: await server.token(userId) });
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    for (const open of clients.splice(0)) open.ws.terminate();
    errors.splice(0);
    await server?.close();
  });

  it('refuses a token whose user id normalises to another user’s address, with 4403 and onError', async () => {
    await start();
    const bob = await connect('bob');
    const imposter = await attempt('bob ');
    expect((await imposter.closed).code).toBe(CLOSE_CODES.ADDRESS_TAKEN);

    const taken = errors.map(({ error }) => error).find((e) => e instanceof AddressTakenError);
    expect(taken).toMatchObject({
      code: 'address_taken',
      address: 'user:bob',
      userId: 'bob ',
      ownerId: 'bob',
    });
    expect(errors[0]?.context).toMatchObject({ phase: 'inbound', adapterId: server.webchat.id });
    // Nothing moved and nothing was created for the refused token.
    const identity = await server.store.identities.get({ channel: 'webchat', address: 'user:bob' });
    expect(identity?.userId).toBe('bob');
    expect(await server.store.users.get('bob ')).toBeNull();

    const sent = await server.threadline.channels.send({
      channel: 'webchat',
      to: { userId: 'bob' },
      text: 'for bob',
    });
    expect(sent).toMatchObject({ userId: 'bob', identifier: 'user:bob' });
    await bob.next('message', (frame) => frame.text === 'for bob');
    await expect(
      server.threadline.channels.send({ channel: 'webchat', to: { userId: 'bob ' }, text: 'x' }),
    ).rejects.toThrow();
    expect(agentTexts(bob)).toEqual(['for bob']);
  });

  it('refuses a token for an address the host linked to another user, and keeps the link', async () => {
    await start();
    await server.store.users.create({ id: 'erin' });
    await server.threadline.users.link({
      userId: 'erin',
      channel: 'webchat',
      address: 'user:dave',
    });
    const dave = await attempt('dave');
    expect((await dave.closed).code).toBe(CLOSE_CODES.ADDRESS_TAKEN);
    expect(errors.map(({ error }) => error)).toEqual([expect.any(AddressTakenError)]);
    const identity = await server.store.identities.get({
      channel: 'webchat',
      address: 'user:dave',
    });
    expect(identity?.userId).toBe('erin');
  });

  it('indexes sockets under the core’s address form, whatever spelling a frame is routed by', async () => {
    await start();
    const zed = await connect(' zed ');
    expect(zed.of('welcome')[0]).toMatchObject({ userId: ' zed ' });
    // The runtime stores ` zed `'s address as `user: zed`: that finds the socket, as does any spelling.
    await server.webchat.sendTyping?.({ to: { address: 'user: zed' } });
    await zed.next('typing');
    await server.webchat.sendTyping?.({ to: { address: '\tuser: zed ' } });
    await vi.waitFor(() => expect(zed.of('typing')).toHaveLength(2));
    const sent = await server.threadline.channels.send({
      channel: 'webchat',
      to: { userId: ' zed ' },
      text: 'hello zed',
    });
    expect(sent.identifier).toBe('user: zed');
    await zed.next('message', (frame) => frame.text === 'hello zed');
  });
});
