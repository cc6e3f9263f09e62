/**
 * The demo's fixed settings. Everything is local: the "credentials" below are only ever checked
 * by the WhatsApp emulator running in this process, never by Meta.
 */

/** The person the demo is about: one user, known on web chat by id and on WhatsApp by number. */
export const DEMO_USER = {
  id: 'demo-ann',
  displayName: 'Ann',
  /** An Ofcom drama number (07700 900xxx): reserved for fiction, never a real phone. */
  phoneNumber: '+447700900123',
} as const;

/** The business Ann talks to: the phones' chat title and avatar, the email sender's name. */
export const BUSINESS_NAME = 'Tea room';

/** The agent whose threads these are (one thread per user ↔ agent). */
export const AGENT_ID = 'quickstart';

/** What the WhatsApp emulator and the adapter agree on, as a Meta app and a real number would. */
export const WHATSAPP = {
  adapterId: 'whatsapp',
  phoneNumberId: '106540352242922',
  accessToken: 'demo-access-token',
  appSecret: 'demo-app-secret',
  verifyToken: 'demo-verify-token',
} as const;

/**
 * The template the core sends when free-form text meets a closed 24-hour window. UTILITY, because
 * Meta does not deliver MARKETING templates to US (+1) numbers.
 */
export const RE_ENGAGEMENT_TEMPLATE = {
  name: 'reopen_chat',
  language: 'en_US',
  category: 'UTILITY',
  body: 'Hi! We have an update about your booking. Reply to see it.',
  buttons: ['Show me'],
} as const;

/** Signs web chat visitor tokens. A demo value: production reads `THREADLINE_WEBCHAT_SECRET`. */
export const WEBCHAT_SECRET = 'threadline-quickstart-demo-secret-not-for-production';

/** Visitor tokens live an hour; the widget asks `/chat-token` for a new one when it expires. */
export const CHAT_TOKEN_TTL_SECONDS = 3600;

/** "Skip 25 hours": one hour more than WhatsApp's 24-hour customer service window. */
export const SKIP_MS = 25 * 3_600_000;

/** Where the demo listens unless told otherwise. */
export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_DIR = '.threadline';

/** Ann's phone on the emulator's phone page, served through the demo's own port. */
export const DEMO_PHONE_PATH = `/phone?number=${encodeURIComponent(DEMO_USER.phoneNumber)}`;

/** Ann's inbox and the agent's addresses, all checked only by the email emulator in this process. */
export const EMAIL = {
  ann: 'ann@example.com',
  from: 'Tea room <agent@acme.example>',
  agent: 'agent@acme.example',
  replyAddress: 'reply@acme.example',
  /** Signs the one-click unsubscribe links. A demo value, at least 32 characters. */
  linkSecret: 'threadline-quickstart-email-link-secret',
} as const;

/** The Facebook Page and its Instagram account, as the Messenger emulator and the adapters agree. */
export const META = {
  pageId: '107000000000001',
  instagramAccountId: '17841400000000001',
  appId: '1517776481860111',
  pageAccessToken: 'demo-page-access-token',
  appSecret: 'demo-meta-app-secret',
  verifyToken: 'demo-meta-verify-token',
} as const;

/** The Teams bot, as the Teams emulator and the adapter agree (checked only in this process). */
export const TEAMS = {
  adapterId: 'teams',
  appId: '9a1b2c3d-0000-4000-8000-00000000d3e0',
  appPassword: 'demo-teams-app-password',
} as const;

/** The Twilio account and number, as the Twilio emulator and the SMS adapter agree. */
export const TWILIO = {
  adapterId: 'sms',
  accountSid: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  authToken: 'demo-twilio-auth-token',
  /** Twilio's documentation example number: the tea room's SMS sender. */
  from: '+15017122661',
} as const;
