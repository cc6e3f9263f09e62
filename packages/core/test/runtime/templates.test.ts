import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness';

describe('bulk template sends', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('validates, deduplicates and reports every number by itself', async () => {
    h = await createHarness();
    await h.threadline.store.consent.record({
      channel: 'whatsapp',
      address: '+447700900003',
      status: 'opted-out',
      at: new Date(h.clock.now()),
    });
    const progress: number[] = [];

    const summary = await h.threadline.templates.whatsapp.send({
      from: 'wa',
      template: { name: 'spring_sale', values: { body: { first_name: 'Ann' } } },
      phoneNumbers: [
        '+447700900001',
        '+44 (0)7700 900001',
        '+447700900002',
        'not a number',
        '+447700900003',
      ],
      onProgress: ({ processed }) => progress.push(processed),
    });

    expect(summary.results.map((result) => result.phoneNumber)).toEqual([
      '+447700900001',
      '+447700900002',
    ]);
    expect(summary.errors.map((error) => [error.phoneNumber, error.code])).toEqual([
      ['not a number', 'invalid_phone_number'],
      ['+447700900003', 'opted_out'],
    ]);
    expect(summary).toMatchObject({ totalProcessed: 4, totalErrors: 2, duplicates: 1 });
    expect(progress.at(-1)).toBe(4);
    expect(h.channels.whatsapp.sent.map((sent) => sent.envelope.template)).toEqual([
      { name: 'spring_sale', languageCode: 'en_US', values: { body: { first_name: 'Ann' } } },
      { name: 'spring_sale', languageCode: 'en_US', values: { body: { first_name: 'Ann' } } },
    ]);
  });

  it('records provider failures against the number that failed', async () => {
    h = await createHarness();
    h.channels.whatsapp.failNextWith('template', { times: 1 });

    const summary = await h.threadline.templates.whatsapp.send({
      from: 'wa',
      template: { name: 'missing_template' },
      phoneNumbers: ['+447700900001', '+447700900002'],
      concurrency: 1,
    });

    expect(summary.results.map((result) => result.phoneNumber)).toEqual(['+447700900002']);
    expect(summary.errors).toEqual([
      expect.objectContaining({
        phoneNumber: '+447700900001',
        category: 'template',
        deliveryId: expect.any(String),
      }),
    ]);
  });

  it('records the template to each thread when given a messageContext', async () => {
    h = await createHarness();
    const summary = await h.threadline.templates.whatsapp.send({
      from: 'wa',
      template: { name: 'order_ready' },
      phoneNumbers: ['+447700900001'],
      messageContext: 'Told them the order is ready',
    });
    const delivery = await h.threadline.deliveries.get(summary.results[0]?.deliveryId as string);
    const thread = await h.threadline.users.get(delivery?.userId as string).thread();
    expect(thread.map((entry) => entry.text)).toEqual(['Told them the order is ready']);
  });

  it('rejects an unknown sender or a channel without templates', async () => {
    h = await createHarness();
    await expect(
      h.threadline.templates.whatsapp.send({
        from: 'nope',
        template: { name: 't' },
        phoneNumbers: ['+447700900001'],
      }),
    ).rejects.toThrow(/from: no whatsapp adapter with id "nope"/);
    await expect(
      h.threadline.templates
        .forChannel('sms')
        .send({ from: 'sms', template: { name: 't' }, phoneNumbers: ['+447700900001'] }),
    ).rejects.toThrow(/adapter sms has no templates/);
  });
});
