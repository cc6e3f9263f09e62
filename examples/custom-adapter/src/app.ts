import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createThreadline, type ThreadEntry } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createRelayAdapter } from './adapter';
import { startFakeRelay } from './fake-relay';
import type { RelayMessage } from './send';

const BOT_TOKEN = '123456:example-token';
const SECRET = 'example-webhook-secret';

/**
 * The whole host app: Threadline with the custom Relay adapter, served over node:http, talking to
 * the fake Relay API. A user writes, taps a button, and the agent answers both times.
 */
export async function runCustomAdapterExample(): Promise<{
  thread: ThreadEntry[];
  sent: RelayMessage[];
}> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const relay = await startFakeRelay({
    botToken: BOT_TOKEN,
    webhookSecret: SECRET,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/relay`,
  });
  const threadline = createThreadline({
    store: createMemoryStore(),
    adapters: [
      createRelayAdapter({ botToken: BOT_TOKEN, webhookSecret: SECRET, baseUrl: relay.url }),
    ],
    async onMessage({ message, reply }) {
      if (message.payload) return void (await reply(`Booked: ${message.payload}. See you then!`));
      await reply(
        `Hi ${message.from.displayName ?? 'there'}! When would you like to come?\n\n::: actions\n- Today 7pm\n- Tomorrow 1pm\n:::`,
      );
    },
  });
  server.on('request', threadline.toNodeHandler());
  await threadline.start();
  try {
    const chat = { id: 4242 };
    await relay.deliver({
      update_id: 1,
      message: {
        message_id: 1,
        date: 1_767_225_600,
        chat,
        from: { id: 4242, first_name: 'Ann' },
        text: 'Hi, a table please',
      },
    });
    await threadline.idle();
    await relay.deliver({
      update_id: 2,
      callback_query: {
        id: 'q1',
        from: { id: 4242, first_name: 'Ann' },
        data: 'Today 7pm',
        message: { message_id: 100, date: 1_767_225_660, chat },
      },
    });
    await threadline.idle();
    const identity = await threadline.store.identities.get({
      channel: 'relay',
      address: String(chat.id),
    });
    const thread = await threadline.users.get(identity?.userId ?? '').thread();
    return { thread, sent: [...relay.received] };
  } finally {
    await threadline.stop();
    await relay.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
