import { createMemoryStore } from '@threadline/store-memory';
import { createTestAdapter } from '@threadline/testkit';
import { describe, expect, it } from 'vitest';
import { type ChannelAdapter, createThreadline, splitRoute } from '../../../src/index';

describe('webhook sub-paths', () => {
  it('splits a route into the adapter id and the path below it', () => {
    expect(splitRoute('email')).toEqual({ adapterId: 'email', path: '' });
    expect(splitRoute('email/unsubscribe')).toEqual({ adapterId: 'email', path: '/unsubscribe' });
    expect(splitRoute('a%2Fb/x/y')).toEqual({ adapterId: 'a/b', path: '/x/y' });
  });

  it('routes /webhooks/:adapterId/sub/path to the adapter with the sub-path in context.path', async () => {
    const seen: Array<string | undefined> = [];
    const base = createTestAdapter({ id: 'routed' });
    const adapter: ChannelAdapter = {
      id: base.id,
      channel: base.channel,
      provider: base.provider,
      capabilities: base.capabilities,
      send: (envelope) => base.send(envelope),
      async handleWebhook(request, context) {
        seen.push(context.path);
        return new Response(new URL(request.url).pathname, { status: 200 });
      },
    };
    const threadline = createThreadline({ store: createMemoryStore(), adapters: [adapter] });
    const root = await threadline.fetch(
      new Request('http://x/webhooks/routed', { method: 'POST' }),
    );
    const sub = await threadline.fetch(new Request('http://x/webhooks/routed/action?t=1'));
    const unknown = await threadline.fetch(new Request('http://x/webhooks/other/action'));
    expect(root.status).toBe(200);
    expect(await sub.text()).toBe('/webhooks/routed/action');
    expect(seen).toEqual(['', '/action']);
    expect(unknown.status).toBe(404);
    await threadline.stop();
  });
});
