export type { DeliveriesApi } from './deliveries';
export type { ThreadlineEventMap, ThreadlineEventName, ThreadlineListener } from './events';
export type { NodeHandler } from './http/node';
export { BodyConsumedError, type RawBody } from './http/raw-body';
export type { FetchOptions } from './http/router';
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
export type {
  BulkTemplateInput,
  BulkTemplateSender,
  TemplatesApi,
} from './outbound/bulk/templates';
export { BULK_MAX_RECIPIENTS } from './outbound/bulk/templates';
export type { BulkError, BulkProgress, BulkResult, BulkSummary } from './outbound/bulk/types';
export type { ChannelsApi, TemplateSender } from './outbound/channels';
export { US_MARKETING_PAUSE_PREFIX } from './outbound/hold';
export type {
  ChannelSendInput,
  EmailSendInput,
  RecipientInput,
  SendOptions,
  TemplateSendInput,
} from './outbound/schemas';
export type { ClosedWindowBehaviour, ReplyOptions, SendOutput } from './outbound/types';
export { isWindowOpen, windowClosesAt } from './outbound/window';
export { retryDelayMs } from './outbox/backoff';
export { createThreadline, type Threadline } from './threadline';
export type { UserHandle, UserMessage, UsersApi } from './users';
