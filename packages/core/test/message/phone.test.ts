import { describe, expect, it } from 'vitest';
import { ConfigError, createThreadline, toE164, ValidationError } from '../../src/index';
import { createHarness } from '../runtime/harness';

describe('toE164', () => {
  it('drops the bracketed trunk 0 of a UK number instead of keeping it as a digit', () => {
    expect(toE164('+44 (0)7700 900123')).toBe('+447700900123');
  });

  it('refuses a national number when no region says which country it is from', () => {
    expect(toE164('202-555-0143')).toBeNull();
    expect(toE164('2025550143')).toBeNull();
    expect(toE164('202-555-0143', { defaultRegion: 'US' })).toBe('+12025550143');
    expect(toE164('07700 900123', { defaultRegion: 'GB' })).toBe('+447700900123');
  });

  it('refuses a country code no country has, and a length the country does not use', () => {
    expect(toE164('+999 1234567')).toBeNull();
    expect(toE164('+1 555 0001')).toBeNull();
    expect(toE164('+44 7700 900123 4567')).toBeNull();
    expect(toE164('1-800-FLOWERS', { defaultRegion: 'US' })).toBeNull();
  });

  it('reads the forms providers send', () => {
    expect(toE164('whatsapp:+16505551234')).toBe('+16505551234');
    expect(toE164('+1 (650) 555-1234')).toBe('+16505551234');
    // WhatsApp's wa_id: international digits without the `+`, read so only when the adapter says.
    expect(toE164('16505551234', { international: true })).toBe('+16505551234');
    expect(toE164('16505551234')).toBeNull();
  });

  it('keeps a stored E.164 number as it is (its meaning never changes)', () => {
    for (const stored of ['+447700900123', '+12025550143', '+16505551234', '+33612345678']) {
      expect(toE164(stored)).toBe(stored);
      expect(toE164(stored, { defaultRegion: 'GB' })).toBe(stored);
    }
  });
});

describe('toE164 answered again (remembered spellings)', () => {
  it('gives each call the answer of its own options, refusals included', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(toE164('202-555-0143')).toBeNull();
      expect(toE164('202-555-0143', { defaultRegion: 'US' })).toBe('+12025550143');
      expect(toE164('16505551234')).toBeNull();
      expect(toE164('16505551234', { international: true })).toBe('+16505551234');
    }
  });

  it('keeps answering correctly past the most it remembers', () => {
    const numbers = Array.from(
      { length: 10_050 },
      (_, index) => `+4477009${String(index).padStart(5, '0')}`,
    );
    const first = numbers.map((number) => toE164(number));
    expect(numbers.map((number) => toE164(number))).toEqual(first);
    expect(first[10_049]).toBe('+447700910049');
  });
});

