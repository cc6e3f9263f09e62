import type { PolicyErrorContext } from './policy';
import { ThreadlineError } from './threadline-error';

/**
 * A MARKETING template to a US (+1) number, refused because the caller chose
 * `onMarketingToUsNumber: 'fail'`: Meta does not deliver those (error 131049). Nothing was sent;
 * send a UTILITY template instead.
 *
 * @example
 * ```ts
 * try {
 *   await threadline.channels.whatsapp.sendTemplate({ to, template, options: { onMarketingToUsNumber: 'fail' } });
 * } catch (error) {
 *   if (error instanceof MarketingToUsNumberError) await sendUtilityTemplateInstead(to);
 * }
 * ```
 */
export class MarketingToUsNumberError extends ThreadlineError {
  override name = 'MarketingToUsNumberError';
  readonly channel: string;
  readonly address: string | undefined;
  readonly template: string;

  constructor(context: PolicyErrorContext & { template: string }) {
    super(
      `Template ${context.template} is MARKETING and Meta does not deliver marketing templates to US (+1) numbers${context.address ? ` such as ${context.address}` : ''}; nothing was sent`,
      { code: 'marketing_to_us_number', category: 'template', cause: context.cause },
    );
    this.channel = context.channel;
    this.address = context.address;
    this.template = context.template;
  }
}
