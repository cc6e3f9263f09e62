export { createRelayAdapter } from './adapter';
export { relayCapabilities } from './capabilities';
export type { RelayAdapterOptions } from './options';
export { RELAY_SECRET_HEADER } from './webhook';
