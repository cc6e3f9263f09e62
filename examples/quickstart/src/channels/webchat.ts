import { createWebChatAdapter, type WebChatAdapter } from '@threadline/webchat-ws';
import { WEBCHAT_SECRET } from '../config';
import type { ChannelModule, ChannelPanel } from './types';

/**
 * Web chat: the `<threadline-chat>` widget on the demo's own pages, over a socket at `/webchat`
 * on the demo's server. Ann is who the visitor token names (see `identity.ts`), so no link.
 */
export interface WebChatPanel extends ChannelPanel {
  adapter: WebChatAdapter;
}

export const webchatChannel: ChannelModule<WebChatPanel> = {
  name: 'webchat',
  title: 'Web chat',
  async start() {
    const adapter = createWebChatAdapter({ secret: WEBCHAT_SECRET });
    return {
      adapter,
      adapters: [adapter],
      caption: 'Web chat',
      async connect({ server }) {
        adapter.attach(server);
      },
    };
  },
};
