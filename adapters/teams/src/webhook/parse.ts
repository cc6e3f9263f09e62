import type { InboundEvent, JsonObject, JsonValue, Media, Sender } from '@threadline/core';
import { ActivitySchema, ExecuteValueSchema, type TeamsActivity } from './schema';

/**
 * One activity → the normalised events it means. Pure apart from the two seam helpers it is
 * given (the conversation reference and the mention-stripped text), so the SDK stays behind
 * `bot-framework.ts`.
 */

/** What parsing needs besides the activity. */
export interface ParseContext {
  adapterId: string;
  /** The time for activities without a timestamp (`invoke`s carry none). */
  now(): number;
  referenceOf(activity: JsonObject): JsonObject;
  textWithoutBotMention(activity: JsonObject): string;
}

/** The events of one activity, or why it could not be read. */
export type ParseResult =
  | { ok: true; activity: TeamsActivity; events: InboundEvent[] }
  | { ok: false; reason: string };

/** Adaptive Card attachments are cards the user forwarded, not files. */
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** Teams' own rendering of the message's HTML; the text is already in `text`. */
const TEXT_HTML = 'text/html';

/**
 * Teams' reaction types and the emoji they show.
 * Source: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#message-reaction-events
 */
export const REACTION_EMOJI: Readonly<Record<string, string>> = {
  like: '👍',
  heart: '❤️',
  laugh: '😆',
  surprised: '😮',
  sad: '😢',
  angry: '😠',
};

function sender(activity: TeamsActivity): Sender {
  return {
    address: activity.from.id,
    ...(activity.from.name ? { displayName: activity.from.name } : {}),
  };
}

function timestampOf(activity: TeamsActivity, context: ParseContext): Date {
  const parsed = activity.timestamp ? Date.parse(activity.timestamp) : Number.NaN;
  return new Date(Number.isNaN(parsed) ? context.now() : parsed);
}

function mediaOf(activity: TeamsActivity): Media[] {
  const media: Media[] = [];
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === ADAPTIVE_CARD || attachment.contentType === TEXT_HTML) continue;
    const download = (attachment.content as { downloadUrl?: unknown } | undefined)?.downloadUrl;
    const url = typeof download === 'string' ? download : attachment.contentUrl;
    if (url === undefined) continue;
    const kind = attachment.contentType.startsWith('image/') ? 'image' : 'document';
    media.push({
      kind,
      url,
      ...(attachment.contentType.includes('/') ? { mimeType: attachment.contentType } : {}),
      ...(attachment.name ? { filename: attachment.name } : {}),
    });
  }
  return media;
}

/** The label and payload a card button carried (our cards put them in `data.threadline`). */
function submitted(data: unknown): { text: string; payload: string } {
  const ours = (data as { threadline?: { label?: unknown; payload?: unknown } } | null)?.threadline;
  if (typeof ours?.label === 'string') {
    return {
      text: ours.label,
      payload: typeof ours.payload === 'string' ? ours.payload : ours.label,
    };
  }
  return { text: '', payload: JSON.stringify(data ?? null) };
}

function metadataOf(activity: TeamsActivity): JsonObject {
  return JSON.parse(
    JSON.stringify({
      conversationId: activity.conversation.id,
      conversationType: activity.conversation.conversationType,
      tenantId: activity.conversation.tenantId,
      aadObjectId: activity.from.aadObjectId,
    }),
  ) as JsonObject;
}

function messageEvents(activity: TeamsActivity, raw: JsonObject, context: ParseContext) {
  const media = mediaOf(activity);
  const isChannel = activity.conversation.conversationType === 'channel';
  const hasText = (activity.text ?? '').trim() !== '';
  const text = hasText
    ? isChannel || raw.entities !== undefined
      ? context.textWithoutBotMention(raw)
      : (activity.text ?? '').trim()
    : '';
  // Action.Submit arrives as a message with no text and the button's data in `value`.
  const submit = !hasText && activity.value !== undefined ? submitted(activity.value) : undefined;
  return {
    type: 'message' as const,
    message: {
      providerMessageId:
        activity.id ?? `${activity.conversation.id}:${timestampOf(activity, context).getTime()}`,
      from: sender(activity),
      timestamp: timestampOf(activity, context),
      text: submit?.text ?? text,
      ...(submit ? { payload: submit.payload } : {}),
      ...(media.length > 0 ? { media } : {}),
      ...(activity.replyToId ? { replyTo: activity.replyToId } : {}),
      metadata: metadataOf(activity),
    },
  };
}

