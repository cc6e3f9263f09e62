import {
  type MessengerEmulator,
  type MetaPlatform,
  startMessengerEmulator,
} from '@threadline/emulators';
import { createMetaMessengerAdapter } from '@threadline/meta-messenger';
import { DEMO_USER, META } from '../config';
import type { ChannelModule, ChannelPanel, PanelAction } from './types';

export interface MessengerPanel extends ChannelPanel {
  emulator: MessengerEmulator;
  /** Ann's PSID (Messenger) and IGSID (Instagram) on this emulator. */
  ann: Record<MetaPlatform, string>;
}

/** The offer the proactive buttons send on Messenger and Instagram. */
export const PROACTIVE_META_TEXT =
  'Your usual table is free tonight at 8pm. Shall I keep it for you?';

const TITLES: Record<MetaPlatform, string> = { messenger: 'Messenger', instagram: 'Instagram' };

/**
 * Messenger and Instagram: one emulator plays the Page and its Instagram account (Send API,
 * signed webhooks for `object: "page"` and `"instagram"`, window errors, Ann's inboxes) on the
 * demo's clock. Two adapters from one factory, with no message tags, so past 24 hours the core
 * holds text until Ann writes again, and a send to someone who never wrote is refused (warm-only).
 */
export const messengerChannel: ChannelModule<MessengerPanel> = {
  name: 'messenger',
  title: 'Messenger & Instagram',
  async start({ clock }) {
    const emulator = await startMessengerEmulator({
      pageId: META.pageId,
      instagramAccountId: META.instagramAccountId,
      pageAccessToken: META.pageAccessToken,
      appSecret: META.appSecret,
      verifyToken: META.verifyToken,
      clock,
    });
    const common = {
      pageId: META.pageId,
      appId: META.appId,
      pageAccessToken: META.pageAccessToken,
      appSecret: META.appSecret,
      verifyToken: META.verifyToken,
      baseUrl: emulator.url,
      // No tags: outside the 24-hour window the text waits for Ann (the demo shows the hold).
      messageTags: [],
      clock,
    };
    const adapters = {
      messenger: createMetaMessengerAdapter({ ...common, platform: 'messenger' }),
      instagram: createMetaMessengerAdapter({
        ...common,
        platform: 'instagram',
        instagramAccountId: META.instagramAccountId,
      }),
    };
    // Ann on each inbox (a PSID and an IGSID of one human are unrelated ids).
    const ann = {
      messenger: emulator.person({ platform: 'messenger', name: DEMO_USER.displayName }).id,
      instagram: emulator.person({ platform: 'instagram', name: DEMO_USER.displayName }).id,
    };
    const proactive = (platform: MetaPlatform): PanelAction => ({
      id: `proactive-${platform}`,
      label: `Send proactive ${TITLES[platform]} message`,
      hint: 'Refused (warm-only) until she has written there; held after 24 h until she writes again',
      run: ({ userId, threadline }) =>
        threadline.channels.send({ channel: platform, to: { userId }, text: PROACTIVE_META_TEXT }),
    });
    return {
      emulator,
      ann,
      adapters: [adapters.messenger, adapters.instagram],
      pagePath: `/messenger?id=${ann.messenger}`,
      caption: 'Messenger (emulated, Ann on the Page’s inbox)',
      proxies: (['messenger', 'instagram'] as const).map((platform) => ({
        prefix: `/${platform}`,
        target: () => emulator.url,
        name: TITLES[platform],
      })),
      actions: [
        proactive('messenger'),
        proactive('instagram'),
        {
          id: 'page-reply-messenger',
          label: 'Reply from the Page inbox',
          hint: 'A person at the Page answers Ann by hand: the echo is recorded in the thread as a human agent',
          run: () =>
            emulator.pageReply(ann.messenger, 'Sam from the tea room here, happy to help!'),
        },
      ],
      knownAddresses: () => [
        { channel: 'messenger', address: ann.messenger },
        { channel: 'instagram', address: ann.instagram },
      ],
      async connect({ threadline, baseUrl, userId }) {
        // The emulator forgets its people on restart: Ann gets new ids, linked to the same user.
        for (const platform of ['messenger', 'instagram'] as const)
          await threadline.users.link({ userId, channel: platform, address: ann[platform] });
        emulator.setWebhookUrl(`${baseUrl}/webhooks/${adapters.messenger.id}`, 'page');
        emulator.setWebhookUrl(`${baseUrl}/webhooks/${adapters.instagram.id}`, 'instagram');
        for (const object of ['page', 'instagram'] as const) {
          const verification = await emulator.verifyWebhook(META.verifyToken, object);
          if (!verification.ok)
            throw new Error(`${object} webhook verification failed: ${verification.status}`);
        }
      },
      stop: () => emulator.stop(),
    };
  },
};
