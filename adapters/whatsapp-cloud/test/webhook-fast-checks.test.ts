import { describe, expect, it } from 'vitest';
import {
  parseBaseMessage,
  parseEnvelope,
  parseMessageBody,
  parseMessagesValue,
} from '../src/webhook/fast-checks';
import {
  BaseMessageSchema,
  MESSAGE_BODY_SCHEMAS,
  MessagesValueSchema,
  WebhookEnvelopeSchema,
} from '../src/webhook/schema';

const text = {
  from: '16505551234',
  id: 'wamid.1',
  timestamp: '1767225600',
  type: 'text',
  text: { body: 'hi' },
};
const value = {
  messaging_product: 'whatsapp',
  metadata: { phone_number_id: '106540352242922', display_phone_number: '15550001111' },
  contacts: [{ wa_id: '16505551234', profile: { name: 'Ann' } }],
  messages: [text],
};
const envelope = {
  object: 'whatsapp_business_account',
  entry: [{ id: '1', changes: [{ field: 'messages', value }] }],
};

/** Each check against its zod schema: the same verdict, and where both accept, the same data. */
function agrees(
  fast: { success: boolean; data?: unknown },
  zod: { success: boolean; data?: unknown },
) {
  expect(fast.success).toBe(zod.success);
  if (zod.success) expect(fast.data).toMatchObject(zod.data as object);
}

describe('the plain checks before zod', () => {
  it('accept the common webhook exactly where zod does, with the same data', () => {
    agrees(parseEnvelope(envelope), WebhookEnvelopeSchema.safeParse(envelope));
    agrees(parseMessagesValue(value), MessagesValueSchema.safeParse(value));
    agrees(parseBaseMessage(text), BaseMessageSchema.safeParse(text));
    agrees(parseMessageBody('text', text), MESSAGE_BODY_SCHEMAS.text.safeParse(text));
  });

  it('refuse, as zod does, what zod refuses', () => {
    const bad = [
      null,
      [],
      'text',
      { object: 1, entry: [] },
      { object: 'x', entry: [{ changes: [{ field: 2 }] }] },
      { object: 'x', entry: [{ id: 5, changes: [] }] },
    ];
    for (const input of bad) agrees(parseEnvelope(input), WebhookEnvelopeSchema.safeParse(input));
    const values = [
      { metadata: {} },
      { metadata: { phone_number_id: 1 } },
      { ...value, contacts: [{ wa_id: 5 }] },
      { ...value, contacts: [{ profile: { name: 7 } }] },
      { ...value, messages: {} },
      { ...value, statuses: 'x' },
    ];
    for (const input of values)
      agrees(parseMessagesValue(input), MessagesValueSchema.safeParse(input));
    const messages = [
      { ...text, from: '' },
      { ...text, id: undefined },
      { ...text, timestamp: 1767225600 },
      { ...text, context: { id: 7 } },
      { ...text, errors: 'x' },
      { ...text, referral: [] },
    ];
    for (const input of messages)
      agrees(parseBaseMessage(input), BaseMessageSchema.safeParse(input));
    for (const input of [
      { ...text, text: {} },
      { ...text, text: 'hi' },
      { ...text, text: { body: 1 } },
    ])
      agrees(parseMessageBody('text', input), MESSAGE_BODY_SCHEMAS.text.safeParse(input));
  });

  it('leave what they do not look into to zod, which still decides', () => {
    const withContext = { ...text, context: { id: 'wamid.0', forwarded: true } };
    agrees(parseBaseMessage(withContext), BaseMessageSchema.safeParse(withContext));
    expect(parseBaseMessage(withContext)).toMatchObject({
      success: true,
      data: { context: { forwarded: true } },
    });
    const reaction = {
      ...text,
      type: 'reaction',
      reaction: { message_id: 'wamid.0', emoji: '👍' },
    };
    agrees(
      parseMessageBody('reaction', reaction),
      MESSAGE_BODY_SCHEMAS.reaction.safeParse(reaction),
    );
  });
});