describe('phone numbers through the runtime', () => {
  it('refuses a national number without defaultRegion, naming the field', async () => {
    const h = await createHarness();
    try {
      const error = await h.threadline.channels
        .send({ channel: 'sms', to: { phoneNumber: '202-555-0143' }, text: 'hi' })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { path: 'to.phoneNumber', message: expect.stringMatching(/defaultRegion/) },
      ]);
      const bad = await h.threadline.channels
        .send({ channel: 'sms', to: { phoneNumber: '+999 1234567' }, text: 'hi' })
        .catch((caught: unknown) => caught);
      expect(bad).toBeInstanceOf(ValidationError);
      expect(h.channels.sms.calls).toBe(0);
    } finally {
      await h.threadline.stop();
    }
  });

  it('reads national numbers in defaultRegion for sends, new users and links', async () => {
    const h = await createHarness({ defaultRegion: 'US' });
    try {
      const result = await h.threadline.channels.send({
        channel: 'sms',
        to: { phoneNumber: '202-555-0143' },
        text: 'hi',
      });
      expect(h.channels.sms.sent[0]?.envelope.to.address).toBe('+12025550143');
      const user = await h.threadline.users.create({ phoneNumbers: ['(650) 555-1234'] });
      expect(user.phoneNumbers).toEqual(['+16505551234']);
      const identity = await h.threadline.users.link({
        userId: result.userId as string,
        channel: 'whatsapp',
        address: '202 555 0143',
      });
      expect(identity.address).toBe('+12025550143');
    } finally {
      await h.threadline.stop();
    }
  });

  it('matches a host-created "+44 (0)…" user to the same person writing on WhatsApp', async () => {
    const h = await createHarness();
    try {
      const user = await h.threadline.users.create({ phoneNumbers: ['+44 (0)7700 900123'] });
      // WhatsApp's wa_id form: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
      await h.channels.whatsapp.receive({ from: '447700900123', text: 'hello' });
      await h.threadline.idle();
      expect(h.turns[0]?.user.id).toBe(user.id);
    } finally {
      await h.threadline.stop();
    }
  });

  it('refuses a region with no phone numbers, naming the option', () => {
    expect(() =>
      createThreadline({ store: {} as never, adapters: [], defaultRegion: 'UK' as never }),
    ).toThrow(ConfigError);
    try {
      createThreadline({ store: {} as never, adapters: [], defaultRegion: 'UK' as never });
    } catch (error) {
      expect((error as Error).message).toMatch(/defaultRegion/);
    }
  });
});

describe('identities stored by the 0.x regex normaliser', () => {
  it('are still found by the spelling that made them, and nothing new is created', async () => {
    const h = await createHarness();
    try {
      // Rows as the old normaliser wrote them: it kept the trunk 0, and read bare digits as E.164.
      const trunk = await h.store.identities.resolve({
        channel: 'sms',
        address: '+4407700900123',
        kind: 'phone',
      });
      const bare = await h.store.identities.resolve({
        channel: 'sms',
        address: '+2025550143',
        kind: 'phone',
      });

      const first = await h.threadline.channels.send({
        channel: 'sms',
        to: { phoneNumber: '+44 (0)7700 900123' },
        text: 'still you?',
      });
      const second = await h.threadline.channels.send({
        channel: 'sms',
        to: { phoneNumber: '2025550143' },
        text: 'and you?',
      });

      expect(first.userId).toBe(trunk.user.id);
      expect(second.userId).toBe(bare.user.id);
      expect(h.channels.sms.sent.map((sent) => sent.envelope.to.address)).toEqual([
        '+4407700900123',
        '+2025550143',
      ]);
      const identities = await h.store.identities.listByUser(trunk.user.id);
      expect(identities.map((identity) => identity.address)).toEqual(['+4407700900123']);
    } finally {
      await h.threadline.stop();
    }
  });

  it('give way to the current spelling once an identity exists under it', async () => {
    const h = await createHarness();
    try {
      await h.store.identities.resolve({
        channel: 'sms',
        address: '+4407700900123',
        kind: 'phone',
      });
      const current = await h.store.identities.resolve({
        channel: 'sms',
        address: '+447700900123',
        kind: 'phone',
      });
      const result = await h.threadline.channels.send({
        channel: 'sms',
        to: { phoneNumber: '+44 (0)7700 900123' },
        text: 'hi',
      });
      expect(result.userId).toBe(current.user.id);
    } finally {
      await h.threadline.stop();
    }
  });
});

describe('toE164, asked again', () => {
  it('gives the same answer for a number it has seen, under the same options only', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(toE164('16505551234', { international: true })).toBe('+16505551234');
      expect(toE164('16505551234')).toBeNull();
      expect(toE164('202-555-0143', { defaultRegion: 'US' })).toBe('+12025550143');
      expect(toE164('202-555-0143')).toBeNull();
    }
  });

  it('answers inputs longer than a written number without remembering them', () => {
    const long = `+44 7700 900123${' '.repeat(60)}`;
    expect(toE164(long)).toBe('+447700900123');
    expect(toE164(long)).toBe('+447700900123');
  });
});
