/**
 * @threadline/core: the contracts every adapter and store implements, the message model, the
 * `:::` component parser and renderer, and the error taxonomy.
 */
export {
  type AdapterActions,
  type AdapterContext,
  type BuiltInChannel,
  CHANNELS,
  type ChannelAdapter,
  type ChannelName,
  type SendOptions,
  type WebhookContext,
} from './adapter/contract';
export { withEnvironmentFallbacks } from './adapter/environment';
export {
  abortError,
  callWithTimeout,
  type HttpCallOptions,
  networkDeliveryError,
  REMEMBERED_MAX,
  rememberBounded,
} from './adapter/http';
export type { HttpAnswer } from './adapter/node-transport';
export { createSentParts, type SentParts } from './adapter/sent-parts';
export { defineCapabilities } from './capabilities/define';
export { capabilityFieldDocs } from './capabilities/docs';
export {
  ADDRESS_KINDS,
  type AddressKind,
  type Capabilities,
  CapabilitiesSchema,
  type ComponentSupport,
  MEDIA_KINDS,
  type MediaKind,
  type MediaLimits,
  type OptOutKeywords,
  type RateLimits,
  RECEIPT_KINDS,
  type SessionWindow,
  type WindowTag,
} from './capabilities/schema';
export * from './components/index';
export * from './errors/index';
export type {
  ConsentEvent,
  ConversationUpdateEvent,
  EchoEvent,
  EmitReceipt,
  EventSink,
  InboundEvent,
  InboundEventType,
  MessageEvent,
  ReactionEvent,
  StatusEvent,
  TypingEvent,
  UnsupportedEvent,
  WatermarkStatusEvent,
} from './events/inbound-events';
export {
  E164_PATTERN,
  isPhoneRegion,
  normalizeEmail,
  type PhoneOptions,
  type PhoneRegion,
  toE164,
} from './message/address';
export {
  type BoundedJson,
  boundJson,
  MAX_STORED_JSON_BYTES,
  MAX_STORED_JSON_DEPTH,
  TRUNCATED_MARKER_KEY,
  type TruncationReason,
} from './message/bounded-json';
export type { InboundMessage, Location, Sender } from './message/inbound';
export type { JsonObject, JsonValue } from './message/json';
export { type Media, MediaSchema } from './message/media';
export type {
  EmailFields,
  OutboundEnvelope,
  Recipient,
  SendResult,
  TemplateMessage,
} from './message/outbound';
export {
  canAdvanceStatus,
  DELIVERY_STATUSES,
  type DeliveryStatus,
  isTerminalStatus,
} from './message/status';
export * from './runtime/index';
export * from './store/index';
export { type Clock, systemClock } from './time/clock';
export { type Logger, silentLogger } from './time/logger';
export { ClockOptionSchema, FetchOptionSchema } from './time/option-schemas';
export * from './webhook/index';
