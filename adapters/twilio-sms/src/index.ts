/**
 * @threadline/twilio-sms: a Threadline channel adapter for SMS and MMS through Twilio
 * Programmable Messaging, on the `twilio` SDK (signature checks and the REST client).
 */
export { createTwilioSmsAdapter, type TwilioSmsAdapter } from './adapter';
export {
  DEFAULT_MESSAGES_PER_SECOND,
  MMS_MAX_BYTES,
  MMS_MAX_MEDIA,
  OPT_OUT_KEYWORDS,
  twilioSmsCapabilities,
} from './capabilities';
export {
  ERROR_CARRIER_FILTERED,
  ERROR_INVALID_TO,
  ERROR_LANDLINE,
  ERROR_NOT_MOBILE,
  ERROR_OPTED_OUT,
  ERROR_REGION_NOT_ENABLED,
  ERROR_TOO_MANY_REQUESTS,
  ERROR_UNKNOWN,
  ERROR_UNKNOWN_HANDSET,
  ERROR_UNREACHABLE_HANDSET,
  TWILIO_ERROR_CODES,
  type TwilioErrorRule,
  twilioErrorRule,
} from './errors';
export {
  DEFAULT_MMS_COUNTRIES,
  ENV_FALLBACKS,
  type TwilioSmsAdapterOptions,
  TwilioSmsOptionsSchema,
} from './options';
export {
  countSegments,
  GSM7_PER_PART,
  GSM7_SINGLE,
  isGsm7,
  type SegmentCount,
  SMS_MAX_BODY,
  SMS_MAX_PARTS,
  UCS2_PER_PART,
  UCS2_SINGLE,
} from './segments';
export { CHOICE_LOOKBACK_ENTRIES } from './webhook/choices';
export { SIGNATURE_HEADER } from './webhook/verify';
