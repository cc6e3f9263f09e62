import type { PersonInput } from './inbound';
import {
  componentParameters,
  fillTemplate,
  parameterText,
  type TemplateRegistry,
} from './templates';
import type {
  BusinessMessage,
  BusinessMessageStatus,
  ConversationEntry,
  PersonMessage,
} from './types';

/**
 * One bubble on the phone page, already reduced to what a phone shows. The page's script only
 * draws these, so what a message looks like is decided here, in tested TypeScript.
 */
export interface PhoneView {
  id: string;
  side: 'business' | 'person';
  at: number;
  status?: BusinessMessageStatus;
  readByBusiness?: boolean;
  header?: string;
  text?: string;
  footer?: string;
  media?: { kind: string; src?: string; caption?: string; filename?: string };
  /** Tappable labels: reply buttons, template quick replies, a Flow's button. */
  buttons?: string[];
  list?: { button: string; rows: Array<{ title: string; description?: string; section?: string }> };
  link?: { label: string; url: string };
  template?: { name: string; language: string; parameters: string[] };
  reaction?: { messageId: string; emoji: string };
  replyTo?: string;
  /** Why the message never reached the phone (131047 and friends). */
  error?: string;
}

/** A label a person can tap on a business message, and what tapping it sends. */
export interface TapTarget {
  label: string;
  input: PersonInput;
}

/** Where the phone page loads a stored media file from. */
export const phoneMediaSrc = (id: string) => `/phone/media/${encodeURIComponent(id)}`;

type Media = { id?: string; link?: string; caption?: string; filename?: string };

function mediaView(kind: string, media: Media): NonNullable<PhoneView['media']> {
  const src = media.link ?? (media.id === undefined ? undefined : phoneMediaSrc(media.id));
  return {
    kind,
    ...(src === undefined ? {} : { src }),
    ...(media.caption === undefined ? {} : { caption: media.caption }),
    ...(media.filename === undefined ? {} : { filename: media.filename }),
  };
}

/**
 * What a person can tap on `message`, with the exact inbound each tap produces: reply buttons →
 * `button_reply`, list rows → `list_reply`, a Flow → `nfm_reply`, template quick replies → `button`.
 *
 * @example
 * ```ts
 * tapTargets(message, registry).map((t) => t.label); // ['Yes', 'No']
 * ```
 */
export function tapTargets(message: BusinessMessage, registry: TemplateRegistry): TapTarget[] {
  const replyTo = message.id;
  const { body } = message;
  if (body.type === 'interactive') {
    const interactive = body.interactive;
    switch (interactive.type) {
      case 'button':
        return interactive.action.buttons.map(({ reply }) => ({
          label: reply.title,
          input: { button_reply: { id: reply.id, title: reply.title }, replyTo },
        }));
      case 'list':
        return interactive.action.sections.flatMap((section) =>
          section.rows.map((row) => ({
            label: row.title,
            input: {
              list_reply: {
                id: row.id,
                title: row.title,
                ...(row.description === undefined ? {} : { description: row.description }),
              },
              replyTo,
            },
          })),
        );
      case 'flow': {
        const { flow_cta, flow_token } = interactive.action.parameters;
        const response_json = JSON.stringify({ flow_token: flow_token ?? 'unused' });
        return [{ label: flow_cta, input: { nfm_reply: { response_json }, replyTo } }];
      }
      default:
        return [];
    }
  }
  if (body.type === 'template') {
    const { name, language, components = [] } = body.template;
    const labels = registry.find(name, language.code)?.buttons ?? [];
    const quickReplies = components.filter((c) => 'sub_type' in c && c.sub_type === 'quick_reply');
    if (quickReplies.length === 0)
      return labels.map((label) => ({ label, input: { button: label, replyTo } }));
    return quickReplies.map((component) => {
      const index = Number('index' in component ? component.index : 0);
      const payload =
        component.parameters?.[0] === undefined
          ? undefined
          : parameterText(component.parameters[0]);
      const label = labels[index] ?? payload ?? `Button ${index + 1}`;
      return {
        label,
        input: { button: label, ...(payload === undefined ? {} : { payload }), replyTo },
      };
    });
  }
  return [];
}

