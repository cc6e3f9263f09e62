import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBackgroundWork } from '../background-work';
import { createMovableClock } from '../clock';
import { parseEmulatorOptions } from '../config-error';
import { createEmitter, type Subscribe } from '../events';
import { createServerLifecycle } from '../http/lifecycle';
import { BodyTooLargeError, sendJson } from '../http/respond';
import { createSseHub } from '../http/sse';
import type { WebhookOutcome } from '../http/webhook-delivery';
import { TwilioErrorCode, twilioError } from './errors';
import { createLifecycle } from './lifecycle';
import { type TwilioEmulatorOptions, TwilioEmulatorOptionsSchema } from './options';
import { createPhones, type SmsPhone } from './phone';
import { createSmsPhonePage } from './phone-page';
import { createRestHandler, type ProgrammedFailure } from './rest';
import { createTwilioState, type SmsMessage } from './state';

/** What the emulator reports, for tests and demos. */
export interface TwilioEmulatorEvents {
  /** A message was created or changed status (either direction). */
  message: SmsMessage;
  /** A webhook the app did not accept (after retries, for status callbacks). */
  'webhook-failure': { message: SmsMessage; outcome: Pick<WebhookOutcome, 'status' | 'error'> };
  error: unknown;
}

/** A running (or ready to start) Twilio Programmable Messaging emulator. */
export interface TwilioEmulator {
  /** `http://127.0.0.1:<port>`: the adapter's `baseUrl`, standing in for `https://api.twilio.com`. */
  readonly url: string;
  /** The phone picker page. */
  readonly phoneUrl: string;
  phonePageUrl(number: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A phone, driven from code: `phone('+15558675310').send('STOP')`. */
  phone(number: string): SmsPhone;
  /** Every message, both directions. */
  messages(): SmsMessage[];
  message(sid: string): SmsMessage | undefined;
  /** Points incoming-message webhooks at the app. */
  setWebhookUrl(url: string): void;
  /** The next REST call answers this error (20429, 500…), in Twilio's envelope. */
  failNextRequest(failure: ProgrammedFailure): void;
  /** Resolves when no status or webhook is pending. */
  idle(): Promise<void>;
  on: Subscribe<TwilioEmulatorEvents>;
}

/**
 * Creates a Twilio Programmable Messaging emulator: the Messages REST API, signed incoming
 * webhooks and status callbacks, Twilio's default STOP/START/HELP handling (21610 after STOP),
 * carrier failures on demand and an SMS phone page. Call `start()` before using `url`.
 *
 * @example
 * ```ts
 * const emulator = await startTwilioEmulator({ accountSid, authToken, numbers: ['+15017122661'] });
 * const sms = createTwilioSmsAdapter({ accountSid, authToken, from: '+15017122661', baseUrl: emulator.url });
 * emulator.setWebhookUrl('http://127.0.0.1:3000/webhooks/sms');
 * await emulator.phone('+15558675310').send('Hi!');
 * ```
 */
export function createTwilioEmulator(options: TwilioEmulatorOptions): TwilioEmulator {
  const config = parseEmulatorOptions(TwilioEmulatorOptionsSchema, options, 'createTwilioEmulator');
  const clock = createMovableClock(config.clock);
  const events = createEmitter<TwilioEmulatorEvents>();
  const work = createBackgroundWork((error) => {
    if (!events.emit('error', error)) console.error('[twilio emulator]', error);
  });
  const state = createTwilioState(clock);
  const hub = createSseHub();
  const programmed: ProgrammedFailure[] = [];
  let webhookUrl = config.webhookUrl;
  const life = createServerLifecycle({
    name: 'Twilio',
    host: config.host,
    port: config.port,
    handler: handle,
    work,
    hub,
  });
  let page: ReturnType<typeof createSmsPhonePage> | undefined;

  const changed = (message: SmsMessage) => {
    page?.publish(message);
    events.emit('message', message);
  };
  const failed = (message: SmsMessage, outcome: { status?: number; error?: string }) =>
    events.emit('webhook-failure', {
      message,
      outcome: {
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
        ...(outcome.error === undefined ? {} : { error: outcome.error }),
      },
    });
  const phone = createPhones({
    config,
    state,
    clock,
    work,
    webhookUrl: () => webhookUrl,
    onChange: changed,
    onInboundFailure: failed,
  });
  const lifecycle = createLifecycle({
    config,
    state,
    work,
    onChange: changed,
    onCallbackFailure: failed,
  });
  page = createSmsPhonePage({
    state,
    hub,
    phone,
    work,
    clock,
    account: config.numbers.join(', '),
    ...(config.businessName === undefined ? {} : { businessName: config.businessName }),
    ...(config.homeUrl === undefined ? {} : { homeUrl: config.homeUrl }),
  });
  const phonePage = page;
  const rest = createRestHandler({
    config,
    state,
    clock,
    programmed,
    onCreated: (message) => {
      changed(message);
      lifecycle(message);
    },
  });

  const requireUrl = life.url;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const context = { req, res, url };
    try {
      if (url.pathname === '/') res.writeHead(302, { location: '/phone' }).end();
      else if (url.pathname === '/favicon.ico') res.writeHead(204).end();
      else if (url.pathname === '/phone' || url.pathname.startsWith('/phone/')) {
        if ((await phonePage.handle(context)) !== 'handled')
          sendJson(res, 404, { error: 'Not found' });
      } else await rest(context);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      sendJson(res, 413, twilioError(413, TwilioErrorCode.BodyTooLong, error.message));
    }
  }

  return {
    get url() {
      return requireUrl();
    },
    get phoneUrl() {
      return `${requireUrl()}/phone`;
    },
    phonePageUrl: (number) => `${requireUrl()}/phone?number=${encodeURIComponent(number)}`,
    start: life.start,
    stop: life.stop,
    phone,
    messages: () => state.all(),
    message: (sid) => state.get(sid),
    setWebhookUrl(url) {
      webhookUrl = parseEmulatorOptions(
        TwilioEmulatorOptionsSchema.shape.webhookUrl,
        url,
        'setWebhookUrl',
      );
    },
    failNextRequest: (failure) => void programmed.push(failure),
    idle: () => work.idle(),
    on: events.on,
  };
}

/**
 * Creates and starts a Twilio emulator in one call.
 *
 * @example
 * ```ts
 * const emulator = await startTwilioEmulator({ accountSid, authToken, numbers: ['+15017122661'] });
 * console.log(emulator.phoneUrl);
 * ```
 */
export async function startTwilioEmulator(options: TwilioEmulatorOptions): Promise<TwilioEmulator> {
  const emulator = createTwilioEmulator(options);
  await emulator.start();
  return emulator;
}
