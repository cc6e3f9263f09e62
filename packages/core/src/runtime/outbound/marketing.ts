import { MarketingToUsNumberError } from '../../errors/marketing';
import type { TemplateMessage } from '../../message/outbound';
import type { SendWarning } from './result';

/**
 * Meta does not deliver marketing templates to US numbers (+1) since 1 April 2025 (error 131049);
 * a utility template still goes through. The rule applies on every template path: a single
 * `sendTemplate`, each recipient of a bulk send, and the re-engagement template.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/marketing-messages/
 */
export const US_MARKETING_PAUSE_PREFIX = '+1';

/** What a send does with a MARKETING template to a +1 number: warn and send (default), or refuse. */
export type MarketingToUsNumberBehaviour = 'warn' | 'fail';

/** Whether the rule applies: a MARKETING template to a +1 number. */
export function isMarketingToUsNumber(template: TemplateMessage, address: string): boolean {
  return template.category === 'MARKETING' && address.startsWith(US_MARKETING_PAUSE_PREFIX);
}

/**
 * Applies the rule to one recipient: no warning, a `marketing_to_us_number` warning, or (with
 * `fail`) a `MarketingToUsNumberError` thrown before anything is written or sent.
 */
export function checkUsMarketing(input: {
  template: TemplateMessage;
  address: string;
  channel: string;
  behaviour: MarketingToUsNumberBehaviour | undefined;
  what?: string;
}): SendWarning[] {
  const { template, address, channel } = input;
  if (!isMarketingToUsNumber(template, address)) return [];
  if (input.behaviour === 'fail') {
    throw new MarketingToUsNumberError({ channel, address, template: template.name });
  }
  return [
    {
      code: 'marketing_to_us_number',
      message: `${input.what ?? 'template'} ${template.name} is MARKETING and Meta may not deliver it to US (+1) numbers such as ${address}; use a UTILITY template`,
    },
  ];
}
