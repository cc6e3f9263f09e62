import type { Clock } from '../clock';
import { readBody, sendJson } from '../http/respond';
import { createRouter, type RouteContext } from '../http/router';
import { hasToken } from './auth';
import {
  GraphErrorCode,
  type GraphErrorResponse,
  graphError,
  graphErrorTitle,
  RE_ENGAGEMENT_DETAILS,
  statusError,
  unknownObject,
} from './errors';
import { toWaId, wamid } from './ids';
import { type MediaRoutesConfig, registerMediaRoutes } from './media';
import type { WhatsAppState } from './state';
import type { StatusLifecycle } from './statuses';
import type { TemplateRegistry } from './templates';
import type { BusinessMessage, ConversationEntry, WhatsAppEmulatorEvents } from './types';
import { type MarkReadBody, parseSendRequest, type SendBody } from './validate';

/** A typing indicator disappears after 25 s or at the next message (Meta's typing docs). */
export const TYPING_INDICATOR_MS = 25_000;
/** Mark-as-read works on messages up to 30 days old. */
export const MARK_READ_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

/** What the Graph API routes need. */
export interface GraphConfig extends MediaRoutesConfig {
  phoneNumberId: string;
  closedWindow: 'reject' | 'fail-status';
  clock: Clock;
  state: WhatsAppState;
  registry: TemplateRegistry;
  statuses: StatusLifecycle;
  emit: <K extends keyof WhatsAppEmulatorEvents>(
    name: K,
    payload: WhatsAppEmulatorEvents[K],
  ) => void;
  onChange: (entry: ConversationEntry) => void;
  onTyping: (waId: string, until: number) => void;
}

/** Answers with a Graph error and reports it as a `graph-error` event. */
export function answerError(
  config: Pick<GraphConfig, 'emit'>,
  context: Omit<RouteContext, 'params'>,
  error: GraphErrorResponse,
): void {
  const { code, error_data } = error.body.error;
  config.emit('graph-error', {
    code,
    httpStatus: error.status,
    path: context.url.pathname,
    ...(error_data ? { details: error_data.details } : {}),
  });
  sendJson(context.res, error.status, error.body, error.headers);
}

// Graph accepts the version segment or none at all; the emulator accepts any version.
const VERSION_PREFIX = /^\/v\d+\.\d+(?=\/|$)/;

/**
 * Creates the Graph API handler: `POST /{phone-number-id}/messages` and the Media API, with or
 * without a version segment. Misses answer the way Graph does (2500 unknown path, 100 subcode 33).
 *
 * @example
 * ```ts
 * const handleGraph = createGraphHandler(config);
 * await handleGraph({ req, res, url });
 * ```
 */
