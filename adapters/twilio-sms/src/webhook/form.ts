/**
 * Twilio's webhook bodies: `application/x-www-form-urlencoded` for messaging, JSON for a few
 * newer products. Both become one parameter map; a repeated name keeps every value so the
 * signature covers exactly what arrived.
 */

/** Parameters by name. */
export type WebhookParams = Record<string, string | string[]>;

const JSON_TYPE = /^application\/json\b/i;

/** Whether the body is JSON (then the signature covers the URL and `bodySHA256`). */
export function isJsonBody(contentType: string | null): boolean {
  return contentType !== null && JSON_TYPE.test(contentType);
}

/** A form body → parameters. */
export function readForm(body: string): WebhookParams {
  const params: WebhookParams = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const known = params[name];
    if (known === undefined) params[name] = value;
    else params[name] = Array.isArray(known) ? [...known, value] : [known, value];
  }
  return params;
}

/** A JSON body → its top-level string and number fields as parameters, or `null`. */
export function readJsonParams(body: string): WebhookParams | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const params: WebhookParams = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'number') params[name] = String(value);
  }
  return params;
}

/** The one value of a parameter (the first when repeated). */
export function param(params: WebhookParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}
