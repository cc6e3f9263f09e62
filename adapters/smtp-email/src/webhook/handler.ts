import { type EventSink, ValidationError, type WebhookContext } from '@threadline/core';
import { simpleParser } from 'mailparser';
import { verdictFromResults } from '../inbound/authenticate';
import { fromParsedMail } from '../inbound/mail';
import { type ReceiveDeps, receiveMail } from '../inbound/receive';
import type { ResolvedSmtpEmailOptions } from '../options';
import { handleLink, type LinkRouteDeps } from './links';
import { parseMailgun } from './mailgun';
import { emitMailgunEvent, MailgunEventSchema } from './mailgun-events';
import { PostmarkInboundSchema, parsePostmark } from './postmark';
import { parseSendGrid } from './sendgrid';
import {
  checkBasicAuth,
  checkMailgun,
  checkRaw,
  RAW_SIGNATURE_HEADER,
  type ReplayGuard,
  type WebhookCheck,
} from './verify';

/**
 * The adapter's HTTP routes below `/webhooks/<id>`:
 * `/unsubscribe`, `/action` (links in our emails); `/inbound/mailgun`, `/inbound/sendgrid`,
 * `/inbound/postmark`, `/inbound/raw` (inbound mail); `/events/mailgun` (bounces).
 */

/** What the routes need. */
export interface WebhookDeps {
  webhooks: ResolvedSmtpEmailOptions['webhooks'];
  receive: ReceiveDeps;
  links: LinkRouteDeps;
  replay: ReplayGuard;
  now: () => number;
}

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

function refused(check: WebhookCheck): Response {
  return text(401, `webhook ${check === 'stale' ? 'timestamp too old' : `signature ${check}`}`);
}

/** Runs `work` once per signature: a replay is refused, a failure gives the signature back. */
async function once(
  replay: ReplayGuard,
  signature: string,
  work: () => Promise<void>,
): Promise<Response> {
  if (!(await replay.claim(signature))) return text(401, 'webhook replayed');
  try {
    await work();
  } catch (error) {
    await replay.release(signature);
    throw error;
  }
  return text(200, 'ok');
}

async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch (error) {
    throw new ValidationError('email webhook', [
      { path: 'body', message: `not a form: ${String(error)}` },
    ]);
  }
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ValidationError('email webhook', [{ path: 'body', message: 'not JSON' }]);
  }
}

function parsed<T>(
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { message: string } };
  },
  value: unknown,
): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ValidationError('email webhook', [{ path: 'body', message: result.error.message }]);
  return result.data;
}

/**
 * The path below `/<adapterId>` in a URL, for callers that do not pass `context.path` (tests,
 * hosts calling `handleWebhook` themselves).
 */
export function pathBelow(pathname: string, adapterId: string): string {
  const marker = `/${encodeURIComponent(adapterId)}`;
  const at = pathname.indexOf(`${marker}/`);
  return at === -1 ? '' : pathname.slice(at + marker.length);
}

/**
 * Creates `handleWebhook`.
 *
 * @example
 * ```ts
 * const handleWebhook = createWebhookHandler(deps);
 * await handleWebhook(request, { sink, publicUrl, path: '/inbound/postmark', waitUntil });
 * ```
 */
export function createWebhookHandler(deps: WebhookDeps) {
  const { webhooks } = deps;
  const maxAge = webhooks.maxAgeSeconds;
  const receive = (sink: EventSink, input: Awaited<ReturnType<typeof parseMailgun>>) =>
    receiveMail(deps.receive, sink, input.mail, input.verdict).then(() => undefined);

  return async (request: Request, context: WebhookContext): Promise<Response> => {
    const path = context.path ?? pathBelow(new URL(request.url).pathname, deps.receive.adapterId);
    const { sink } = context;
    if (path === '/unsubscribe' || path === '/action')
      return handleLink(deps.links, request, sink, path);
    if (request.method !== 'POST') return text(405, 'POST only');
    const raw = context.rawBody ?? new Uint8Array(await request.clone().arrayBuffer());
    const authorization = request.headers.get('authorization');
    switch (path) {
      case '/inbound/mailgun':
      case '/events/mailgun': {
        if (webhooks.mailgun === undefined) break;
        const key = webhooks.mailgun.signingKey;
        if (path === '/events/mailgun') {
          const event = parsed(MailgunEventSchema, await readJson(request));
          const check = checkMailgun(key, event.signature, deps.now(), maxAge);
          if (check !== 'valid') return refused(check);
          return once(deps.replay, event.signature.signature, () =>
            emitMailgunEvent(sink, deps.receive.adapterId, event, new Date(deps.now())),
          );
        }
        const form = await readForm(request);
        const fields = {
          timestamp: form.get('timestamp') as string | null,
          token: form.get('token') as string | null,
          signature: form.get('signature') as string | null,
        };
        const check = checkMailgun(key, fields, deps.now(), maxAge);
        if (check !== 'valid') return refused(check);
        return once(deps.replay, String(fields.signature), async () =>
          receive(sink, await parseMailgun(form)),
        );
      }
      case '/inbound/sendgrid': {
        if (webhooks.sendgrid === undefined) break;
        const check = checkBasicAuth(authorization, webhooks.sendgrid);
        if (check !== 'valid') return refused(check);
        return text(
          200,
          await receive(sink, await parseSendGrid(await readForm(request))).then(() => 'ok'),
        );
      }
      case '/inbound/postmark': {
        if (webhooks.postmark === undefined) break;
        const check = checkBasicAuth(authorization, webhooks.postmark);
        if (check !== 'valid') return refused(check);
        const payload = parsed(PostmarkInboundSchema, await readJson(request));
        return text(200, await receive(sink, await parsePostmark(payload)).then(() => 'ok'));
      }
      case '/inbound/raw': {
        if (webhooks.raw === undefined) break;
        const header = request.headers.get(RAW_SIGNATURE_HEADER);
        const check = checkRaw(webhooks.raw.secret, header, raw, deps.now(), maxAge);
        if (check !== 'valid') return refused(check);
        return once(deps.replay, String(header), async () => {
          const mail = fromParsedMail(await simpleParser(Buffer.from(raw)));
          // The relay that posts the message put its verdict on top (RFC 8601 §5: the first one).
          const results = /^Authentication-Results:\s*(.+(?:\r?\n[ \t].+)*)/im.exec(
            Buffer.from(raw).toString('utf8'),
          )?.[1];
          await receiveMail(deps.receive, sink, mail, verdictFromResults(results));
        });
      }
    }
    return text(404, `no email route ${path || '/'} here (or it is not configured)`);
  };
}
