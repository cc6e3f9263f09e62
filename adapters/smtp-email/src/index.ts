/**
 * @threadline/smtp-email: a Threadline channel adapter for email. nodemailer sends; an SMTP
 * listener (smtp-server + mailparser) or inbound-parse webhooks receive.
 */
export { createSmtpEmailAdapter, type SmtpEmailAdapter } from './adapter';
export { ATTACHMENT_MAX_BYTES, emailCapabilities, TEXT_SECTION_MAX_LENGTH } from './capabilities';
export {
  ENHANCED_STATUS_RULES,
  NODEMAILER_CODE_RULES,
  SMTP_REPLY_RULES,
  type SmtpErrorRule,
  smtpErrorRule,
} from './errors';
export {
  DEFAULT_LINK_TTL_SECONDS,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_WEBHOOK_MAX_AGE_SECONDS,
  type SmtpEmailAdapterOptions,
  SmtpEmailOptionsSchema,
} from './options';
export { LIST_UNSUBSCRIBE_POST } from './outbound';
