import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock';
import { readBody, sendJson } from '../http/respond';
import { createRouter, type RouteContext } from '../http/router';
import { TwilioErrorCode as Code, twilioError } from './errors';
import type { TwilioEmulatorConfig } from './options';
import {
  messageResource,
  messageSid,
  roughSegments,
  type SmsMessage,
  type TwilioState,
} from './state';

/**
 * Twilio's Messages API: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (HTTP Basic
 * auth, form body) and `GET …/Messages/{Sid}.json`, with Twilio's validation order and error
 * envelope, including 21610 once the phone has texted STOP to that sender (or service).
 * Source: https://www.twilio.com/docs/messaging/api/message-resource
 */

/** A failure programmed for the next REST call (`failNextRequest`). */
export interface ProgrammedFailure {
  status: number;
  code: number;
  message?: string;
  retryAfter?: string;
}

/** What the API needs. */
export interface RestConfig {
  config: TwilioEmulatorConfig;
  state: TwilioState;
  clock: Clock;
  programmed: ProgrammedFailure[];
  /** Starts the status lifecycle of a created message. */
  onCreated(message: SmsMessage): void;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const BASE = '/2010-04-01/Accounts/:accountSid';

function fail(res: ServerResponse, status: number, code: number, message: string, headers = {}) {
  sendJson(res, status, twilioError(status, code, message), headers);
}

/** The opt-out keys a send is checked against: the sender, and the service when one is used. */
export function optOutKeys(from: string, service: string | null): string[] {
  return service ? [from, service] : [from];
}

function authenticated(req: IncomingMessage, config: TwilioEmulatorConfig): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const [user, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  if (user === config.accountSid) return secret === config.authToken;
  return config.apiKeys.some((key) => key.sid === user && key.secret === secret);
}

/** Creates the REST handler; it answers 404 in Twilio's shape for anything it does not know. */
export function createRestHandler(rest: RestConfig) {
  const { config, state, clock } = rest;

  function guard(context: RouteContext): boolean {
    if (!authenticated(context.req, config)) {
      fail(context.res, 401, Code.Authenticate, 'Authenticate');
      return false;
    }
    if (context.params.accountSid !== config.accountSid) {
      fail(context.res, 404, Code.NotFound, 'The requested resource was not found');
      return false;
    }
    const programmed = rest.programmed.shift();
    if (programmed) {
      const headers = programmed.retryAfter ? { 'retry-after': programmed.retryAfter } : {};
      fail(
        context.res,
        programmed.status,
        programmed.code,
        programmed.message ?? `error ${programmed.code}`,
        headers,
      );
      return false;
    }
    return true;
  }

  async function create(context: RouteContext) {
    if (!guard(context)) return;
    const form = new URLSearchParams((await readBody(context.req)).toString('utf8'));
    const to = form.get('To');
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    const mediaUrls = form.getAll('MediaUrl');
    const { res } = context;
    if (!to) return fail(res, 400, Code.ToRequired, "A 'To' phone number is required.");
    if (!E164.test(to))
      return fail(res, 400, Code.InvalidTo, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !service)
      return fail(res, 400, Code.FromRequired, "A 'From' phone number is required.");
    if (service && service !== config.messagingServiceSid) {
      return fail(res, 400, Code.ServiceNotFound, 'The Messaging Service does not exist');
    }
    if (from && E164.test(from) && !config.numbers.includes(from)) {
      return fail(
        res,
        400,
        Code.FromNotOwned,
        `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      );
    }
    if (body === '' && mediaUrls.length === 0) {
      return fail(
        res,
        400,
        Code.BodyRequired,
        'A text message body or media urls must be specified.',
      );
    }
    if (body.length > 1_600) {
      return fail(
        res,
        400,
        Code.BodyTooLong,
        'The concatenated message body exceeds the 1600 character limit.',
      );
    }
    const sender = from ?? state.lastSenderTo(to) ?? (config.numbers[0] as string);
    if (state.isOptedOut(optOutKeys(sender, service), to)) {
      return fail(res, 400, Code.Unsubscribed, 'Attempt to send to unsubscribed recipient');
    }
    const now = clock.now();
    const message = state.add({
      sid: messageSid(),
      direction: 'outbound-api',
      from: sender,
      to,
      body,
      mediaUrls,
      // A Messaging Service answers `accepted` and counts segments once it has picked a sender.
      status: service ? 'accepted' : 'queued',
      errorCode: null,
      messagingServiceSid: service,
      ...(form.get('StatusCallback')
        ? { statusCallback: form.get('StatusCallback') as string }
        : {}),
      numSegments: service ? 0 : roughSegments(body),
      dateCreated: now,
      dateUpdated: now,
    });
    sendJson(res, 201, messageResource(config.accountSid, message));
    rest.onCreated(message);
  }

  const router = createRouter()
    .route('POST', `${BASE}/Messages.json`, create)
    .route('GET', `${BASE}/Messages/:sid`, (context) => {
      if (!guard(context)) return;
      const sid = (context.params.sid as string).replace(/\.json$/, '');
      const message = state.get(sid);
      if (!message)
        return fail(
          context.res,
          404,
          Code.NotFound,
          `The requested resource ${context.url.pathname} was not found`,
        );
      sendJson(context.res, 200, messageResource(config.accountSid, message));
    });

  return async (context: Omit<RouteContext, 'params'>) => {
    const outcome = await router.handle(context, context.url.pathname);
    if (outcome === 'handled') return;
    if (outcome === 'method-not-allowed')
      return fail(context.res, 405, Code.NotFound, 'Method not allowed');
    fail(
      context.res,
      404,
      Code.NotFound,
      `The requested resource ${context.url.pathname} was not found`,
    );
  };
}
