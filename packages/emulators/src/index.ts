export { type Clock, createMovableClock, type MovableClock, systemClock } from './clock';
export { EmulatorConfigError, type OptionIssue } from './config-error';
export { createEmailEmulator, type EmailEmulator } from './email/emulator';
export type { ReceivedEmail } from './email/mime';
export { type EmailEmulatorOptions, EmailEmulatorOptionsSchema } from './email/options';
export type { Subscribe } from './events';
export type { RetryPolicy, WebhookOutcome } from './http/webhook-delivery';
export {
  createMessengerEmulator,
  type MessengerEmulator,
  startMessengerEmulator,
} from './messenger/emulator';
export {
  HUMAN_AGENT_HOURS,
  MESSENGER_WINDOW_HOURS,
  type MessengerEmulatorOptions,
  MessengerEmulatorOptionsSchema,
  PAGE_INBOX_APP_ID,
} from './messenger/options';
export type { MessengerPersonHandle } from './messenger/person';
export { SEND_LIMITS as MESSENGER_SEND_LIMITS } from './messenger/send-api';
export type { MessengerEntry, MessengerPerson, MetaPlatform } from './messenger/state';
export type { ConnectorFailure as TeamsConnectorFailure } from './teams/connector';
export {
  type BotAnswer,
  createTeamsEmulator,
  type TeamsEmulator,
  type TeamsEmulatorAdapterOptions,
} from './teams/emulator';
export { type TeamsEmulatorOptions, TeamsEmulatorOptionsSchema } from './teams/options';
export {
  createTwilioEmulator,
  startTwilioEmulator,
  type TwilioEmulator,
  type TwilioEmulatorEvents,
} from './twilio/emulator';
export { TWILIO_ERRORS_SOURCE, TwilioErrorCode, type TwilioErrorCodeValue } from './twilio/errors';
export { DEFAULT_STATUS_DELAYS_MS, type TwilioEmulatorOptions } from './twilio/options';
export type { SmsPhone } from './twilio/phone';
export type { ProgrammedFailure } from './twilio/rest';
export type { SmsMessage } from './twilio/state';
export {
  createWhatsAppEmulator,
  startWhatsAppEmulator,
  type WhatsAppEmulator,
} from './whatsapp/emulator';
export {
  GRAPH_ERRORS_SOURCE,
  GraphErrorCode,
  type GraphErrorCodeValue,
} from './whatsapp/errors';
export type { PersonInput, PersonMediaInput } from './whatsapp/inbound';
export {
  DEFAULT_RATE_PER_SECOND,
  DEFAULT_WINDOW_HOURS,
  type TemplateDefinition,
  type WhatsAppEmulatorOptions,
  WhatsAppEmulatorOptionsSchema,
} from './whatsapp/options';
export type { Person } from './whatsapp/person';
export type { PhoneView } from './whatsapp/phone-view';
export type {
  BusinessMessage,
  BusinessMessageStatus,
  ConversationEntry,
  GraphErrorEvent,
  InboundMessagePayload,
  PersonMessage,
  StatusEvent,
  StoredMedia,
  WebhookFailure,
  WhatsAppEmulatorEvents,
} from './whatsapp/types';
export type { MarkReadBody, SendBody } from './whatsapp/validate';
export { signBody as signWhatsAppWebhook, type WebhookVerification } from './whatsapp/webhook';
