import { startTwilioEmulator, type TwilioEmulator } from '@threadline/emulators';
import { createTwilioSmsAdapter } from '@threadline/twilio-sms';
import { BUSINESS_NAME, DEMO_USER, TWILIO } from '../config';
import type { ChannelModule, ChannelPanel } from './types';

export interface SmsPanel extends ChannelPanel {
  emulator: TwilioEmulator;
}

/** What the inspector's SMS button sends. */
export const DEMO_SMS_TEXT = 'Tea room: your table for 2 is booked for 8pm tonight. Reply to chat.';

/**
 * SMS: the Twilio emulator plays Twilio (REST API, signed webhooks, status callbacks, carrier
 * opt-out keywords) and Ann's SMS phone, on the demo's clock. The adapter is the production one
 * with its `baseUrl` pointed at the emulator.
 *
 * Ann's SMS number is her WhatsApp number, and that links them: SMS and WhatsApp identities are
 * phone numbers (capability `identity: 'phone'`), and the core resolves a number to the user who
 * has it in `phoneNumbers`. So nothing is linked here: her first SMS from +447700900123 lands in
 * `demo-ann`'s thread, and a send to `{ userId }` on SMS goes to that number. It is automatic
 * because the number is on the user (a verified contact point in a real app); an unknown number
 * becomes a new user, never merged by guess.
 */
export const smsChannel: ChannelModule<SmsPanel> = {
  name: 'sms',
  title: 'SMS',
  async start({ baseUrl, clock }) {
    const emulator = await startTwilioEmulator({
      accountSid: TWILIO.accountSid,
      authToken: TWILIO.authToken,
      numbers: [TWILIO.from],
      clock,
      businessName: BUSINESS_NAME,
      // The phone is on its own port: its back arrow goes to the demo's home page.
      homeUrl: `${baseUrl}/`,
    });
    const adapter = createTwilioSmsAdapter({
      id: TWILIO.adapterId,
      accountSid: TWILIO.accountSid,
      authToken: TWILIO.authToken,
      from: TWILIO.from,
      baseUrl: emulator.url,
      webhookUrl: `${baseUrl}/webhooks/${TWILIO.adapterId}`,
      // Twilio's webhooks carry no time: the adapter stamps them, on the demo's clock.
      clock,
    });
    return {
      emulator,
      adapters: [adapter],
      // Its page is at `/phone`, which the demo gives WhatsApp's phone: linked on its own port.
      pagePath: emulator.phonePageUrl(DEMO_USER.phoneNumber),
      caption: `SMS (emulated phone, ${DEMO_USER.phoneNumber}, the same number)`,
      actions: [
        {
          id: 'sms',
          label: 'Send SMS',
          hint: 'SMS reaches anyone at any hour; after she texts STOP the core refuses it (OptedOutError)',
          run: ({ userId, threadline }) =>
            threadline.channels.send({ channel: 'sms', to: { userId }, text: DEMO_SMS_TEXT }),
        },
      ],
      knownAddresses: () => [{ channel: 'sms', address: DEMO_USER.phoneNumber }],
      async connect({ baseUrl: base }) {
        emulator.setWebhookUrl(`${base}/webhooks/${TWILIO.adapterId}`);
      },
      stop: () => emulator.stop(),
    };
  },
};
