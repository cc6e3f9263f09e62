import { createRecordingSink, type RecordingSink } from '@threadline/testkit';
import { mintToken, type TokenOverrides } from './connector';

/** Where the tests pretend the bot's messaging endpoint is. */
export const WEBHOOK_URL = 'https://bot.example.test/webhooks/teams';

/** A POST of `activity` as the Bot Connector sends it: JSON, with a bearer token unless `null`. */
export async function activityRequest(
  activity: object,
  token: TokenOverrides | null = {},
): Promise<Request> {
  const serviceUrl = (activity as { serviceUrl?: string }).serviceUrl;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) {
    headers.authorization = `Bearer ${await mintToken({ ...(serviceUrl ? { serviceUrl } : {}), ...token })}`;
  }
  return new Request(WEBHOOK_URL, { method: 'POST', headers, body: JSON.stringify(activity) });
}

/** The context the core passes to `handleWebhook`, with a recording sink. */
export function webhookContext(): { sink: RecordingSink; publicUrl: string; waitUntil(): void } {
  return { sink: createRecordingSink(), publicUrl: WEBHOOK_URL, waitUntil: () => {} };
}