function installAction(
  activity: TeamsActivity,
): 'installed' | 'uninstalled' | 'member-added' | 'member-removed' | 'other' {
  const bot = activity.recipient.id;
  if (activity.type === 'installationUpdate') {
    if (activity.action?.startsWith('add')) return 'installed';
    if (activity.action?.startsWith('remove')) return 'uninstalled';
    return 'other';
  }
  if (activity.membersAdded?.some((member) => member.id === bot)) return 'installed';
  if (activity.membersRemoved?.some((member) => member.id === bot)) return 'uninstalled';
  if ((activity.membersAdded?.length ?? 0) > 0) return 'member-added';
  if ((activity.membersRemoved?.length ?? 0) > 0) return 'member-removed';
  return 'other';
}

function conversationEvents(
  activity: TeamsActivity,
  raw: JsonObject,
  context: ParseContext,
): InboundEvent[] {
  const action = installAction(activity);
  // Install stores the reference (the user becomes warm); uninstall withdraws it with `null`.
  const reference: JsonValue | undefined =
    action === 'installed' ? context.referenceOf(raw) : action === 'uninstalled' ? null : undefined;
  return [
    {
      type: 'conversation-update',
      adapterId: context.adapterId,
      channel: 'teams',
      from: sender(activity),
      action,
      ...(reference === undefined ? {} : { reference }),
      timestamp: timestampOf(activity, context),
    },
  ];
}

function reactionEvents(activity: TeamsActivity, context: ParseContext): InboundEvent[] {
  const target = activity.replyToId ?? '';
  const base = {
    type: 'reaction' as const,
    adapterId: context.adapterId,
    channel: 'teams',
    from: sender(activity),
    targetMessageId: target,
    timestamp: timestampOf(activity, context),
  };
  const id = activity.id ?? `${target}:${base.timestamp.getTime()}`;
  return [
    ...(activity.reactionsAdded ?? []).map((reaction) => ({
      ...base,
      providerMessageId: `${id}:+${reaction.type}`,
      emoji: REACTION_EMOJI[reaction.type] ?? reaction.type,
    })),
    ...(activity.reactionsRemoved ?? []).map((reaction) => ({
      ...base,
      providerMessageId: `${id}:-${reaction.type}`,
      emoji: '',
    })),
  ];
}

function invokeEvents(
  activity: TeamsActivity,
  raw: JsonObject,
  context: ParseContext,
): InboundEvent[] {
  const execute = ExecuteValueSchema.safeParse(activity.value);
  if (activity.name !== 'adaptiveCard/action' || !execute.success) {
    return [unsupported(activity, raw, context, `invoke ${activity.name ?? '(unnamed)'}`)];
  }
  const chosen = submitted(execute.data.action.data);
  const { action } = execute.data;
  const event = messageEvents({ ...activity, text: '', value: undefined }, raw, context);
  return [
    {
      ...event,
      adapterId: context.adapterId,
      channel: 'teams',
      message: {
        ...event.message,
        text: chosen.text || action.title || action.verb || '',
        payload: chosen.text ? chosen.payload : (action.verb ?? chosen.payload),
      },
      reference: context.referenceOf(raw),
    },
  ];
}

function unsupported(
  activity: TeamsActivity,
  raw: JsonObject,
  context: ParseContext,
  reason: string,
): InboundEvent {
  return {
    type: 'unsupported',
    adapterId: context.adapterId,
    channel: 'teams',
    reason,
    from: sender(activity),
    ...(activity.id ? { providerMessageId: activity.id } : {}),
    raw,
    timestamp: timestampOf(activity, context),
  };
}

/**
 * Parses one activity into events: `message` (mentions of the bot removed, attachments,
 * Action.Submit values), `conversation-update` (install with the reference, uninstall withdrawing
 * it), `reaction`, `typing`, and `adaptiveCard/action` invokes as messages with a payload.
 *
 * @example
 * ```ts
 * const parsed = parseActivity(json, { adapterId: 'teams', now: Date.now, referenceOf, textWithoutBotMention });
 * ```
 */
export function parseActivity(raw: JsonObject, context: ParseContext): ParseResult {
  const parsed = ActivitySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue?.path.join('.') || 'activity'}: ${issue?.message}` };
  }
  const activity = parsed.data;
  const base = { adapterId: context.adapterId, channel: 'teams' };
  switch (activity.type) {
    case 'message':
      return {
        ok: true,
        activity,
        events: [
          {
            ...base,
            ...messageEvents(activity, raw, context),
            reference: context.referenceOf(raw),
          },
        ],
      };
    case 'conversationUpdate':
    case 'installationUpdate':
      return { ok: true, activity, events: conversationEvents(activity, raw, context) };
    case 'messageReaction':
      return { ok: true, activity, events: reactionEvents(activity, context) };
    case 'typing':
      return {
        ok: true,
        activity,
        events: [
          {
            ...base,
            type: 'typing',
            from: sender(activity),
            timestamp: timestampOf(activity, context),
          },
        ],
      };
    case 'invoke':
      return { ok: true, activity, events: invokeEvents(activity, raw, context) };
    default:
      return {
        ok: true,
        activity,
        events: [unsupported(activity, raw, context, `activity ${activity.type}`)],
      };
  }
}
