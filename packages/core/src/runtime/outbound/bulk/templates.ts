import { z } from 'zod';
import type { ChannelAdapter } from '../../../adapter/contract';
import { parseInput, ValidationError } from '../../../errors/validation';
import type { TemplateValues } from '../../../message/outbound';
import type { RuntimeContext } from '../../context';
import type { Dispatcher } from '../../outbox/dispatcher';
import { planRecipients } from './recipients';
import { runBulk } from './run';
import type { BulkProgress, BulkSummary } from './types';

/**
 * The most numbers one bulk call takes. Past it, split the campaign: one call holds every result
 * in memory until it returns.
 */
export const BULK_MAX_RECIPIENTS = 100_000;

const ValuesSchema = z
  .object({
    header: z.record(z.string(), z.string()).optional(),
    body: z.record(z.string(), z.string()).optional(),
    buttons: z
      .array(
        z
          .object({
            subType: z.enum(['quick_reply', 'url', 'copy_code', 'phone_number']),
            index: z.number().int().min(0).max(9),
            text: z.string().optional(),
            payload: z.string().optional(),
            couponCode: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const BulkInputSchema = z
  .object({
    phoneNumbers: z.array(z.string()).min(1).max(BULK_MAX_RECIPIENTS),
    values: ValuesSchema.optional(),
    languageCode: z.string().min(1).default('en_US'),
    category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']).optional(),
    /** Records the template to each recipient's thread as this text (resolving each user). */
    messageContext: z.string().min(1).optional(),
    /** Sends in flight at once; defaults to enough to reach the sender's rate. */
    concurrency: z.number().int().min(1).max(1_000).optional(),
    onProgress: z
      .custom<(progress: BulkProgress) => void>((value) => typeof value === 'function')
      .optional(),
  })
  .strict();

/** Options of a bulk template send. */
export type BulkTemplateInput = z.input<typeof BulkInputSchema>;

/** Bulk template sends to many phone numbers. */
export interface BulkTemplateSender {
  /**
   * Sends one template to up to 100,000 numbers through the adapter `channelId`, paced to its rate
   * (`capabilities.rate.perSecond`). Numbers are validated (E.164) and deduplicated; every
   * number gets a result or an error, keyed by the number.
   *
   * @example
   * ```ts
   * const summary = await threadline.templates.whatsapp.send('wa-main', 'spring_sale', {
   *   phoneNumbers: ['+447700900123', '+447700900456'],
   *   values: { body: { first_name: 'Ann' } },
   *   onProgress: ({ processed, total }) => console.log(`${processed}/${total}`),
   * });
   * ```
   */
  send(channelId: string, template: string, input: BulkTemplateInput): Promise<BulkSummary>;
}

/** `threadline.templates`: bulk template sends per templated channel. */
export interface TemplatesApi {
  whatsapp: BulkTemplateSender;
  /** The same for any channel whose adapters have templates. */
  forChannel(channel: string): BulkTemplateSender;
}

function senderFor(ctx: RuntimeContext, channel: string, channelId: string): ChannelAdapter {
  const adapter = ctx.adapters.get(channelId);
  if (!adapter || adapter.channel !== channel) {
    throw new ValidationError('bulk template send', [
      { path: 'channelId', message: `no ${channel} adapter with id ${JSON.stringify(channelId)}` },
    ]);
  }
  if (!adapter.capabilities.templates.supported) {
    throw new ValidationError('bulk template send', [
      { path: 'channelId', message: `adapter ${channelId} has no templates` },
    ]);
  }
  return adapter;
}

export function createBulkTemplates(ctx: RuntimeContext, dispatcher: Dispatcher): TemplatesApi {
  const forChannel = (channel: string): BulkTemplateSender => ({
    async send(channelId, templateName, raw) {
      const adapter = senderFor(ctx, channel, channelId);
      if (typeof templateName !== 'string' || templateName === '') {
        throw new ValidationError('bulk template send', [
          { path: 'template', message: 'give the template name' },
        ]);
      }
      const input = parseInput(BulkInputSchema, raw, 'bulk template send');
      const plan = planRecipients(input.phoneNumbers, ctx.options);
      const template = {
        name: templateName,
        languageCode: input.languageCode,
        ...(input.values === undefined ? {} : { values: input.values as TemplateValues }),
        ...(input.category === undefined ? {} : { category: input.category }),
      };
      return runBulk(ctx, dispatcher, {
        adapter,
        template,
        plan,
        ...(input.messageContext === undefined ? {} : { messageContext: input.messageContext }),
        concurrency:
          input.concurrency ?? Math.max(4, Math.ceil(adapter.capabilities.rate.perSecond / 4)),
        ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }),
      });
    },
  });
  return { whatsapp: forChannel('whatsapp'), forChannel };
}
