import type { FlowPart } from '@threadline/core';
import { INTERACTIVE_BODY_MAX } from './choices';
import { fallbackMessages, type GraphMessage, type TextOptions } from './text';

/**
 * `::: flow` → an interactive Flow message: a button that opens a WhatsApp Flow (a native form).
 * `flow_id` and `flow_cta` are required by the block; `screen` makes it open on that screen.
 */

/**
 * Longest Flow button label (`flow_cta`).
 * Source: https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow
 */
export const FLOW_CTA_MAX = 20;
/**
 * Longest header and footer text of an interactive message.
 * Source: https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow
 */
export const FLOW_HEADER_MAX = 60;
/**
 * The Flow message version this renderer writes.
 * Source: https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow
 */
export const FLOW_MESSAGE_VERSION = '3';

/** `key=value` lines of the block that are Flow parameters rather than screen data. */
const PARAMETER_KEYS = new Set(['flow_token', 'flow_action', 'mode', 'flow_message_version']);

function parameters(part: FlowPart, deliveryId: string): Record<string, unknown> {
  const extra = part.extra ?? {};
  const data = Object.fromEntries(Object.entries(extra).filter(([k]) => !PARAMETER_KEYS.has(k)));
  // A screen means "open there" (navigate); without one the Flow's endpoint picks the screen.
  const action = extra.flow_action ?? (part.screen === undefined ? 'data_exchange' : 'navigate');
  return {
    flow_message_version: extra.flow_message_version ?? FLOW_MESSAGE_VERSION,
    // The token comes back with the user's answers; the delivery id ties them to this message.
    flow_token: extra.flow_token ?? deliveryId,
    flow_id: part.flowId,
    flow_cta: part.cta,
    flow_action: action,
    ...(extra.mode === undefined ? {} : { mode: extra.mode }),
    ...(action === 'navigate' && part.screen !== undefined
      ? {
          flow_action_payload: {
            screen: part.screen,
            ...(Object.keys(data).length > 0 ? { data } : {}),
          },
        }
      : {}),
  };
}

/**
 * A Flow block as an interactive Flow message. The body is the block's `body`, else `lead` (the
 * text the agent wrote right before it, which the caller passes only to a block without a body),
 * else the button label (WhatsApp requires a body). A header, footer
 * or body over WhatsApp's limits makes the block text instead, so nothing is cut. Keys other
 * than `flow_token`, `flow_action`, `mode` and `flow_message_version` become the screen's `data`.
 *
 * @example
 * ```ts
 * renderFlow({ type: 'flow', flowId: '123', cta: 'Book', screen: 'START' }, undefined, 'd1', options);
 * // [{ type: 'interactive', interactive: { type: 'flow', body: { text: 'Book' }, action: { name: 'flow',
 * //    parameters: { flow_message_version: '3', flow_token: 'd1', flow_id: '123', flow_cta: 'Book',
 * //      flow_action: 'navigate', flow_action_payload: { screen: 'START' } } } } }]
 * ```
 */
export function renderFlow(
  part: FlowPart,
  lead: string | undefined,
  deliveryId: string,
  options: TextOptions,
): GraphMessage[] {
  const body = part.body ?? lead ?? part.cta;
  const tooLong =
    body.length > INTERACTIVE_BODY_MAX ||
    (part.header?.length ?? 0) > FLOW_HEADER_MAX ||
    (part.footer?.length ?? 0) > FLOW_HEADER_MAX;
  if (tooLong) return fallbackMessages(part, lead, options);
  return [
    {
      type: 'interactive',
      interactive: {
        type: 'flow',
        ...(part.header === undefined ? {} : { header: { type: 'text', text: part.header } }),
        body: { text: body },
        ...(part.footer === undefined ? {} : { footer: { text: part.footer } }),
        action: { name: 'flow', parameters: parameters(part, deliveryId) },
      },
    },
  ];
}
