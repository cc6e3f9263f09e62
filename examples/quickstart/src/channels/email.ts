import { createEmailEmulator, type EmailEmulator } from '@threadline/emulators';
import { createSmtpEmailAdapter } from '@threadline/smtp-email';
import { EMAIL } from '../config';
import type { ChannelModule, ChannelPanel } from './types';

export interface EmailPanel extends ChannelPanel {
  emulator: EmailEmulator;
}

/** What the inspector's "Send email" button sends: a subject and a body with reply buttons. */
export const DEMO_EMAIL = {
  subject: 'Your table on Thursday',
  richBody:
    'Hi Ann, we have a table by the window on Thursday at 8pm. Would you like it?\n\n::: actions\n- Yes please\n- No thanks\n:::',
} as const;

/**
 * Email: the emulator is a mail server for the app (SMTP) and Ann's inbox page, from which she
 * replies (a real MIME reply to the adapter's SMTP listener) or bounces a message. The adapter is
 * the production one, its transport pointed at the emulator, its SPF checks at the emulator's DNS.
 */
export const emailChannel: ChannelModule<EmailPanel> = {
  name: 'email',
  title: 'Email',
  async start({ baseUrl, clock }) {
    const emulator = createEmailEmulator({ inboxes: [EMAIL.ann] });
    await emulator.start();
    const adapter = createSmtpEmailAdapter({
      from: EMAIL.from,
      transport: { host: '127.0.0.1', port: emulator.smtpPort, ignoreTLS: true, pool: false },
      publicUrl: `${baseUrl}/webhooks/email`,
      linkSecret: EMAIL.linkSecret,
      replyAddress: EMAIL.replyAddress,
      listener: { port: 0, recipients: [EMAIL.agent, EMAIL.replyAddress] },
      senderAuth: { resolver: emulator.dnsResolver },
      clock,
    });
    return {
      emulator,
      adapters: [adapter],
      pagePath: `/inbox/${encodeURIComponent(EMAIL.ann)}`,
      caption: `Email (emulated inbox, ${EMAIL.ann})`,
      proxies: [{ prefix: '/inbox', target: () => emulator.url, name: 'email' }],
      actions: [
        {
          id: 'email',
          label: 'Send email',
          hint: 'An email with two buttons to her inbox; she replies or bounces it from the inbox page',
          run: ({ userId, threadline }) =>
            threadline.channels.email.send({ to: { userId }, ...DEMO_EMAIL }),
        },
      ],
      knownAddresses: () => [{ channel: 'email', address: EMAIL.ann }],
      async connect({ threadline, userId }) {
        // Ann's address on the same user: her replies land in her one thread.
        await threadline.users.link({ userId, channel: 'email', address: EMAIL.ann });
        // The listener has its port only after threadline.start().
        const port = adapter.listenerPort();
        if (port === undefined) throw new Error('the email adapter has no SMTP listener');
        emulator.setApp({ smtp: { port } });
      },
      stop: () => emulator.stop(),
    };
  },
};
