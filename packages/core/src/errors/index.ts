export { AddressTakenError } from './address-taken';
export {
  DELIVERY_ERROR_CATEGORIES,
  type DeliveryErrorCategory,
  type ErrorCategory,
} from './categories';
export { DeliveryError, type DeliveryErrorOptions } from './delivery';
export { MarketingToUsNumberError } from './marketing';
export {
  NotFoundError,
  NotReachableError,
  OptedOutError,
  type PolicyErrorContext,
  StoreError,
  WindowClosedError,
} from './policy';
export { parseRetryAfter } from './retry-after';
export { SEND_TIMEOUT_CODE, SendTimeoutError } from './send-timeout';
export {
  isThreadlineError,
  ThreadlineError,
  type ThreadlineErrorOptions,
} from './threadline-error';
export { type DeadTurnContext, DeadTurnError } from './turns';
export {
  ConfigError,
  type FieldIssue,
  issuesFromZod,
  parseInput,
  parseOptions,
  ValidationError,
} from './validation';
