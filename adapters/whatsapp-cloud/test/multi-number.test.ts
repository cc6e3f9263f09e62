import {
  type AgentTurn,
  createThreadline,
  type Threadline,
  type ThreadlineEventMap,
} from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createFakeClock } from '@threadline/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppCloudAdapters, type WhatsAppCloudAdapter } from '../src/index';
import { baseOptions, GRAPH_BASE_URL, useGraphMock } from './graph';
import { contact, messagesChange, textMessage, webhookPayload, webhookRequest } from './webhooks';

/**
 * Meta posts every number of an app (across WABAs) to the app's one callback URL, batching
 * changes of different numbers into one POST. Payload shape:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
 */

const graph = useGraphMock();
const SALES = '106540352242922';
const SUPPORT = '107655329736160';
const UNKNOWN = '199999999999999';
const ANN = '16505551234';
const BOB = '447700900456';

let numbers: WhatsAppCloudAdapter[];
let threadline: Threadline;
let turns: AgentTurn[];
let unrouted: Array<ThreadlineEventMap['webhook.unrouted']>;
let warnings: Array<Record<string, unknown>>;

beforeEach(async () => {
  graph.reset();
  const clock = createFakeClock();
  turns = [];
  unrouted = [];
  warnings = [];
  const { phoneNumberId: _single, ...shared } = baseOptions;
  numbers = createWhatsAppCloudAdapters({
    ...shared,
    clock,
    numbers: [
      { phoneNumberId: SALES },
      { phoneNumberId: SUPPORT, id: 'support', accessToken: 'support-waba-token' },
    ],
  });
  const ignore = () => {};
  threadline = createThreadline({
    store: createMemoryStore({ clock }),
    adapters: numbers,
    clock,
    outbox: { pollIntervalMs: 3_600_000 },
    jobs: { pollIntervalMs: 3_600_000 },
    logger: { debug: ignore, info: ignore, error: ignore, warn: (fields) => warnings.push(fields) },
    onMessage: (turn) => {
      turns.push(turn);
    },
  });
  threadline.on('webhook.unrouted', (event) => unrouted.push(event));
  await threadline.start();
});

afterEach(async () => {
  await threadline.stop();
});

/** One signed batch to the first number's URL (the app's one callback URL). */
async function postBatch(...changes: ReturnType<typeof messagesChange>[]) {
  const url = `https://agent.example.test/webhooks/${numbers[0]?.id}`;
  const response = await threadline.fetch(webhookRequest(webhookPayload(changes), { url }));
  await threadline.idle();
  return response;
}

describe('several WhatsApp numbers behind one callback URL', () => {
  it('routes each change of one signed batch to the number it was sent to', async () => {
    const response = await postBatch(
      messagesChange({
        phoneNumberId: SALES,
        contacts: [contact(ANN, 'Ann')],
        messages: [textMessage(ANN, 'wamid.A1', 'price of the blue one?')],
      }),
      messagesChange({
        phoneNumberId: SUPPORT,
        contacts: [contact(BOB, 'Bob')],
        messages: [textMessage(BOB, 'wamid.B1', 'my order is late')],
      }),
    );

    expect(response.status).toBe(200);
    expect(turns.map((turn) => [turn.message.text, turn.message.adapterId])).toEqual([
      ['price of the blue one?', `whatsapp-${SALES}`],
      ['my order is late', 'support'],
    ]);
    const [ann, bob] = turns;
    expect(await threadline.users.get(ann?.user.id as string).thread()).toHaveLength(1);
    expect(await threadline.users.get(bob?.user.id as string).thread()).toHaveLength(1);
    expect(unrouted).toEqual([]);
  });

  it('logs and counts a number nobody here serves, and still records the rest', async () => {
    const unknown = messagesChange({
      phoneNumberId: UNKNOWN,
      contacts: [contact(BOB, 'Bob')],
      messages: [textMessage(BOB, 'wamid.X1', 'hello?')],
    });
    await postBatch(
      unknown,
      messagesChange({
        phoneNumberId: SUPPORT,
        contacts: [contact(ANN, 'Ann')],
        messages: [textMessage(ANN, 'wamid.A2', 'hi support')],
      }),
    );
    const response = await postBatch(unknown);

    expect(response.status).toBe(200);
    expect(turns.map((turn) => turn.message.text)).toEqual(['hi support']);
    expect(unrouted.map((event) => [event.senderId, event.count])).toEqual([
      [UNKNOWN, 1],
      [UNKNOWN, 2],
    ]);
    expect(unrouted[0]).toMatchObject({ channel: 'whatsapp', adapterId: `whatsapp-${SALES}` });
    expect(warnings.filter((fields) => fields.senderId === UNKNOWN)).toHaveLength(2);
  });

  it('sends from `from`, else the number the user last wrote to, else the first number', async () => {
    await postBatch(
      messagesChange({
        phoneNumberId: SUPPORT,
        contacts: [contact(ANN, 'Ann')],
        messages: [textMessage(ANN, 'wamid.A3', 'hi support')],
      }),
    );
    const userId = turns[0]?.user.id as string;

    const remembered = await threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      text: 'support here',
    });
    const pinned = await threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      from: `whatsapp-${SALES}`,
      text: 'sales here',
    });
    const cold = await threadline.channels.whatsapp.sendTemplate({
      to: { phoneNumber: `+${BOB}` },
      template: { name: 'hello_world', languageCode: 'en_US' },
    });

    expect([remembered.from, pinned.from, cold.from]).toEqual([
      'support',
      `whatsapp-${SALES}`,
      `whatsapp-${SALES}`,
    ]);
    const sent = graph.requests.filter((request) => request.body?.to !== undefined);
    expect(sent.map((request) => [request.url, request.authorization])).toEqual([
      [`${GRAPH_BASE_URL}/v25.0/${SUPPORT}/messages`, 'Bearer support-waba-token'],
      [`${GRAPH_BASE_URL}/v25.0/${SALES}/messages`, `Bearer ${baseOptions.accessToken}`],
      [`${GRAPH_BASE_URL}/v25.0/${SALES}/messages`, `Bearer ${baseOptions.accessToken}`],
    ]);
  });
});
