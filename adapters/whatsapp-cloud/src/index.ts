/**
 * @threadline/whatsapp-cloud: a Threadline channel adapter for the WhatsApp Cloud API (Meta's
 * Graph API over `fetch`, no vendor SDK).
 */

export { HUB_SIGNATURE_HEADER as SIGNATURE_HEADER } from '@threadline/core';
export { createWhatsAppCloudAdapter, type WhatsAppCloudAdapter } from './adapter';
export {
  CUSTOMER_SERVICE_WINDOW_HOURS,
  DEFAULT_MESSAGES_PER_SECOND,
  MAX_MESSAGES_PER_SECOND,
  PAIR_RATE_LIMIT,
  whatsAppCapabilities,
} from './capabilities';
export {
  GRAPH_ERROR_CODES,
  GRAPH_ERROR_RANGES,
  type GraphErrorRule,
  graphErrorRule,
  PAIR_RATE_LIMIT_RETRY_MS,
} from './errors';
export type { DownloadedMedia } from './media-download';
export {
  createWhatsAppCloudAdapters,
  type WhatsAppCloudNumberOptions,
  type WhatsAppCloudNumbersOptions,
} from './numbers';
export {
  DEFAULT_API_VERSION,
  DEFAULT_BASE_URL,
  ENV_FALLBACKS,
  type WhatsAppCloudAdapterOptions,
  WhatsAppCloudOptionsSchema,
} from './options';
export { THROUGHPUT_JITTER_MS, THROUGHPUT_WINDOW_MS } from './throughput';
