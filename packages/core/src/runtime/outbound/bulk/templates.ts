import { z } from 'zod';
import type { ChannelAdapter } from '../../../adapter/contract';
import { parseInput, ValidationError } from '../../../errors/validation';
import type { TemplateMessage } from '../../../message/outbound';
import type { RuntimeContext } from '../../context';
import type { Dispatcher } from '../../outbox/dispatcher';
import { DEPRECATED_POSITIONAL_BULK, DeprecationLog } from '../legacy';
import {
  SenderSchema,
  TEMPLATE_CATEGORIES,
  TemplateInputSchema,
  TemplateValuesSchema,
} from '../schemas';
import { runBulk } from './run';
import { recipientSource } from './source';
import type { BulkOutcome, BulkProgress, BulkSummary } from './types';

/**
 * The most numbers one bulk call takes as an array: an array is held whole, and without
 * `onResult` so is every result until the call returns. Past it, give an iterable and `onResult`
 * (read and reported as the send goes, so no limit), or split the campaign.
 */
export const BULK_MAX_RECIPIENTS = 100_000;

/**
 * Longest campaign key. It becomes part of every number's idempotency key; 200 characters leave
 * room for the sender id and the number in any store's key column.
 */
export const CAMPAIGN_KEY_MAX_LENGTH = 200;

/** A (non-array, non-string) iterable or async iterable of numbers, read lazily. */
function isStreamOfNumbers(value: unknown): value is Iterable<string> | AsyncIterable<string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Symbol.iterator in value || Symbol.asyncIterator in value;
}

/**
 * An array as before (validated whole, at most {@link BULK_MAX_RECIPIENTS}), or an iterable read
 * as the send goes: its numbers are validated one by one and its length is not limited, since
 * nothing holds it whole (give `onResult` too, or the summary holds every outcome).
 */
const phoneNumbersSchema = z.union([
  z.array(z.string()).min(1).max(BULK_MAX_RECIPIENTS),
  z.custom<Iterable<string> | AsyncIterable<string>>(isStreamOfNumbers, {
    message: 'expected an array, an iterable or an async iterable of phone numbers',
  }),
]);

const resultSchema = z
  .custom<(outcome: BulkOutcome) => void | Promise<void>>((value) => typeof value === 'function')
  .optional();

const progressSchema = z
  .custom<(progress: BulkProgress) => void>((value) => typeof value === 'function')
  .optional();

const bulkShape = {
  phoneNumbers: phoneNumbersSchema,
  /**
   * Makes the send idempotent per number: each number's delivery gets the key
   * `bulk:<sender id>:<campaignKey>:<normalised number>`, so calling again with the same key (after
   * a crash, a timeout, a deploy) sends only to the numbers not yet sent to and reports the others
   * with `alreadySent: true` and their earlier delivery.
   */
  campaignKey: z.string().min(1).max(CAMPAIGN_KEY_MAX_LENGTH).optional(),
  /** Records the template to each recipient's thread as this text (resolving each user). */
  messageContext: z.string().min(1).optional(),
  /** Sends in flight at once; defaults to enough to reach the sender's rate. */
  concurrency: z.number().int().min(1).max(1_000).optional(),
  onProgress: progressSchema,
  /**
   * Called with each number's outcome as it happens (awaited when it returns a promise, which
   * slows the send to the callback's pace). The returned summary then holds counts only, so a
   * 100,000-number send keeps no per-number results in memory.
   */
  onResult: resultSchema,
  /**
   * Recipients with a US (+1) number when the template is MARKETING (Meta does not deliver those):
   * `warn` (default) sends with a per-recipient `marketing_to_us_number` warning; `fail` puts the
   * number in `errors` with that code and sends nothing to it.
   */
  onMarketingToUsNumber: z.enum(['warn', 'fail']).optional(),
};

const BulkInputSchema = z
  .object({
    /** The sending adapter's id; defaults to the channel's first adapter. */
    from: SenderSchema.optional(),
    template: TemplateInputSchema,
    ...bulkShape,
  })
  .strict();

/** The 0.x options object (after the positional sender and template name). */
const LegacyBulkOptionsSchema = z
  .object({
    values: TemplateValuesSchema.optional(),
    languageCode: z.string().min(1).optional(),
    category: z.enum(TEMPLATE_CATEGORIES).optional(),
    ...bulkShape,
  })
  .strict();

/** Input of a bulk template send. */
export type BulkTemplateInput = z.input<typeof BulkInputSchema>;

/**
 * The 0.x options of `send(channelId, templateName, options)`.
 * @deprecated Use {@link BulkTemplateInput}. Removed in the next minor.
 */
export type LegacyBulkTemplateOptions = z.input<typeof LegacyBulkOptionsSchema>;

