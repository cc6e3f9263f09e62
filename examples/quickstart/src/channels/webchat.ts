import { createWebChatAdapter } from '@threadline/webchat-ws';
import { WEBCHAT_SECRET } from '../config';
import type { ChannelModule, ChannelPanel } from './types';

/**
 * Web chat: the `<threadline-chat>` widget on the demo's own pages, over a socket at `/webchat`
 * on the demo's server. Ann is who the visitor token names (see `identity.ts`), so no link.
 */
export const webchatChannel: ChannelModule<ChannelPanel> = {
  name: 'webchat',
  title: 'Web chat',
  async start() {
    const adapter = createWebChatAdapter({ secret: WEBCHAT_SECRET });
    return {
      adapters: [adapter],
      caption: 'Web chat',
      async connect({ server }) {
        adapter.attach(server);
      },
    };
  },
};
