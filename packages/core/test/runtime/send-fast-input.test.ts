import { describe, expect, it } from 'vitest';
import { plainTextSend } from '../../src/runtime/outbound/fast-input';
import { ChannelSendInputSchema } from '../../src/runtime/outbound/schemas';

const ABSENT = Symbol('absent');

async function* stream() {
  yield 'hi';
}

const channels = ['sms', '', undefined, 5, ABSENT];
const recipients: unknown[] = [
  { userId: 'u-1' },
  { phoneNumber: '+447700900123' },
  { email: 'ann@example.com' },
  { conversationId: 'c-1' },
  { userId: '' },
  { userId: 'u-1', email: 'ann@example.com' },
  { userId: 'u-1', email: undefined },
  { userId: undefined },
  { nickname: 'ann' },
  {},
  Object.assign(Object.create(null), { userId: 'u-1' }),
  'u-1',
  null,
  ABSENT,
];
const texts: unknown[] = ['Your order shipped', '  ', '', 5, stream(), undefined, ABSENT];
const froms: unknown[] = [ABSENT, 'sms-main', '', undefined, 7];
const extras: Array<Record<string, unknown>> = [
  {},
  { media: [] },
  { media: [{ kind: 'image', url: 'https://example.test/a.png' }] },
  { options: {} },
  { bogus: 1 },
];

/** Every combination of the fields above, keys in varying order. */
function* inputs(): Generator<Record<string, unknown>> {
  for (const channel of channels)
    for (const to of recipients)
      for (const text of texts)
        for (const from of froms)
          for (const extra of extras)
            for (const reverse of [false, true]) {
              const fields: Array<[string, unknown]> = [
                ['channel', channel],
                ['to', to],
                ['text', text],
                ['from', from],
              ];
              if (reverse) fields.reverse();
              const raw: Record<string, unknown> = {};
              for (const [key, value] of fields) if (value !== ABSENT) raw[key] = value;
              yield Object.assign(raw, extra);
            }
}

describe('plainTextSend, the hand check before zod', () => {
  it('accepts only what the schema accepts, and gives what it gives, key order included', () => {
    let fast = 0;
    let checked = 0;
    for (const raw of inputs()) {
      checked += 1;
      const quick = plainTextSend(raw);
      if (quick === undefined) continue;
      fast += 1;
      const parsed = ChannelSendInputSchema.safeParse(raw);
      expect(parsed.success, JSON.stringify(raw)).toBe(true);
      expect(quick).toStrictEqual(parsed.data);
      expect(Object.keys(quick)).toEqual(Object.keys(parsed.data ?? {}));
      // New objects, as zod makes: the host's input is not shared.
      expect(quick).not.toBe(raw);
      expect(quick.to).not.toBe(raw.to);
    }
    expect(checked).toBeGreaterThan(10_000);
    // The usual shapes do take the fast path: 4 recipients × 1 text × 2 senders × 2 key orders.
    expect(fast).toBe(16);
  });

  it('leaves anything unusual to zod', () => {
    expect(plainTextSend({ channel: 'sms', to: { userId: 'u' }, text: 'hi' })).toEqual({
      channel: 'sms',
      to: { userId: 'u' },
      text: 'hi',
    });
    expect(plainTextSend(null)).toBeUndefined();
    expect(plainTextSend([])).toBeUndefined();
    expect(
      plainTextSend({ channel: 'sms', to: { userId: 'u' }, text: 'hi', options: {} }),
    ).toBeUndefined();
    expect(plainTextSend({ channel: 'sms', to: { userId: 'u' }, text: ' ' })).toBeUndefined();
  });
});
