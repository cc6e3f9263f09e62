import { z } from 'zod';
import { MediaSchemas } from './validate-media';

// Limits from Meta's interactive message references and the WhatsApp Node SDK docs:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
/** At most three reply buttons. */
export const MAX_REPLY_BUTTONS = 3;
/** A reply-button title is at most 20 characters, and titles must be unique. */
export const BUTTON_TITLE_MAX = 20;
/** A reply-button id is at most 256 characters. */
export const BUTTON_ID_MAX = 256;
/** At most ten sections in a list. */
export const MAX_LIST_SECTIONS = 10;
/** At most ten rows in a list, across all its sections. */
export const MAX_LIST_ROWS = 10;
/** A list row title is at most 24 characters. */
export const LIST_ROW_TITLE_MAX = 24;
/** A list row id is at most 200 characters, and ids must be unique. */
export const LIST_ROW_ID_MAX = 200;
/** A list row description is at most 72 characters. */
export const LIST_ROW_DESCRIPTION_MAX = 72;
/** The button that opens a list: at most 20 characters ([3p]). */
export const LIST_BUTTON_MAX = 20;
/** A section title: at most 24 characters ([3p]); required when there is more than one. */
export const LIST_SECTION_TITLE_MAX = 24;
/** Body text of reply buttons, CTA URLs and Flows: 1024 characters ([3p]). */
export const INTERACTIVE_BODY_MAX = 1024;
/** Body text of a list: 4096 characters ([3p]). */
export const LIST_BODY_MAX = 4096;
/** Header text: 60 characters ([3p]). */
export const HEADER_TEXT_MAX = 60;
/** Footer text: 60 characters ([3p]). */
export const FOOTER_TEXT_MAX = 60;
/** CTA URL button label: 20 characters. */
export const CTA_DISPLAY_TEXT_MAX = 20;
/** Flow button label: 30 characters (unconfirmed; Meta's Flows docs). */
export const FLOW_CTA_MAX = 30;

const textHeader = z.strictObject({
  type: z.literal('text'),
  text: z.string().min(1).max(HEADER_TEXT_MAX),
});
const header = z.discriminatedUnion('type', [
  textHeader,
  z.strictObject({ type: z.literal('image'), image: MediaSchemas.image }),
  z.strictObject({ type: z.literal('video'), video: MediaSchemas.video }),
  z.strictObject({ type: z.literal('document'), document: MediaSchemas.document }),
]);
const body = (max: number) => z.strictObject({ text: z.string().min(1).max(max) });
const footer = z.strictObject({ text: z.string().min(1).max(FOOTER_TEXT_MAX) });

function addDuplicateIssues(values: string[], what: string, context: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value))
      context.addIssue({ code: 'custom', message: `${what} "${value}" is not unique` });
    seen.add(value);
  }
}

const replyButtons = z.strictObject({
  type: z.literal('button'),
  header: header.optional(),
  body: body(INTERACTIVE_BODY_MAX),
  footer: footer.optional(),
  action: z.strictObject({
    buttons: z
      .array(
        z.strictObject({
          type: z.literal('reply'),
          reply: z.strictObject({
            id: z.string().min(1).max(BUTTON_ID_MAX),
            title: z.string().min(1).max(BUTTON_TITLE_MAX),
          }),
        }),
      )
      .min(1)
      .max(MAX_REPLY_BUTTONS)
      .superRefine((buttons, context) => {
        addDuplicateIssues(
          buttons.map((b) => b.reply.title),
          'button title',
          context,
        );
        addDuplicateIssues(
          buttons.map((b) => b.reply.id),
          'button id',
          context,
        );
      }),
  }),
});

const listRow = z.strictObject({
  id: z.string().min(1).max(LIST_ROW_ID_MAX),
  title: z.string().min(1).max(LIST_ROW_TITLE_MAX),
  description: z.string().max(LIST_ROW_DESCRIPTION_MAX).optional(),
});

const list = z.strictObject({
  type: z.literal('list'),
  header: textHeader.optional(),
  body: body(LIST_BODY_MAX),
  footer: footer.optional(),
  action: z.strictObject({
    button: z.string().min(1).max(LIST_BUTTON_MAX),
    sections: z
      .array(
        z.strictObject({
          title: z.string().min(1).max(LIST_SECTION_TITLE_MAX).optional(),
          rows: z.array(listRow).min(1).max(MAX_LIST_ROWS),
        }),
      )
      .min(1)
      .max(MAX_LIST_SECTIONS)
      .superRefine((sections, context) => {
        const rows = sections.flatMap((section) => section.rows);
        if (rows.length > MAX_LIST_ROWS) {
          context.addIssue({
            code: 'custom',
            message: `at most ${MAX_LIST_ROWS} rows in all sections, got ${rows.length}`,
          });
        }
        if (sections.length > 1 && sections.some((section) => section.title === undefined)) {
          context.addIssue({
            code: 'custom',
            message: 'each section needs a title when there is more than one',
          });
        }
        addDuplicateIssues(
          rows.map((row) => row.id),
          'row id',
          context,
        );
      }),
  }),
});

const ctaUrl = z.strictObject({
  type: z.literal('cta_url'),
  header: header.optional(),
  body: body(INTERACTIVE_BODY_MAX),
  footer: footer.optional(),
  action: z.strictObject({
    name: z.literal('cta_url'),
    parameters: z.strictObject({
      display_text: z.string().min(1).max(CTA_DISPLAY_TEXT_MAX),
      url: z.url({ protocol: /^https?$/ }),
    }),
  }),
});

// Flow parameters grow with each Flows release, so unknown keys are kept rather than refused.
const flow = z.strictObject({
  type: z.literal('flow'),
  header: header.optional(),
  body: body(INTERACTIVE_BODY_MAX),
  footer: footer.optional(),
  action: z.strictObject({
    name: z.literal('flow'),
    parameters: z
      .looseObject({
        flow_message_version: z.literal('3'),
        flow_cta: z.string().min(1).max(FLOW_CTA_MAX),
        flow_id: z.string().min(1).optional(),
        flow_name: z.string().min(1).optional(),
        flow_token: z.string().optional(),
        mode: z.enum(['draft', 'published']).optional(),
        flow_action: z.enum(['navigate', 'data_exchange']).optional(),
        flow_action_payload: z
          .looseObject({
            screen: z.string().min(1),
            data: z.record(z.string(), z.unknown()).optional(),
          })
          .optional(),
      })
      .superRefine((parameters, context) => {
        if ((parameters.flow_id === undefined) === (parameters.flow_name === undefined)) {
          context.addIssue({ code: 'custom', message: 'give exactly one of flow_id or flow_name' });
        }
      }),
  }),
});

/** The `interactive` object of a send body: reply buttons, list, CTA URL or Flow. */
export const InteractiveSchema = z.discriminatedUnion('type', [replyButtons, list, ctaUrl, flow]);

/** A validated `interactive` object. */
export type Interactive = z.output<typeof InteractiveSchema>;
