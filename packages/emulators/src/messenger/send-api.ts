import { readBody, sendJson } from '../http/respond';
import type { RouteContext } from '../http/router';
import { HUMAN_AGENT_HOURS } from './options';
import type { MessengerEntry, MessengerPerson, MessengerState } from './state';

/**
 * The Send API: `POST /{version}/{page-id}/messages` (or `/me/messages`) with the Page token, for
 * messages and sender actions, on both platforms. Refusals use Meta's Graph error envelope and
 * the documented codes: 190 (token), 100 (invalid parameter), 100/2018001 (unknown person),
 * 10/2018278 (outside the window without a usable tag).
 * Sources: https://developers.facebook.com/docs/messenger-platform/reference/send-api
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api/error-codes
 */

/** Limits the emulator enforces, per platform (Instagram: shorter text, no button template or files). */
export const SEND_LIMITS = {
  messenger: {
    text: 2000,
    quickReplies: 13,
    buttons: 3,
    elements: 10,
    buttonTemplate: true,
    files: true,
  },
  instagram: {
    text: 1000,
    quickReplies: 13,
    buttons: 3,
    elements: 10,
    buttonTemplate: false,
    files: false,
  },
} as const;

/** Tags each platform accepts. */
const PLATFORM_TAGS = {
  messenger: ['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'],
  instagram: ['HUMAN_AGENT'],
} as const;

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly subcode?: number,
  ) {
    super(message);
  }
}

export interface SendApiConfig {
  apiVersion: string;
  pageId: string;
  pageAccessToken: string;
  permittedTags: readonly string[];
  windowHours: number;
  state: MessengerState;
  now(): number;
  /** A message the app sent was accepted. */
  onSent(person: MessengerPerson, entry: MessengerEntry): void;
  /** A sender action (typing, mark_seen, react). */
  onAction(person: MessengerPerson, action: string, payload?: Record<string, unknown>): void;
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are validated field by field below
type Body = any;

function checkMessage(message: Body, person: MessengerPerson): void {
  const limits = SEND_LIMITS[person.platform];
  const invalid = (why: string) => new GraphError(400, 100, `(#100) ${why}`);
  if (typeof message !== 'object' || message === null) throw invalid('message is required');
  if (message.text !== undefined) {
    if (typeof message.text !== 'string' || message.text === '')
      throw invalid('text must be a non-empty string');
    if (message.text.length > limits.text)
      throw invalid(`text is longer than ${limits.text} characters`);
  }
  const quick = message.quick_replies;
  if (quick !== undefined && (!Array.isArray(quick) || quick.length > limits.quickReplies)) {
    throw invalid(`quick_replies must hold at most ${limits.quickReplies} items`);
  }
  const attachment = message.attachment;
  if (attachment === undefined) {
    if (message.text === undefined) throw invalid('message needs text or an attachment');
    return;
  }
  const payload = attachment.payload ?? {};
  if (attachment.type === 'template') {
    if (payload.template_type === 'button') {
      if (!limits.buttonTemplate)
        throw invalid('the button template is not supported on Instagram');
      if (
        !Array.isArray(payload.buttons) ||
        payload.buttons.length < 1 ||
        payload.buttons.length > limits.buttons
      ) {
        throw invalid(`a button template needs 1 to ${limits.buttons} buttons`);
      }
    } else if (payload.template_type === 'generic') {
      if (
        !Array.isArray(payload.elements) ||
        payload.elements.length < 1 ||
        payload.elements.length > limits.elements
      ) {
        throw invalid(`a generic template needs 1 to ${limits.elements} elements`);
      }
    } else throw invalid(`unknown template_type ${payload.template_type}`);
    return;
  }
  if (!['image', 'video', 'audio', 'file'].includes(attachment.type))
    throw invalid('unknown attachment type');
  if (attachment.type === 'file' && !limits.files)
    throw invalid('file attachments are not supported on Instagram');
  if (payload.url === undefined && payload.attachment_id === undefined) {
    throw invalid('an attachment needs a url or an attachment_id');
  }
}

/** Within the window, anything; outside it, only a tag the platform has, the app may use and that has not run out. */
function checkWindow(body: Body, person: MessengerPerson, config: SendApiConfig): void {
  const now = config.now();
  if (
    person.lastInboundAt !== undefined &&
    now < person.lastInboundAt + config.windowHours * 3_600_000
  )
    return;
  const tag = body.messaging_type === 'MESSAGE_TAG' ? body.tag : undefined;
  const platformTags: readonly string[] = PLATFORM_TAGS[person.platform];
  const usable =
    typeof tag === 'string' &&
    platformTags.includes(tag) &&
    config.permittedTags.includes(tag) &&
    (tag !== 'HUMAN_AGENT' ||
      (person.lastInboundAt !== undefined &&
        now < person.lastInboundAt + HUMAN_AGENT_HOURS * 3_600_000));
  if (!usable) {
    throw new GraphError(400, 10, '(#10) This message is sent outside of allowed window.', 2018278);
  }
}

function token(context: RouteContext): string | undefined {
  const header = context.req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length);
  return context.url.searchParams.get('access_token') ?? undefined;
}

/** Creates the handler of `POST /{version}/{page-id|me}/messages`. */
export function createSendApiHandler(config: SendApiConfig) {
  return async (context: RouteContext): Promise<void> => {
    try {
      if (
        context.params.version !== config.apiVersion &&
        !/^v\d+\.\d+$/.test(context.params.version ?? '')
      ) {
        throw new GraphError(400, 2500, 'Unknown path components');
      }
      if (context.params.page !== 'me' && context.params.page !== config.pageId) {
        throw new GraphError(400, 100, '(#100) Unsupported post request: unknown Page');
      }
      if (token(context) !== config.pageAccessToken) {
        throw new GraphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
      }
      let body: Body;
      try {
        body = JSON.parse((await readBody(context.req)).toString('utf8'));
      } catch {
        throw new GraphError(400, 100, '(#100) The request body is not JSON');
      }
      const person = config.state.person(String(body?.recipient?.id ?? ''));
      if (person === undefined) {
        throw new GraphError(400, 100, '(#100) No matching user found', 2018001);
      }
      if (body.sender_action !== undefined) {
        config.onAction(person, String(body.sender_action), body.payload);
        return sendJson(context.res, 200, { recipient_id: person.id });
      }
      checkMessage(body.message, person);
      checkWindow(body, person, config);
      const entry: MessengerEntry = {
        id: config.state.newMid(),
        side: 'business',
        author: 'app',
        at: config.now(),
        ...(typeof body.message.text === 'string' ? { text: body.message.text } : {}),
        message: body.message,
        ...(body.messaging_type === 'MESSAGE_TAG' ? { tag: body.tag } : {}),
      };
      person.conversation.push(entry);
      sendJson(context.res, 200, { recipient_id: person.id, message_id: entry.id });
      config.onSent(person, entry);
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      sendJson(context.res, error.status, {
        error: {
          message: error.message,
          type: 'OAuthException',
          code: error.code,
          ...(error.subcode === undefined ? {} : { error_subcode: error.subcode }),
          fbtrace_id: 'EmulatorTrace',
        },
      });
    }
  };
}
