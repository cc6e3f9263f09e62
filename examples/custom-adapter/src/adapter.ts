import type { ChannelAdapter } from '@threadline/core';
import { relayCapabilities } from './capabilities';
import { type RelayAdapterOptions, resolveOptions } from './options';
import { sendEnvelope } from './send';
import { hasValidSecret, parseUpdate } from './webhook';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A Threadline channel adapter for Relay, a Telegram-style bot API: the shape any host can follow
 * for a channel Threadline does not ship.
 *
 * @example
 * ```ts
 * const relay = createRelayAdapter({ botToken: process.env.RELAY_TOKEN!, webhookSecret: process.env.RELAY_SECRET! });
 * const threadline = createThreadline({ store, adapters: [relay], onMessage: ({ reply }) => reply('hi') });
 * ```
 */
export function createRelayAdapter(input: RelayAdapterOptions): ChannelAdapter {
  const options = resolveOptions(input);
  return {
    id: options.id,
    channel: 'relay',
    provider: 'relay',
    capabilities: relayCapabilities,
    async handleWebhook(request, context) {
      if (request.method !== 'POST') return json(405, { error: 'POST only' });
      if (!hasValidSecret(request, options.webhookSecret))
        return json(401, { error: 'bad secret token' });
      const body: unknown = await request.json().catch(() => undefined);
      const events = parseUpdate(body, { adapterId: options.id, channel: 'relay' });
      if ('error' in events) return json(400, { error: events.error });
      for (const event of events) await context.sink.emit(event);
      return json(200, { ok: true });
    },
    send: (envelope) => sendEnvelope(options, envelope),
  };
}
