import { DeliveryError, normalizeAddress } from '@threadline/core';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import { toDeliveryError } from './errors';
import type { ResolvedSmtpEmailOptions } from './options';

/**
 * The provider call: one `sendMail` on a nodemailer transport (pooled SMTP unless the host passed
 * another transport), with the outcome mapped to a `SendResult` or a `DeliveryError`.
 */

/** What the SMTP server said when it took the message. */
export interface SmtpAcceptance {
  messageId: string;
  /** The server's final reply line, e.g. `250 2.0.0 OK`. */
  response: string;
}

/** A transport the adapter owns or borrows, with a way to close what it owns. */
export interface MailTransport {
  send(mail: SendMailOptions): Promise<SmtpAcceptance>;
  close(): void;
}

/**
 * Wraps the configured transport. A Transporter the host passed is used as is and not closed
 * by the adapter; SMTP settings make a pooled one the adapter closes on `stop`.
 *
 * @example
 * ```ts
 * const transport = createMailTransport({ host: 'smtp.acme.example', port: 587, secure: false, pool: true, maxConnections: 5, maxMessages: 100 }, undefined);
 * ```
 */
export function createMailTransport(
  settings: ResolvedSmtpEmailOptions['transport'],
  dkim: ResolvedSmtpEmailOptions['dkim'],
): MailTransport {
  const owned = !('sendMail' in settings);
  const transporter: Transporter = owned
    ? createTransport({
        ...settings,
        ...(settings.rateLimit === undefined ? {} : { rateDelta: 1000 }),
        ...(dkim === undefined ? {} : { dkim }),
      } as Parameters<typeof createTransport>[0])
    : settings;
  return {
    async send(mail) {
      let info: { messageId?: string; response?: string; rejected?: unknown[] };
      try {
        info = await transporter.sendMail({
          ...mail,
          ...(dkim === undefined || owned ? {} : { dkim }),
        });
      } catch (error) {
        throw toDeliveryError(error);
      }
      const refused = (info.rejected ?? []).map((entry) =>
        typeof entry === 'string' ? entry : (entry as { address?: string }).address,
      );
      // A refused cc or bcc does not fail the delivery; a refused `to` does. Compared in the core's
      // address form, not a local lower-casing, so it agrees with how the recipient was stored.
      const to = String(mail.to);
      const stored = normalizeAddress('email', to) ?? to;
      if (
        refused.some(
          (address) =>
            address !== undefined && (normalizeAddress('email', address) ?? address) === stored,
        )
      ) {
        throw new DeliveryError(`the server refused ${String(mail.to)}`, {
          category: 'unreachable',
          provider: 'smtp',
        });
      }
      return {
        messageId: info.messageId ?? String(mail.messageId),
        response: info.response ?? '',
      };
    },
    close() {
      if (owned) transporter.close();
    },
  };
}