/** Bulk template sends to many phone numbers. */
export interface BulkTemplateSender {
  /**
   * Sends one template to many numbers from the sender `from` (default: the channel's first
   * adapter), paced to its rate (`capabilities.rate.perSecond`): no 1-s window carries more.
   * Numbers are validated and deduplicated; every number gets a result or an error, keyed by the
   * number. `phoneNumbers` is an array (at most 100,000) or an (async) iterable read as the send
   * goes; with `onResult` each outcome goes to it as it happens and the summary holds counts only.
   * With `campaignKey`, calling again sends only to the numbers not yet sent to.
   *
   * @example
   * ```ts
   * const summary = await threadline.templates.whatsapp.send({
   *   from: 'whatsapp-106540352242922',
   *   template: { name: 'spring_sale', languageCode: 'en_US', values: { body: { first_name: 'Ann' } } },
   *   phoneNumbers: ['+447700900123', '+447700900456'],
   *   onProgress: ({ processed, total }) => console.log(`${processed}/${total}`),
   * });
   *
   * // 100,000 numbers streamed from a file, outcomes written as they come, safe to re-run:
   * const { succeeded, totalErrors } = await threadline.templates.whatsapp.send({
   *   from: 'whatsapp-106540352242922',
   *   template: { name: 'spring_sale', languageCode: 'en_US' },
   *   phoneNumbers: readline.createInterface({ input: fs.createReadStream('numbers.txt') }),
   *   campaignKey: 'spring-sale-2026',
   *   onResult: (outcome) => log.write(`${JSON.stringify(outcome)}\n`),
   * });
   * ```
   */
  send(input: BulkTemplateInput): Promise<BulkSummary>;
  /** @deprecated Use `send({ from, template: { name, languageCode, values }, phoneNumbers })`. */
  send(channelId: string, template: string, input: LegacyBulkTemplateOptions): Promise<BulkSummary>;
}

/** `threadline.templates`: bulk template sends per templated channel. */
export interface TemplatesApi {
  whatsapp: BulkTemplateSender;
  /** The same for any channel whose adapters have templates. */
  forChannel(channel: string): BulkTemplateSender;
}

function senderFor(ctx: RuntimeContext, channel: string, from: string | undefined): ChannelAdapter {
  const adapter = from === undefined ? ctx.adapters.forChannel(channel)[0] : ctx.adapters.get(from);
  if (!adapter || adapter.channel !== channel) {
    throw new ValidationError('bulk template send', [
      {
        path: 'from',
        message:
          from === undefined
            ? `no ${channel} adapter is configured`
            : `no ${channel} adapter with id ${JSON.stringify(from)}`,
      },
    ]);
  }
  if (!adapter.capabilities.templates.supported) {
    throw new ValidationError('bulk template send', [
      { path: 'from', message: `adapter ${adapter.id} has no templates` },
    ]);
  }
  return adapter;
}

/** The 0.x positional call, rewritten to the one input shape. */
function fromLegacy(channelId: unknown, templateName: unknown, raw: unknown): BulkTemplateInput {
  if (typeof channelId !== 'string' || channelId === '') {
    throw new ValidationError('bulk template send', [
      { path: 'from', message: 'give the sender (an adapter id)' },
    ]);
  }
  if (typeof templateName !== 'string' || templateName === '') {
    throw new ValidationError('bulk template send', [
      { path: 'template', message: 'give the template name' },
    ]);
  }
  const { values, languageCode, category, ...rest } = parseInput(
    LegacyBulkOptionsSchema,
    raw,
    'bulk template send',
  );
  return {
    ...rest,
    from: channelId,
    template: {
      name: templateName,
      ...(languageCode === undefined ? {} : { languageCode }),
      ...(category === undefined ? {} : { category }),
      ...(values === undefined ? {} : { values }),
    },
  };
}

export function createBulkTemplates(ctx: RuntimeContext, dispatcher: Dispatcher): TemplatesApi {
  const forChannel = (channel: string): BulkTemplateSender => ({
    async send(first: BulkTemplateInput | string, templateName?: string, legacy?: unknown) {
      const log = new DeprecationLog(ctx);
      let raw: unknown = first;
      if (typeof first === 'string') {
        log.use(DEPRECATED_POSITIONAL_BULK);
        raw = fromLegacy(first, templateName, legacy);
      }
      const input = parseInput(BulkInputSchema, raw, 'bulk template send');
      const adapter = senderFor(ctx, channel, input.from);
      const { template: given } = input;
      const template: TemplateMessage = {
        name: given.name,
        languageCode: given.languageCode,
        ...(given.values === undefined ? {} : { values: given.values }),
        ...(given.components === undefined ? {} : { components: given.components as never }),
        ...(given.category === undefined ? {} : { category: given.category }),
      };
      const summary = await runBulk(ctx, dispatcher, {
        adapter,
        template,
        source: recipientSource(input.phoneNumbers, ctx.options),
        ...(input.messageContext === undefined ? {} : { messageContext: input.messageContext }),
        ...(input.campaignKey === undefined ? {} : { campaignKey: input.campaignKey }),
        concurrency:
          input.concurrency ?? Math.max(4, Math.ceil(adapter.capabilities.rate.perSecond / 4)),
        ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }),
        ...(input.onResult === undefined ? {} : { onResult: input.onResult }),
        onMarketingToUsNumber: input.onMarketingToUsNumber ?? 'warn',
      });
      const warnings = log.warnings();
      return warnings.length === 0 ? summary : { ...summary, warnings };
    },
  });
  return { whatsapp: forChannel('whatsapp'), forChannel };
}
