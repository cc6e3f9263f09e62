/**
 * @threadline/teams: a Threadline channel adapter for Microsoft Teams on botbuilder's
 * `CloudAdapter`: warm-only proactive sends from stored conversation references, Adaptive Cards.
 */
export { createTeamsAdapter, type TeamsAdapter } from './adapter';
export {
  APP_MESSAGES_PER_SECOND,
  PER_CONVERSATION_RATE,
  TEXT_MAX_LENGTH,
  teamsCapabilities,
} from './capabilities';
export { CONNECTOR_CODE_RULES, CONNECTOR_STATUS_RULES, toDeliveryError } from './errors';
export {
  APP_TYPES,
  DEFAULT_LOGIN_URL,
  DEFAULT_OAUTH_SCOPE,
  DEFAULT_OPENID_METADATA_URL,
  DEFAULT_SERVICE_URLS,
  DEFAULT_TOKEN_ISSUER,
  ENV_FALLBACKS,
  type TeamsAdapterOptions,
  TeamsOptionsSchema,
} from './options';
export {
  ADAPTIVE_CARD_CONTENT_TYPE,
  ADAPTIVE_CARD_VERSION,
  type AdaptiveCard,
  CARD_ACTIONS_MAX,
  CARD_ITEMS_MAX,
  EXECUTE_VERB,
  renderCards,
} from './render/cards';
export { STREAM_UPDATE_INTERVAL_MS } from './stream';
