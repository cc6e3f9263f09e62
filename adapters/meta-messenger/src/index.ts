/**
 * @threadline/meta-messenger: a Threadline channel adapter for Facebook Messenger and Instagram
 * Direct (Meta's Messenger Platform Send API over `fetch`, no vendor SDK).
 */
export { createMetaMessengerAdapter, type MetaMessengerAdapter } from './adapter';
export {
  DEFAULT_MESSAGES_PER_SECOND,
  MEDIA_LIMITS,
  metaCapabilities,
  PLATFORM_TAGS,
  STANDARD_WINDOW_HOURS,
  TAGS,
} from './capabilities';
export {
  deliveryErrorFromSendApi,
  NO_MATCHING_USER,
  OUTSIDE_WINDOW,
  PERSON_UNAVAILABLE,
  SEND_API_ERRORS,
  type SendApiErrorRule,
  sendApiErrorRule,
} from './errors';
export {
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  MESSAGE_TAGS,
  type MessageTag,
  type MetaMessengerAdapterOptions,
  MetaMessengerOptionsSchema,
  type MetaPlatform,
  PLATFORMS,
} from './options';