export function createGraphHandler(config: GraphConfig) {
  const { state, clock } = config;
  const fail = (context: RouteContext, error: GraphErrorResponse) =>
    answerError(config, context, error);

  function markRead(context: RouteContext, body: MarkReadBody): void {
    const target = state.entry(body.message_id);
    if (target?.side !== 'person' || clock.now() - target.at > MARK_READ_MAX_AGE_MS) {
      fail(
        context,
        graphError(GraphErrorCode.ParameterValueInvalid, `Invalid message_id: ${body.message_id}`),
      );
      return;
    }
    // Marking one message read marks the earlier ones from that person read too.
    const marked: string[] = [];
    for (const entry of state.person(target.from).conversation) {
      if (entry.side === 'person' && entry.at <= target.at && !entry.readByBusiness) {
        entry.readByBusiness = true;
        marked.push(entry.id);
        config.onChange(entry);
      }
    }
    config.emit('business-read', { waId: target.from, messageIds: marked });
    if (body.typing_indicator) {
      const until = clock.now() + TYPING_INDICATOR_MS;
      config.emit('typing', { waId: target.from, until });
      config.onTyping(target.from, until);
    }
    sendJson(context.res, 200, { success: true });
  }

  function record(
    body: SendBody,
    waId: string,
    status: BusinessMessage['status'],
    id = wamid(waId),
  ) {
    const message: BusinessMessage = {
      side: 'business',
      id,
      to: waId,
      type: body.type,
      body,
      at: clock.now(),
      status,
    };
    state.person(waId);
    state.add(message);
    return message;
  }

  function announce(message: BusinessMessage): void {
    config.onChange(message);
    config.emit('business-message', message);
  }

  async function send(context: RouteContext): Promise<void> {
    if (!hasToken(context.req, context.url, config.accessToken))
      return fail(context, graphError(GraphErrorCode.AccessTokenInvalid));
    const id = context.params.phoneNumberId as string;
    if (id !== config.phoneNumberId) return fail(context, unknownObject(id, 'POST'));
    let json: unknown;
    try {
      json = JSON.parse((await readBody(context.req)).toString('utf8'));
    } catch {
      return fail(
        context,
        graphError(GraphErrorCode.InvalidParameter, 'The request body is not valid JSON.'),
      );
    }
    const parsed = parseSendRequest(json);
    if (!parsed.ok) return fail(context, graphError(parsed.code, parsed.details));
    if (parsed.kind === 'read') return markRead(context, parsed.body);
    const { body } = parsed;
    const waId = toWaId(body.to);
    if (waId === undefined) {
      return fail(
        context,
        graphError(
          GraphErrorCode.InvalidParameter,
          `Param to: "${body.to}" is not a valid phone number`,
        ),
      );
    }
    if (!state.takeRateSlot()) {
      return fail(
        context,
        graphError(
          GraphErrorCode.RateLimitHit,
          'Message failed to send because there were too many messages sent from this phone number in a short period of time.',
        ),
      );
    }
    if (body.type === 'template') {
      const problem = config.registry.check(body.template);
      if (problem) return fail(context, graphError(problem.code, problem.details));
    } else if (!state.windowOpen(waId)) {
      // Templates are the only thing allowed outside the customer service window.
      const code = GraphErrorCode.ReEngagementMessage;
      const error = { code, title: graphErrorTitle(code), details: RE_ENGAGEMENT_DETAILS };
      if (config.closedWindow === 'reject') {
        // Recorded anyway, under an id never returned, so the phone page can show the refusal.
        const refused = record(body, waId, 'refused', `refused.${wamid(waId).slice(6)}`);
        refused.error = error;
        announce(refused);
        return fail(context, graphError(code, RE_ENGAGEMENT_DETAILS));
      }
      const doomed = record(body, waId, 'accepted');
      doomed.error = error;
      announce(doomed);
      config.statuses.fail(doomed, statusError(code, RE_ENGAGEMENT_DETAILS));
      return accepted(context, body, doomed);
    }
    const message = record(body, waId, 'accepted');
    announce(message);
    config.statuses.track(message);
    accepted(context, body, message);
  }

  function accepted(context: RouteContext, body: SendBody, message: BusinessMessage): void {
    sendJson(context.res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: body.to, wa_id: message.to }],
      // Meta reports message_status for template sends only.
      messages: [
        { id: message.id, ...(body.type === 'template' ? { message_status: 'accepted' } : {}) },
      ],
    });
  }

  const router = createRouter().route('POST', '/:phoneNumberId/messages', send);
  registerMediaRoutes(router, config, fail);

  return async function handleGraph(context: Omit<RouteContext, 'params'>): Promise<void> {
    const path = context.url.pathname.replace(VERSION_PREFIX, '');
    const outcome = await router.handle(context, path);
    if (outcome === 'not-found') {
      answerError(
        config,
        context,
        graphError(GraphErrorCode.UnknownPath, undefined, {
          message: `Unknown path components: ${path}`,
        }),
      );
    } else if (outcome === 'method-not-allowed') {
      const objectId = path.split('/').find((segment) => segment !== '') ?? '';
      answerError(config, context, unknownObject(objectId, context.req.method ?? 'GET'));
    }
  };
}
