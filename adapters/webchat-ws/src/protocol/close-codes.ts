/**
 * WebSocket close codes of the web chat protocol. 1000–1015 are RFC 6455's; the 4xxx range is the
 * application's own (RFC 6455 §7.4.2), numbered after the HTTP status they resemble, as graphql-ws
 * does (4400, 4401, 4408, 4429), so a client can tell "fix the request" from "try again later".
 */
export const CLOSE_CODES = {
  /** The client or server closed on purpose. */
  NORMAL: 1000,
  /** The server is shutting down or restarting: reconnect (with backoff) and resume. */
  GOING_AWAY: 1001,
  /** A frame over `maxPayload` (64 KiB by default). Sent by `ws` itself. */
  MESSAGE_TOO_BIG: 1009,
  /** The server failed to set the connection up (the store failed). Reconnect with backoff. */
  INTERNAL_ERROR: 1011,
  /** The client reads too slowly: more than 1 MiB of frames queued for it. Reconnect later. */
  TRY_AGAIN_LATER: 1013,
  /** A frame that is not JSON, not a known type, or fails its schema. Do not resend it. */
  BAD_MESSAGE: 4400,
  /** The visitor token expired while connected. Get a fresh token, then reconnect. */
  UNAUTHORIZED: 4401,
  /**
   * The token's user may not use this address: it is linked to another user (two user ids that
   * normalise to one address, or an address the host linked elsewhere). Do not reconnect with
   * the same token; the host is told through `onError` (`AddressTakenError`).
   */
  ADDRESS_TAKEN: 4403,
  /** The client heard nothing from the server for two heartbeats (set by clients). */
  IDLE_TIMEOUT: 4408,
  /** The user already has `maxConnectionsPerUser` sockets open on this server. */
  TOO_MANY_CONNECTIONS: 4409,
  /** The connection sent frames faster than `rate` allows. Reconnect after a pause. */
  RATE_LIMITED: 4429,
} as const;

/** One of {@link CLOSE_CODES}. */
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
