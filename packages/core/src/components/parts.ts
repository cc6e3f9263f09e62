import { z } from 'zod';

/**
 * The typed parts a message's text parses into. A message is plain text with optional `:::`
 * component blocks; each block becomes one part, and the text around blocks becomes `text` parts.
 * Adapters render the parts their capabilities claim natively and fall back to text for the rest.
 */

/** The component kinds, in the order DESIGN §4 lists them. */
export const COMPONENT_KINDS = [
  'list-item',
  'horizontal-list-item',
  'actions',
  'links',
  'images',
  'documents',
  'payment',
  'flow',
  'navigate',
] as const;

/** One of {@link COMPONENT_KINDS}. */
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** Plain text between component blocks (markdown-ish, as the agent wrote it). */
export const TextPartSchema = z.object({ type: z.literal('text'), text: z.string() });

/** A card: `![image](url)`, `#Title`, `##Subtitle`, then a summary. */
export const CardSchema = z.object({
  title: z.string().min(1),
  subtitle: z.string().optional(),
  summary: z.string().optional(),
  imageUrl: z.string().optional(),
});

/** Consecutive `::: list-item` blocks: a vertical list of cards. */
export const ListItemPartSchema = z.object({
  type: z.literal('list-item'),
  items: z.array(CardSchema).min(1),
});

/** Consecutive `::: horizontal-list-item` blocks: a carousel of cards. */
export const HorizontalListItemPartSchema = z.object({
  type: z.literal('horizontal-list-item'),
  items: z.array(CardSchema).min(1),
});

/** `::: actions` with `- Label` lines: buttons that send their label back. */
export const ActionsPartSchema = z.object({
  type: z.literal('actions'),
  actions: z.array(z.object({ label: z.string().min(1) })).min(1),
});

/** `::: links` with `![link](url)` or `[Title](url)` lines. */
export const LinksPartSchema = z.object({
  type: z.literal('links'),
  links: z.array(z.object({ url: z.string().min(1), title: z.string().optional() })).min(1),
});

/** `::: images` with `![alt](url)` lines: a gallery. */
export const ImagesPartSchema = z.object({
  type: z.literal('images'),
  images: z.array(z.object({ url: z.string().min(1), alt: z.string().optional() })).min(1),
});

/** `::: documents` with `[file name](url)` lines: file downloads. */
export const DocumentsPartSchema = z.object({
  type: z.literal('documents'),
  documents: z.array(z.object({ url: z.string().min(1), name: z.string().optional() })).min(1),
});

/** `::: payment` with one `[text](url)` line: a checkout link. */
export const PaymentPartSchema = z.object({
  type: z.literal('payment'),
  text: z.string().min(1),
  url: z.string().min(1),
});

/** `::: flow` with `key=value` lines: a WhatsApp Flow (`flow_id` and `flow_cta` required). */
export const FlowPartSchema = z.object({
  type: z.literal('flow'),
  flowId: z.string().min(1),
  cta: z.string().min(1),
  body: z.string().optional(),
  header: z.string().optional(),
  footer: z.string().optional(),
  screen: z.string().optional(),
  /** Every other `key=value` line, kept as written. */
  extra: z.record(z.string(), z.string()).optional(),
});

/** `::: navigate` with `![navigate](/path?k=v)`: tells a web widget to navigate; never shown. */
export const NavigatePartSchema = z.object({
  type: z.literal('navigate'),
  path: z.string().min(1),
  query: z.record(z.string(), z.string()),
});

/** Any part of a parsed message. */
export const MessagePartSchema = z.discriminatedUnion('type', [
  TextPartSchema,
  ListItemPartSchema,
  HorizontalListItemPartSchema,
  ActionsPartSchema,
  LinksPartSchema,
  ImagesPartSchema,
  DocumentsPartSchema,
  PaymentPartSchema,
  FlowPartSchema,
  NavigatePartSchema,
]);

export type TextPart = z.infer<typeof TextPartSchema>;
export type Card = z.infer<typeof CardSchema>;
export type ListItemPart = z.infer<typeof ListItemPartSchema>;
export type HorizontalListItemPart = z.infer<typeof HorizontalListItemPartSchema>;
export type ActionsPart = z.infer<typeof ActionsPartSchema>;
export type LinksPart = z.infer<typeof LinksPartSchema>;
export type ImagesPart = z.infer<typeof ImagesPartSchema>;
export type DocumentsPart = z.infer<typeof DocumentsPartSchema>;
export type PaymentPart = z.infer<typeof PaymentPartSchema>;
export type FlowPart = z.infer<typeof FlowPartSchema>;
export type NavigatePart = z.infer<typeof NavigatePartSchema>;
/** Any part of a parsed message: `text` or one component kind. */
export type MessagePart = z.infer<typeof MessagePartSchema>;
/** A part that is a component (everything but `text`). */
export type ComponentPart = Exclude<MessagePart, TextPart>;
