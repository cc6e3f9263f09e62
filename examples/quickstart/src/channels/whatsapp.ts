import { startWhatsAppEmulator, type WhatsAppEmulator } from '@threadline/emulators';
import { createWhatsAppCloudAdapter } from '@threadline/whatsapp-cloud';
import {
  BUSINESS_NAME,
  DEMO_PHONE_PATH,
  DEMO_USER,
  RE_ENGAGEMENT_TEMPLATE,
  WHATSAPP,
} from '../config';
import { sendProactiveWhatsApp } from '../proactive';
import type { ChannelModule, ChannelPanel } from './types';

/** Test settings of the WhatsApp emulator (`autoRead`, faster `statusDelaysMs`). */
export interface WhatsAppSettings {
  autoRead?: boolean;
  statusDelaysMs?: { sent?: number; delivered?: number; read?: number };
}

export interface WhatsAppPanel extends ChannelPanel {
  emulator: WhatsAppEmulator;
}

/**
 * WhatsApp: the emulator plays Meta (Graph API, signed webhooks, Ann's phone) on the demo's
 * clock, so "skip 25 hours" closes the window for both sides at once. Ann is found by the number
 * on her user (`phoneNumbers`), so no link is needed.
 */
export const whatsappChannel: ChannelModule<WhatsAppPanel> = {
  name: 'whatsapp',
  title: 'WhatsApp',
  async start({ clock, settings }) {
    const test = (settings.whatsapp ?? {}) as WhatsAppSettings;
    const emulator = await startWhatsAppEmulator({
      phoneNumberId: WHATSAPP.phoneNumberId,
      accessToken: WHATSAPP.accessToken,
      appSecret: WHATSAPP.appSecret,
      verifyToken: WHATSAPP.verifyToken,
      clock,
      businessName: BUSINESS_NAME,
      // The phone's back arrow (and the picker's) lead to the demo's home page.
      homeUrl: '/',
      templates: [{ ...RE_ENGAGEMENT_TEMPLATE, buttons: [...RE_ENGAGEMENT_TEMPLATE.buttons] }],
      ...(test.autoRead === undefined ? {} : { autoRead: test.autoRead }),
      ...(test.statusDelaysMs
        ? {
            statusDelaysMs: {
              sent: test.statusDelaysMs.sent ?? 50,
              delivered: test.statusDelaysMs.delivered ?? 150,
              read: test.statusDelaysMs.read ?? 400,
            },
          }
        : {}),
    });
    // Ann's phone, with her name (WhatsApp sends it as the profile name with her messages).
    emulator.receiveFrom(DEMO_USER.phoneNumber, { name: DEMO_USER.displayName });
    // The production adapter, pointed at the emulator.
    const adapter = createWhatsAppCloudAdapter({
      id: WHATSAPP.adapterId,
      phoneNumberId: WHATSAPP.phoneNumberId,
      accessToken: WHATSAPP.accessToken,
      appSecret: WHATSAPP.appSecret,
      verifyToken: WHATSAPP.verifyToken,
      baseUrl: emulator.url,
      reEngagementTemplate: {
        name: RE_ENGAGEMENT_TEMPLATE.name,
        languageCode: RE_ENGAGEMENT_TEMPLATE.language,
        category: RE_ENGAGEMENT_TEMPLATE.category,
      },
      clock,
    });
    return {
      emulator,
      adapters: [adapter],
      pagePath: DEMO_PHONE_PATH,
      caption: `WhatsApp (emulated phone, ${DEMO_USER.phoneNumber})`,
      proxies: [{ prefix: '/phone', target: () => emulator.url, name: 'WhatsApp' }],
      actions: [
        {
          id: 'proactive-whatsapp',
          label: 'Send proactive WhatsApp message',
          hint: 'Within 24 h of her last WhatsApp message it goes out; after that the text is held behind the reopen_chat template',
          run: ({ userId, threadline }) => sendProactiveWhatsApp(threadline, userId),
        },
      ],
      knownAddresses: () =>
        emulator.people().map((person) => ({ channel: 'whatsapp', address: `+${person.waId}` })),
      async connect(context) {
        // Meta's "callback URL": the emulator posts Ann's messages and statuses to our webhook,
        // after the same hub.challenge handshake Meta performs.
        emulator.setWebhookUrl(`${context.baseUrl}/webhooks/${WHATSAPP.adapterId}`);
        const verification = await emulator.verifyWebhook();
        if (!verification.ok)
          throw new Error(`WhatsApp webhook verification failed: ${verification.status}`);
        // The emulator starts empty; the store remembers when Ann last wrote on WhatsApp. Without
        // this, a restart within her window would have the core send free-form text that the
        // emulator refuses (131047), which her real phone would never show.
        const entries = await context.threadline.users.get(context.userId).thread({ latest: 200 });
        const last = entries.findLast(
          (entry) => entry.direction === 'inbound' && entry.channel === 'whatsapp',
        );
        if (last) emulator.restoreWindow(DEMO_USER.phoneNumber, last.at.getTime());
      },
      stop: () => emulator.stop(),
    };
  },
};
