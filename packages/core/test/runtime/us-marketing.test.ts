import { afterEach, describe, expect, it } from 'vitest';
import { MarketingToUsNumberError } from '../../src/index';
import { createHarness, type Harness } from './harness';

const UK = '+447700900123';
const US = '+14155550123';
const promo = { name: 'spring_sale', languageCode: 'en_US', category: 'MARKETING' } as const;

/**
 * Meta does not deliver marketing templates to US (+1) numbers (error 131049), on every path.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/marketing-messages/
 */
describe('MARKETING templates to +1 numbers', () => {
  let h: Harness;
  afterEach(async () => {
    await h.threadline.stop();
  });

  it('warns on whatsapp.sendTemplate to a +1 number, and not to others or for UTILITY', async () => {
    h = await createHarness();
    const us = await h.threadline.channels.whatsapp.sendTemplate({
      to: { phoneNumber: US },
      template: promo,
    });
    const uk = await h.threadline.channels.whatsapp.sendTemplate({
      to: { phoneNumber: UK },
      template: promo,
    });
    const utility = await h.threadline.channels.whatsapp.sendTemplate({
      to: { phoneNumber: US },
      template: { ...promo, category: 'UTILITY' },
    });

    expect(us.outcome).toBe('sent');
    expect(us.warnings.map((warning) => warning.code)).toEqual(['marketing_to_us_number']);
    expect(uk.warnings).toEqual([]);
    expect(utility.warnings).toEqual([]);
  });

  it("refuses with onMarketingToUsNumber: 'fail' before anything is sent", async () => {
    h = await createHarness();
    await expect(
      h.threadline.channels.whatsapp.sendTemplate({
        to: { phoneNumber: US },
        template: promo,
        options: { onMarketingToUsNumber: 'fail' },
      }),
    ).rejects.toBeInstanceOf(MarketingToUsNumberError);
    expect(h.channels.whatsapp.sent).toHaveLength(0);
  });

  it('warns per recipient of a bulk send, or refuses those recipients with fail', async () => {
    h = await createHarness();
    const warned = await h.threadline.templates.whatsapp.send({
      template: promo,
      phoneNumbers: [UK, US],
      concurrency: 1,
    });
    expect(
      warned.results.map((result) => [
        result.phoneNumber,
        result.warnings?.map((warning) => warning.code),
      ]),
    ).toEqual([
      [UK, undefined],
      [US, ['marketing_to_us_number']],
    ]);

    const refused = await h.threadline.templates.whatsapp.send({
      template: promo,
      phoneNumbers: [UK, US],
      onMarketingToUsNumber: 'fail',
    });
    expect(refused.results.map((result) => result.phoneNumber)).toEqual([UK]);
    expect(refused.errors).toEqual([
      expect.objectContaining({ phoneNumber: US, code: 'marketing_to_us_number' }),
    ]);
    expect(h.channels.whatsapp.sent).toHaveLength(3);
  });
});
