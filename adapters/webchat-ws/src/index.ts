/**
 * @threadline/webchat-ws: web chat for Threadline over WebSocket (`ws`). The browser client lives
 * in the `@threadline/webchat-ws/client` subpath.
 */
export {
  createWebChatAdapter,
  type ListeningAddress,
  type ListenOptions,
  type WebChatAdapter,
} from './adapter';
export {
  createVisitorToken,
  DEFAULT_KEY_SET_ALGORITHMS,
  DEFAULT_TOKEN_TTL_SECONDS,
  type KeySetAlgorithm,
  TOKEN_AUDIENCE,
  type TokenClockOptions,
  type VisitorIdentity,
  type VisitorTokenInput,
  type VisitorTokenKeys,
  verifyVisitorToken,
} from './auth/token';
export { WEBCHAT_TEXT_MAX_LENGTH, webChatCapabilities } from './capabilities';
export { VisitorTokenError, type VisitorTokenProblem } from './errors';
export {
  DEFAULT_MAX_PAYLOAD,
  SECRET_ENV,
  type WebChatAdapterOptions,
  WebChatAdapterOptionsSchema,
} from './options';
export { CLOSE_CODES, type CloseCode } from './protocol/close-codes';
export type * from './protocol/frames';
export { PROTOCOL_VERSION } from './protocol/frames';
