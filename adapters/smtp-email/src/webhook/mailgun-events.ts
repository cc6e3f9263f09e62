import type { EventSink } from '@threadline/core';
import { z } from 'zod';
import { smtpErrorRule } from '../errors';

/**
 * Mailgun's event webhooks for `failed` deliveries: `severity: permanent` is a bounce (the
 * delivery fails with the remote server's SMTP code); `temporary` means Mailgun is still retrying,
 * so nothing changes yet. The Message-ID comes without angle brackets.
 * Source: https://documentation.mailgun.com/docs/mailgun/user-manual/events/webhooks
 */

export const MailgunEventSchema = z.object({
  signature: z.object({ timestamp: z.string(), token: z.string(), signature: z.string() }),
  'event-data': z.object({
    event: z.string(),
    severity: z.string().optional(),
    recipient: z.string().optional(),
    timestamp: z.number().optional(),
    message: z.object({ headers: z.object({ 'message-id': z.string() }).partial() }).optional(),
    'delivery-status': z
      .object({
        code: z.number().optional(),
        message: z.string().optional(),
        description: z.string().optional(),
      })
      .optional(),
  }),
});

export type MailgunEvent = z.infer<typeof MailgunEventSchema>;

/**
 * Emits the status (and, for a mailbox that does not exist, the suppression) of one event.
 *
 * @example
 * ```ts
 * await emitMailgunEvent(sink, 'email', MailgunEventSchema.parse(json), new Date());
 * ```
 */
export async function emitMailgunEvent(
  sink: EventSink,
  adapterId: string,
  event: MailgunEvent,
  now: Date,
): Promise<void> {
  const data = event['event-data'];
  const base = { adapterId, channel: 'email' as const };
  const id = data.message?.headers['message-id'];
  if (data.event !== 'failed' || data.severity !== 'permanent' || id === undefined) {
    await sink.emit({
      ...base,
      type: 'unsupported',
      reason: `mailgun event ${data.event}${data.severity ? ` (${data.severity})` : ''} changes no delivery`,
      raw: JSON.parse(JSON.stringify(data)),
      timestamp: now,
    });
    return;
  }
  const status = data['delivery-status'];
  const detail = status?.message || status?.description;
  const rule = smtpErrorRule(status?.code, detail);
  const category = rule?.category ?? 'unknown';
  await sink.emit({
    ...base,
    type: 'status',
    providerMessageId: id.startsWith('<') ? id : `<${id}>`,
    status: 'failed',
    timestamp: data.timestamp === undefined ? now : new Date(data.timestamp * 1000),
    ...(data.recipient === undefined ? {} : { address: data.recipient }),
    error: {
      category,
      providerCode: String(status?.code ?? 'bounce'),
      ...(rule === undefined ? {} : { title: rule.title }),
      ...(detail === undefined ? {} : { detail }),
    },
  });
  if (category === 'unreachable' && data.recipient !== undefined) {
    await sink.emit({
      ...base,
      type: 'opt-out',
      from: { address: data.recipient },
      timestamp: now,
      keyword: `bounce ${status?.code ?? ''}`.trim(),
    });
  }
}
