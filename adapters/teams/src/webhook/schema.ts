import { z } from 'zod';

/**
 * The parts of a Bot Framework activity the adapter reads, as zod schemas. Unknown fields pass
 * through (Teams adds fields over time); only what parsing relies on is required.
 * Source: https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object
 */

export const ChannelAccountSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
});

export const AttachmentSchema = z.looseObject({
  contentType: z.string(),
  contentUrl: z.string().optional(),
  name: z.string().optional(),
  content: z.unknown().optional(),
});

/** `value` of an `adaptiveCard/action` invoke (Action.Execute). */
export const ExecuteValueSchema = z.looseObject({
  action: z.looseObject({
    type: z.literal('Action.Execute'),
    title: z.string().optional(),
    verb: z.string().optional(),
    data: z.unknown().optional(),
  }),
});

export const ActivitySchema = z.looseObject({
  type: z.string().min(1),
  id: z.string().optional(),
  timestamp: z.string().optional(),
  serviceUrl: z.string().min(1),
  channelId: z.string().min(1),
  from: ChannelAccountSchema,
  conversation: z.looseObject({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
  }),
  recipient: ChannelAccountSchema,
  text: z.string().optional(),
  name: z.string().optional(),
  action: z.string().optional(),
  value: z.unknown().optional(),
  replyToId: z.string().optional(),
  attachments: z.array(AttachmentSchema).optional(),
  membersAdded: z.array(ChannelAccountSchema).optional(),
  membersRemoved: z.array(ChannelAccountSchema).optional(),
  reactionsAdded: z.array(z.looseObject({ type: z.string() })).optional(),
  reactionsRemoved: z.array(z.looseObject({ type: z.string() })).optional(),
  channelData: z.looseObject({}).optional(),
});

/** A parsed activity. */
export type TeamsActivity = z.infer<typeof ActivitySchema>;
