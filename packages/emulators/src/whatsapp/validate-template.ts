import { z } from 'zod';
import { MediaSchemas } from './validate-media';

// Shapes from the WhatsApp Node SDK docs and Meta's template message reference:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-messages
/** Template names are lowercase letters, digits and underscores, at most 512 characters. */
export const TEMPLATE_NAME_MAX = 512;

const named = { parameter_name: z.string().min(1).optional() };

const parameter = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string().min(1), ...named }),
  z.strictObject({
    type: z.literal('currency'),
    currency: z.strictObject({
      fallback_value: z.string().min(1),
      code: z.string().length(3),
      amount_1000: z.number().int(),
    }),
    ...named,
  }),
  z.strictObject({
    type: z.literal('date_time'),
    date_time: z.looseObject({ fallback_value: z.string().min(1) }),
    ...named,
  }),
  z.strictObject({ type: z.literal('image'), image: MediaSchemas.image }),
  z.strictObject({ type: z.literal('video'), video: MediaSchemas.video }),
  z.strictObject({ type: z.literal('document'), document: MediaSchemas.document }),
  z.strictObject({
    type: z.literal('location'),
    location: z.strictObject({
      latitude: z.union([z.number(), z.string()]),
      longitude: z.union([z.number(), z.string()]),
      name: z.string().optional(),
      address: z.string().optional(),
    }),
  }),
  z.strictObject({ type: z.literal('payload'), payload: z.string().min(1) }),
  z.strictObject({ type: z.literal('coupon_code'), coupon_code: z.string().min(1) }),
  z.strictObject({ type: z.literal('action'), action: z.looseObject({}) }),
]);

/** One template parameter as sent (text, currency, date_time, media, location, payload…). */
export type TemplateParameter = z.output<typeof parameter>;

const component = z.discriminatedUnion('type', [
  z.strictObject({ type: z.enum(['header', 'HEADER']), parameters: z.array(parameter) }),
  z.strictObject({ type: z.enum(['body', 'BODY']), parameters: z.array(parameter) }),
  z.strictObject({
    type: z.enum(['button', 'BUTTON']),
    sub_type: z.enum(['quick_reply', 'url', 'copy_code', 'flow', 'catalog', 'mpm', 'voice_call']),
    // Meta documents `index` as a string ("0"); SDKs also send numbers, which Graph accepts.
    index: z.union([z.string().regex(/^\d+$/), z.number().int().min(0)]),
    parameters: z.array(parameter).optional(),
  }),
]);

/** The `template` object of a send body. */
export const TemplateSchema = z.strictObject({
  name: z.string().min(1).max(TEMPLATE_NAME_MAX),
  language: z.strictObject({
    code: z.string().min(2),
    policy: z.literal('deterministic').optional(),
  }),
  components: z.array(component).optional(),
});

/** A validated `template` object. */
export type Template = z.output<typeof TemplateSchema>;

/** A template component as sent. */
export type TemplateComponent = z.output<typeof component>;
