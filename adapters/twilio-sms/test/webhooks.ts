import twilio from 'twilio';
import { ACCOUNT_SID, AUTH_TOKEN, SENDER } from './twilio-api';

/**
 * Webhook requests as Twilio sends them: form-encoded, signed by twilio-node's own
 * `getExpectedTwilioSignature` over the URL and the sorted parameters.
 */

export const WEBHOOK_URL = 'https://app.example.test/webhooks/sms';
export const ANN = '+15558675310';

/** A signed form POST to `url` (the URL Twilio was configured with). */
export function signedRequest(
  params: Record<string, string>,
  options: { url?: string; requestUrl?: string; authToken?: string } = {},
): Request {
  const url = options.url ?? WEBHOOK_URL;
  const signature = twilio.getExpectedTwilioSignature(options.authToken ?? AUTH_TOKEN, url, params);
  return new Request(options.requestUrl ?? url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    },
    body: new URLSearchParams(params).toString(),
  });
}

/**
 * An incoming SMS, with every parameter Twilio documents for one.
 * Source: https://www.twilio.com/docs/messaging/guides/webhook-request (parameter names) and
 * https://www.twilio.com/docs/events/event-types/messaging/inbound-message (example values).
 */
export function inboundSms(
  body: string,
  sid = 'SM00000000000000000000000000000001',
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ToCountry: 'US',
    ToState: 'FL',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: 'FORT MEADE',
    FromZip: '03049',
    SmsSid: sid,
    FromState: 'NH',
    SmsStatus: 'received',
    FromCity: 'NASHUA',
    Body: body,
    FromCountry: 'US',
    To: SENDER,
    ToZip: '33841',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: ANN,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

/**
 * A status callback. Source:
 * https://www.twilio.com/docs/messaging/guides/track-outbound-message-status (its example:
 * `SmsSid, SmsStatus, MessageStatus, To, MessageSid, AccountSid, From, ApiVersion`, and
 * `ErrorCode` on undelivered/failed).
 */
export function statusCallback(
  sid: string,
  status: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SmsSid: sid,
    SmsStatus: status,
    MessageStatus: status,
    To: ANN,
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: SENDER,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}
