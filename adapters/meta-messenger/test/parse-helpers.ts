import type { InboundEvent } from '@threadline/core';
import { createRecordingSink } from '@threadline/testkit';
import { createMetaMessengerAdapter, type MetaMessengerAdapter } from '../src/index';
import { baseOptions, IG_ACCOUNT_ID } from './send-api';
import { INSTAGRAM_URL, MESSENGER_URL, webhookRequest } from './webhooks';

export const messenger = (): MetaMessengerAdapter => createMetaMessengerAdapter(baseOptions);
export const instagram = (): MetaMessengerAdapter =>
  createMetaMessengerAdapter({
    ...baseOptions,
    platform: 'instagram',
    instagramAccountId: IG_ACCOUNT_ID,
  });

/** Posts a signed body to the adapter and returns the answer and every event it emitted. */
export async function deliver(
  adapter: MetaMessengerAdapter,
  payload: unknown,
  options: Parameters<typeof webhookRequest>[1] = {},
): Promise<{ status: number; events: InboundEvent[] }> {
  const sink = createRecordingSink();
  const url = adapter.channel === 'messenger' ? MESSENGER_URL : INSTAGRAM_URL;
  const response = await adapter.handleWebhook(webhookRequest(payload, { url, ...options }), {
    sink,
    publicUrl: url,
    waitUntil: () => {},
  });
  return { status: response.status, events: [...sink.events] };
}
