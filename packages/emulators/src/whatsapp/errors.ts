import { randomBytes } from 'node:crypto';

/**
 * Meta's error-code reference. Titles and HTTP statuses come from it as reproduced by ycloud;
 * the codes marked "unconfirmed" in our provider fact sheet keep Meta's usual 400.
 */
export const GRAPH_ERRORS_SOURCE =
  'https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes';

/** The Graph error codes the emulator produces, by name. */
export const GraphErrorCode = {
  /** Invalid or expired access token. */
  AccessTokenInvalid: 190,
  /** Invalid parameter: bad JSON, unknown keys, wrong types, unknown object ids. */
  InvalidParameter: 100,
  /** Unknown path components (a route the Graph API does not have). */
  UnknownPath: 2500,
  /** Cloud API throughput (messages per second per number) exceeded. */
  RateLimitHit: 130429,
  /** A required parameter is missing. */
  RequiredParameterMissing: 131008,
  /** A parameter value is not valid (too long, too many buttons, a bad enum value). */
  ParameterValueInvalid: 131009,
  /** Free-form message more than 24 hours after the person last wrote. */
  ReEngagementMessage: 131047,
  /** The uploaded media could not be used (wrong type, empty file). */
  MediaUploadError: 131053,
  /** Template parameter count does not match the template. */
  TemplateParamCountMismatch: 132000,
  /** The template does not exist in that language (or is not approved). */
  TemplateDoesNotExist: 132001,
} as const;

/** One of the {@link GraphErrorCode} values. */
export type GraphErrorCodeValue = (typeof GraphErrorCode)[keyof typeof GraphErrorCode];

interface GraphErrorInfo {
  title: string;
  httpStatus: number;
  /** Graph's exception type: most WhatsApp errors are reported as OAuthException. */
  type: string;
}

// A table rather than a switch, so adding a code is one line (STYLE.md: errors as a table).
const GRAPH_ERRORS: Record<GraphErrorCodeValue, GraphErrorInfo> = {
  190: {
    title: 'Invalid OAuth access token - Cannot parse access token',
    httpStatus: 401,
    type: 'OAuthException',
  },
  100: { title: 'Invalid parameter', httpStatus: 400, type: 'OAuthException' },
  2500: { title: 'Unknown path components', httpStatus: 400, type: 'OAuthException' },
  130429: { title: 'Rate limit hit', httpStatus: 429, type: 'OAuthException' },
  131008: { title: 'Required parameter is missing', httpStatus: 400, type: 'OAuthException' },
  131009: { title: 'Parameter value is not valid', httpStatus: 400, type: 'OAuthException' },
  131047: { title: 'Re-engagement message', httpStatus: 400, type: 'OAuthException' },
  131053: { title: 'Media upload error', httpStatus: 400, type: 'OAuthException' },
  132000: {
    title: 'Number of parameters does not match the expected number of params',
    httpStatus: 400,
    type: 'OAuthException',
  },
  132001: {
    title: 'Template name does not exist in the translation',
    httpStatus: 404,
    type: 'OAuthException',
  },
};

/** Meta's wording for the closed-window refusal, reused by the synchronous and the webhook form. */
export const RE_ENGAGEMENT_DETAILS =
  'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';

/** A Graph error ready to send: the HTTP status and the `{ error: … }` envelope. */
export interface GraphErrorResponse {
  status: number;
  body: {
    error: {
      message: string;
      type: string;
      code: number;
      error_subcode?: number;
      error_data?: { messaging_product: 'whatsapp'; details: string };
      fbtrace_id: string;
    };
  };
  headers: Record<string, string>;
}

/** A trace id shaped like Graph's (opaque, ~23 URL-safe characters). */
export function fbtraceId(): string {
  return `A${randomBytes(17).toString('base64url')}`;
}

/**
 * Builds a Graph error envelope the way the Cloud API answers: `(#code) title` as the message and
 * the specific reason in `error_data.details`, which is what adapters should key on after `code`.
 *
 * @example
 * ```ts
 * const { status, body } = graphError(GraphErrorCode.ReEngagementMessage, RE_ENGAGEMENT_DETAILS);
 * // status 400, body.error.code 131047
 * ```
 */
export function graphError(
  code: GraphErrorCodeValue,
  details?: string,
  options: { subcode?: number; message?: string } = {},
): GraphErrorResponse {
  const info = GRAPH_ERRORS[code];
  // Token errors carry no error_data and no "(#190)" prefix, exactly like Graph's.
  const message = options.message ?? (code === 190 ? info.title : `(#${code}) ${info.title}`);
  const headers: Record<string, string> =
    code === 190
      ? { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${info.title}"` }
      : {};
  return {
    status: info.httpStatus,
    headers,
    body: {
      error: {
        message,
        type: info.type,
        code,
        ...(options.subcode === undefined ? {} : { error_subcode: options.subcode }),
        ...(details === undefined || code === 190
          ? {}
          : { error_data: { messaging_product: 'whatsapp' as const, details } }),
        fbtrace_id: fbtraceId(),
      },
    },
  };
}

/** Graph's answer for an object id that is not there (an unknown phone-number or media id). */
export function unknownObject(id: string, method: string): GraphErrorResponse {
  return graphError(GraphErrorCode.InvalidParameter, undefined, {
    subcode: 33,
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  });
}

/** The error object inside a `failed` status webhook (`statuses[].errors[]`). */
export interface StatusError {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href: string;
}

/** Builds the `errors[]` item of a failed status for `code`. */
export function statusError(code: GraphErrorCodeValue, details: string): StatusError {
  const { title } = GRAPH_ERRORS[code];
  return { code, title, message: title, error_data: { details }, href: GRAPH_ERRORS_SOURCE };
}

/** The title of a code, for the phone page and inbox entries. */
export function graphErrorTitle(code: GraphErrorCodeValue): string {
  return GRAPH_ERRORS[code].title;
}
