import { DeliveryError } from '@threadline/core';
import twilio from 'twilio';
import { createFetchHttpClient, withCallSignal } from './http-client';

/**
 * The Messages API through twilio-node's REST client: `client.messages.create` builds the form
 * (`To`, `From` or `MessagingServiceSid`, `Body`, `MediaUrl`…, `StatusCallback`) and the URL;
 * our transport ({@link createFetchHttpClient}) carries it and maps failures.
 */

/** What the client needs from the options. */
export interface MessagesClientOptions {
  accountSid: string;
  /** `accountSid:authToken`, or an API key's `sid:secret`. */
  username: string;
  password: string;
  region?: string;
  edge?: string;
  baseUrl?: string;
  timeoutMs: number;
  now(): number;
  fetch?: typeof fetch;
}

/** One message to create. */
export interface MessageRequest {
  to: string;
  /** A sender; without it, `messagingServiceSid` picks one. */
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  mediaUrl?: string[];
  statusCallback?: string;
}

/** What Twilio answered: the message SID and its first status. */
export interface CreatedMessage {
  sid: string;
  status: string;
  /** Segments Twilio counted (`0` while a Messaging Service has not picked a sender yet). */
  numSegments: number;
}

/** The client one adapter uses. */
export interface MessagesClient {
  /** `signal` aborts the request (the outbox's `send` timeout). */
  create(request: MessageRequest, signal?: AbortSignal): Promise<CreatedMessage>;
}

/**
 * Creates the Messages client.
 *
 * @example
 * ```ts
 * const messages = createMessagesClient({ accountSid, username: accountSid, password: token, timeoutMs: 15_000, now: Date.now });
 * const { sid } = await messages.create({ to: '+15558675310', from: '+15005550006', body: 'hi' });
 * ```
 */
export function createMessagesClient(options: MessagesClientOptions): MessagesClient {
  const httpClient = createFetchHttpClient({
    timeoutMs: options.timeoutMs,
    now: options.now,
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const client = new twilio.Twilio(options.username, options.password, {
    accountSid: options.accountSid,
    // twilio-node takes any object with its RequestClient's `request` method.
    httpClient: httpClient as unknown as twilio.RequestClient,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.edge === undefined ? {} : { edge: options.edge }),
    // Retries are the core's (with backoff, jitter and Retry-After), never hidden in the client.
    autoRetry: false,
  });

  return {
    async create(request, signal) {
      let answer: { sid?: unknown; status?: unknown; numSegments?: unknown };
      try {
        answer = await withCallSignal(signal, () =>
          client.messages.create({
            to: request.to,
            ...(request.from === undefined ? {} : { from: request.from }),
            ...(request.messagingServiceSid === undefined
              ? {}
              : { messagingServiceSid: request.messagingServiceSid }),
            ...(request.body === undefined ? {} : { body: request.body }),
            ...(request.mediaUrl === undefined ? {} : { mediaUrl: request.mediaUrl }),
            ...(request.statusCallback === undefined
              ? {}
              : { statusCallback: request.statusCallback }),
          }),
        );
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        // The 2xx body was not JSON, or the SDK refused the parameters before calling.
        throw new DeliveryError('Twilio client failed to create the message', {
          category: 'provider',
          provider: 'twilio',
          retryable: false,
          cause: error,
        });
      }
      if (typeof answer.sid !== 'string' || answer.sid === '') {
        // Not retryable: Twilio may have taken the message, and a resend would duplicate it.
        throw new DeliveryError('Twilio accepted the message but returned no SID', {
          category: 'provider',
          provider: 'twilio',
          retryable: false,
          cause: answer,
        });
      }
      return {
        sid: answer.sid,
        status: typeof answer.status === 'string' ? answer.status : 'queued',
        numSegments: Number(answer.numSegments ?? 0) || 0,
      };
    },
  };
}
