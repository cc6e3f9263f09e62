import type { BackgroundWork } from '../background-work';
import type { Clock } from '../clock';
import type { TwilioEmulatorConfig } from './options';
import { optOutKeys } from './rest';
import { messageSid, roughSegments, type SmsMessage, type TwilioState } from './state';
import { type InboundOutcome, inboundParams, postInbound } from './webhooks';

/**
 * An emulated phone: it texts the account's numbers, and Twilio's default keyword handling runs
 * first, as on a long code: STOP-family words block the (number, phone) pair (the whole service
 * when the number is in one) and get Twilio's auto-reply; START-family words lift it; HELP gets
 * the help auto-reply. The message is then forwarded to the app's webhook all the same.
 * Source: https://help.twilio.com/articles/223134027
 */

/** Twilio's default keywords (single word, any case). */
export const DEFAULT_KEYWORDS = {
  stop: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'],
  start: ['START', 'YES', 'UNSTOP'],
  help: ['HELP', 'INFO'],
} as const;

/** Twilio's default auto-replies. Source: https://help.twilio.com/articles/223134027 */
export const AUTO_REPLIES = {
  stop: 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
  start:
    'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
  help: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
} as const;

/** A phone, driven from code or from the phone page. */
export interface SmsPhone {
  readonly number: string;
  /** Texts the account (`to`: which number; default the one that last wrote, else the first). */
  send(text: string, options?: { to?: string; mediaUrls?: string[] }): Promise<SmsMessage>;
  /** Everything this phone received, oldest first. */
  inbox(): SmsMessage[];
  conversation(): SmsMessage[];
  /** The next message to this phone ends `undelivered` with this carrier code (30003…30008). */
  failNext(code: number): void;
  /** Whether the phone has opted out of `from` (default: any of the account's numbers). */
  isOptedOut(from?: string): boolean;
}

/** What phones need. */
export interface PhonesConfig {
  config: TwilioEmulatorConfig;
  state: TwilioState;
  clock: Clock;
  work: BackgroundWork;
  webhookUrl(): string | undefined;
  onChange(message: SmsMessage): void;
  onInboundFailure(message: SmsMessage, outcome: InboundOutcome): void;
}

function keywordKind(text: string): keyof typeof DEFAULT_KEYWORDS | undefined {
  const word = text.trim().toUpperCase();
  if (word === '' || /\s/.test(word)) return undefined;
  return (Object.keys(DEFAULT_KEYWORDS) as Array<keyof typeof DEFAULT_KEYWORDS>).find((kind) =>
    (DEFAULT_KEYWORDS[kind] as readonly string[]).includes(word),
  );
}

/** Creates the phones of an emulator. */
export function createPhones(input: PhonesConfig): (number: string) => SmsPhone {
  const { config, state, clock } = input;
  const service = config.messagingServiceSid ?? null;

  function record(
    message: Omit<SmsMessage, 'sid' | 'dateCreated' | 'dateUpdated' | 'numSegments'>,
  ) {
    const now = clock.now();
    const stored = state.add({
      ...message,
      sid: messageSid(),
      numSegments: roughSegments(message.body),
      dateCreated: now,
      dateUpdated: now,
    });
    input.onChange(stored);
    return stored;
  }

  /** A reply Twilio itself sends (auto-reply or the app's TwiML), delivered at once. */
  function reply(from: string, to: string, body: string) {
    record({
      direction: 'outbound-reply',
      from,
      to,
      body,
      mediaUrls: [],
      status: 'delivered',
      errorCode: null,
      messagingServiceSid: service,
    });
  }

  return (number) => {
    const phone: SmsPhone = {
      number,
      async send(text, options = {}) {
        const to = options.to ?? state.lastSenderTo(number) ?? (config.numbers[0] as string);
        const message = record({
          direction: 'inbound',
          from: number,
          to,
          body: text,
          mediaUrls: options.mediaUrls ?? [],
          status: 'received',
          errorCode: null,
          messagingServiceSid: service,
        });
        const kind = keywordKind(text);
        const keys = optOutKeys(to, service);
        if (kind === 'stop') for (const key of keys) state.optOut(key, number);
        if (kind === 'start') for (const key of keys) state.optIn(key, number);
        if (kind) reply(to, number, AUTO_REPLIES[kind]);
        const url = input.webhookUrl();
        if (url === undefined) return message;
        const outcome = await postInbound({
          url,
          authToken: config.authToken,
          params: inboundParams(config.accountSid, message),
          timeoutMs: config.webhookRetry.timeoutMs,
          signal: input.work.signal,
        });
        if (!outcome.ok) input.onInboundFailure(message, outcome);
        for (const body of outcome.replies) reply(to, number, body);
        return message;
      },
      inbox: () => state.conversation(number).filter((message) => message.direction !== 'inbound'),
      conversation: () => state.conversation(number),
      failNext: (code) => state.queueFailure(number, code),
      isOptedOut: (from) =>
        (from ? [from] : [...config.numbers, ...(service ? [service] : [])]).some((key) =>
          state.isOptedOut([key], number),
        ),
    };
    return phone;
  };
}
