import { type ChannelAdapter, createSentParts } from '@threadline/core';
import { relayCapabilities } from './capabilities';
import { type RelayAdapterOptions, resolveOptions } from './options';
import { sendEnvelope } from './send';
import { hasValidSecret, parseUpdate } from './webhook';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The body as JSON, or `undefined` when it is not JSON (answered 400). */
function parseJson(raw: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(raw)) as unknown;
  } catch {
    return undefined;
  }
}

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
  // The parts of a split message already sent, per delivery: a retry after part 2 of 3 failed
  // resumes at part 2 instead of sending part 1 again.
  const sentParts = createSentParts();
  return {
    id: options.id,
    channel: 'relay',
    provider: 'relay',
    capabilities: relayCapabilities,
    async handleWebhook(request, context) {
      if (request.method !== 'POST') return json(405, { error: 'POST only' });
      if (!hasValidSecret(request, options.webhookSecret))
        return json(401, { error: 'bad secret token' });
      // The core has read the body already (`rawBody`); a test calling with a bare Request has not.
      const raw = context.rawBody ?? new Uint8Array(await request.arrayBuffer());
      const body = parseJson(raw);
      if (body === undefined) return json(400, { error: 'body is not JSON' });
      const events = parseUpdate(body, { adapterId: options.id, channel: 'relay' });
      if ('error' in events) return json(400, { error: events.error });
      // Awaited one by one: `emit` resolves once the core has recorded the event, so the 200
      // below promises the provider nothing that is not stored. A failure throws out of here,
      // the core answers 500 and the provider retries.
      for (const event of events) await context.sink.emit(event);
      return json(200, { ok: true });
    },
    send: (envelope, sendOptions) =>
      sendEnvelope(options, envelope, sentParts, sendOptions?.signal),
  };
}
