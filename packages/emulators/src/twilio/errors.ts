/**
 * The Twilio errors the emulator answers with, in Twilio's REST envelope:
 * `{ code, message, more_info, status }`. Each code's page is `TWILIO_ERRORS_SOURCE/<code>`.
 */
export const TWILIO_ERRORS_SOURCE = 'https://www.twilio.com/docs/errors';

/** The codes, by name. */
export const TwilioErrorCode = {
  /** Credentials wrong (HTTP 401). */
  Authenticate: 20003,
  /** Resource (account, message) not found (HTTP 404). */
  NotFound: 20404,
  /** Too many concurrent requests (HTTP 429): not processed, safe to retry. */
  TooManyRequests: 20429,
  InvalidTo: 21211,
  FromRequired: 21603,
  ToRequired: 21604,
  /** The recipient texted STOP to this sender (or service). */
  Unsubscribed: 21610,
  BodyTooLong: 21617,
  BodyRequired: 21619,
  FromNotOwned: 21659,
  ServiceNotFound: 21701,
  /** Carrier failures, reported later on the status callback. */
  UnreachableHandset: 30003,
  MessageBlocked: 30004,
  UnknownHandset: 30005,
  Landline: 30006,
  CarrierFiltered: 30007,
  UnknownError: 30008,
} as const;

/** One of {@link TwilioErrorCode}. */
export type TwilioErrorCodeValue = (typeof TwilioErrorCode)[keyof typeof TwilioErrorCode];

/** Twilio's error body. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** Builds the REST error envelope. */
export function twilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `${TWILIO_ERRORS_SOURCE}/${code}`, status };
}

/** Short titles for the carrier codes (the status callback's `ErrorMessage` is not sent by Twilio; the phone page shows these). */
export const CARRIER_ERROR_TITLES: Readonly<Record<number, string>> = {
  30003: 'Unreachable destination handset',
  30004: 'Message blocked',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};
