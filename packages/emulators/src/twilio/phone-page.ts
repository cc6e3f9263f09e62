import { z } from 'zod';
import type { BackgroundWork } from '../background-work';
import type { Clock } from '../clock';
import { readBody, sendBytes, sendJson } from '../http/respond';
import { createRouter, type RouteContext, type RouteOutcome } from '../http/router';
import type { SseHub } from '../http/sse';
import type { SmsPhone } from './phone';
import { smsPhonePageHtml, smsPickerPageHtml } from './phone-page-html';
import type { SmsMessage, TwilioState } from './state';

/** What the page may post. */
const SendSchema = z.strictObject({ text: z.string().min(1).max(1_600) });
const FailSchema = z.strictObject({ code: z.number().int().min(30_001).max(30_999) });

/** What the page needs. */
export interface SmsPhonePageConfig {
  state: TwilioState;
  hub: SseHub;
  phone(number: string): SmsPhone;
  work: BackgroundWork;
  /** The emulator's clock: the page shows skipped time by it. */
  clock: Clock;
  account: string;
  businessName?: string;
  homeUrl?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

function numberOf(context: RouteContext): string | undefined {
  const number = context.url.searchParams.get('number')?.trim() ?? '';
  return E164.test(number) ? number : undefined;
}

async function json<T>(context: RouteContext, schema: z.ZodType<T>): Promise<T | undefined> {
  try {
    return schema.parse(JSON.parse((await readBody(context.req)).toString('utf8')));
  } catch (error) {
    sendJson(context.res, 400, { error: `Bad input: ${String(error)}` });
    return undefined;
  }
}

/**
 * Creates the page: `GET /phone`, `GET /phone/events` (SSE: a `snapshot`, then
 * `message-update`s), `POST /phone/send` and `POST /phone/fail`.
 *
 * @example
 * ```ts
 * const page = createSmsPhonePage({ state, hub, phone, work, account: '+15017122661' });
 * page.publish(message); // open pages of that phone redraw it
 * ```
 */
export function createSmsPhonePage(config: SmsPhonePageConfig) {
  const router = createRouter()
    .route('GET', '/phone', (context) => {
      const number = numberOf(context);
      const html =
        number === undefined
          ? smsPickerPageHtml(config.state.phones())
          : smsPhonePageHtml({
              number,
              account: config.account,
              ...(config.businessName === undefined ? {} : { businessName: config.businessName }),
              ...(config.homeUrl === undefined ? {} : { homeUrl: config.homeUrl }),
            });
      sendBytes(context.res, 200, 'text/html; charset=utf-8', html);
    })
    .route('GET', '/phone/events', (context) => {
      const number = numberOf(context);
      if (number === undefined) return sendJson(context.res, 400, { error: 'number is required' });
      config.hub.open(number, context.req, context.res);
      config.hub.sendTo(context.res, 'snapshot', config.state.conversation(number));
    })
    // The page polls this: a skipped day shows as a badge without any message.
    .route('GET', '/phone/clock', (context) => {
      sendJson(context.res, 200, { now: config.clock.now() });
    })
    .route('POST', '/phone/send', async (context) => {
      const number = numberOf(context);
      if (number === undefined) return sendJson(context.res, 400, { error: 'number is required' });
      const input = await json(context, SendSchema);
      if (input === undefined) return;
      config.work.run(async () => {
        await config.phone(number).send(input.text);
      });
      sendJson(context.res, 202, { ok: true });
    })
    .route('POST', '/phone/fail', async (context) => {
      const number = numberOf(context);
      if (number === undefined) return sendJson(context.res, 400, { error: 'number is required' });
      const input = await json(context, FailSchema);
      if (input === undefined) return;
      config.phone(number).failNext(input.code);
      sendJson(context.res, 202, { ok: true });
    });

  return {
    handle: (context: Omit<RouteContext, 'params'>): Promise<RouteOutcome> =>
      router.handle(context, context.url.pathname),
    publish(message: SmsMessage) {
      const number = message.direction === 'inbound' ? message.from : message.to;
      config.hub.send(number, 'message-update', message);
    },
  };
}