function businessView(message: BusinessMessage, registry: TemplateRegistry): PhoneView {
  const view: PhoneView = {
    id: message.id,
    side: 'business',
    at: message.at,
    status: message.status,
  };
  if (message.error) view.error = `${message.error.code} ${message.error.title}`;
  const { body } = message;
  if (body.context) view.replyTo = body.context.message_id;
  const labels = tapTargets(message, registry).map((target) => target.label);
  switch (body.type) {
    case 'text':
      view.text = body.text.body;
      break;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      view.media = mediaView(
        body.type,
        (body as unknown as Record<string, Media>)[body.type] as Media,
      );
      break;
    case 'reaction':
      view.reaction = { messageId: body.reaction.message_id, emoji: body.reaction.emoji };
      break;
    case 'location':
      view.text =
        `📍 ${body.location.name ?? ''} (${body.location.latitude}, ${body.location.longitude})`.trim();
      break;
    case 'template': {
      const { name, language } = body.template;
      const parameters = componentParameters(body.template, 'body');
      const definition = registry.find(name, language.code);
      view.template = { name, language: language.code, parameters: parameters.map(parameterText) };
      if (definition?.body !== undefined) view.text = fillTemplate(definition.body, parameters);
      if (labels.length > 0) view.buttons = labels;
      break;
    }
    case 'interactive': {
      const interactive = body.interactive;
      view.text = interactive.body.text;
      if (interactive.footer) view.footer = interactive.footer.text;
      const header = interactive.header;
      if (header?.type === 'text') view.header = header.text;
      else if (header)
        view.media = mediaView(
          header.type,
          (header as unknown as Record<string, Media>)[header.type] as Media,
        );
      if (interactive.type === 'list') {
        view.list = {
          button: interactive.action.button,
          rows: interactive.action.sections.flatMap((section) =>
            section.rows.map((row) => ({
              title: row.title,
              ...(row.description ? { description: row.description } : {}),
              ...(section.title ? { section: section.title } : {}),
            })),
          ),
        };
      } else if (interactive.type === 'cta_url') {
        view.link = {
          label: interactive.action.parameters.display_text,
          url: interactive.action.parameters.url,
        };
      } else {
        view.buttons = labels;
      }
      break;
    }
  }
  return view;
}

function personView(message: PersonMessage): PhoneView {
  const view: PhoneView = {
    id: message.id,
    side: 'person',
    at: message.at,
    readByBusiness: message.readByBusiness,
  };
  const payload = message.message as Record<string, Record<string, unknown> | undefined> & {
    type: string;
  };
  const context = payload.context as { id?: string } | undefined;
  if (context?.id) view.replyTo = context.id;
  const part = payload[payload.type] ?? {};
  if (payload.type === 'text') view.text = String(part.body);
  else if (payload.type === 'button') view.text = String(part.text);
  else if (payload.type === 'interactive') {
    const reply = (part[String(part.type)] ?? {}) as { title?: string; body?: string };
    view.text = reply.title ?? reply.body ?? String(part.type);
  } else if (payload.type === 'location')
    view.text = `📍 ${String(part.name ?? '')} (${String(part.latitude)}, ${String(part.longitude)})`;
  else if (payload.type === 'reaction')
    view.reaction = { messageId: String(part.message_id), emoji: String(part.emoji) };
  else view.media = mediaView(payload.type, part as Media);
  return view;
}

/** The {@link PhoneView} of either side's message. */
export function toPhoneView(entry: ConversationEntry, registry: TemplateRegistry): PhoneView {
  return entry.side === 'business' ? businessView(entry, registry) : personView(entry);
}
