export { normalizeAddress } from './address';
export type { DeliveriesApi } from './deliveries';
export { type Deprecation, warnDeprecated } from './deprecation';
export type { ThreadlineEventMap, ThreadlineEventName, ThreadlineListener } from './events';
export {
  type HealthApi,
  type HealthCheck,
  type HealthReport,
  READINESS_STORE_TIMEOUT_MS,
} from './health';
export type { NodeHandler } from './http/node';
export { BodyConsumedError, type RawBody } from './http/raw-body';
export { type FetchOptions, splitRoute } from './http/router';
export { consentKeyword } from './inbound/consent-keywords';
export { HUMAN_AGENT_AUTHOR } from './inbound/echo';
export type { AgentTurn, TurnMessage, TurnThread } from './inbound/turn';
export {
  type CreateJobInput,
  type JobContext,
  type JobDefinitionInput,
  type JobHandler,
  type JobRetry,
  type JobSchedule,
  type JobsApi,
  JobTimeoutError,
} from './jobs/index';
export type { ErrorContext, ThreadlineOptions } from './options';
export type { BulkPhoneNumbers } from './outbound/bulk/source';
export type {
  BulkTemplateInput,
  BulkTemplateSender,
  LegacyBulkTemplateOptions,
  TemplatesApi,
} from './outbound/bulk/templates';
export { BULK_MAX_RECIPIENTS, CAMPAIGN_KEY_MAX_LENGTH } from './outbound/bulk/templates';
export type {
  BulkError,
  BulkOutcome,
  BulkProgress,
  BulkResult,
  BulkSummary,
} from './outbound/bulk/types';
export type { ChannelsApi, TemplateSender } from './outbound/channels';
export {
  type MarketingToUsNumberBehaviour,
  US_MARKETING_PAUSE_PREFIX,
} from './outbound/marketing';
export { isWarm } from './outbound/policy';
export {
  type HeldOutput,
  type QueuedOutput,
  type ScheduledOutput,
  SEND_WARNING_CODES,
  type SendOutcome,
  type SendOutput,
  type SendOutputBase,
  type SendWarning,
  type SendWarningCode,
  type SentOutput,
} from './outbound/result';
export {
  type ChannelSendInput,
  type ChannelTemplateSendInput,
  type EmailSendInput,
  type LegacyTemplateSendInput,
  type RecipientInput,
  SenderSchema,
  type SendOptions,
  TEMPLATE_CATEGORIES,
  type TemplateInput,
  TemplateInputSchema,
  type TemplateSendInput,
} from './outbound/schemas';
export type { ClosedWindowBehaviour, ReplyOptions } from './outbound/types';
export { isWindowOpen, usableWindowTag, windowClosesAt } from './outbound/window';
export { retryDelayMs } from './outbox/backoff';
export { createThreadline, type Threadline } from './threadline';
export type { UserHandle, UserMessage, UsersApi } from './users';
