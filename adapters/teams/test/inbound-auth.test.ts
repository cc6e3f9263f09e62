import { describe, expect, it } from 'vitest';
import { createTeamsAdapter } from '../src/index';
import { APP_ID, baseOptions, useConnectorMock } from './connector';
import { personalMessage } from './fixtures/activities';
import { activityRequest, webhookContext } from './requests';

const connector = useConnectorMock();

async function deliver(token: Parameters<typeof activityRequest>[1]) {
  const adapter = createTeamsAdapter(baseOptions);
  const context = webhookContext();
  const response = await adapter.handleWebhook(
    await activityRequest(personalMessage, token),
    context,
  );
  return { response, events: context.sink.events };
}

describe('inbound JWT validation (botbuilder against the configured OpenID metadata)', () => {
  it('accepts a token signed by a published key for this app and emits the message', async () => {
    const { response, events } = await deliver({});
    expect(response.status).toBe(200);
    expect(events.map((event) => event.type)).toEqual(['message']);
    expect(connector.requests.some((request) => request.includes('/.well-known/'))).toBe(true);
  });

  const refused = [
    ['a missing token', null],
    ['an expired token (past the 5-minute tolerance)', { expiresIn: -600 }],
    ['a token for another app', { audience: '11111111-2222-4333-8444-555555555555' }],
    ['a token from another issuer', { issuer: 'https://sts.windows.net/evil/' }],
    ['a token signed by a key the metadata does not publish', { unknownKey: true }],
    ['a token with a forged signature under the published key id', { forgedSignature: true }],
    ['a token for another service URL', { serviceUrl: 'https://evil.example.test/' }],
  ] as const;

  for (const [name, token] of refused) {
    it(`answers 401 and emits nothing for ${name}`, async () => {
      const { response, events } = await deliver(token);
      expect(response.status).toBe(401);
      expect(events).toEqual([]);
    });
  }

  it('refuses an activity naming a service URL outside the allow-list, before any event', async () => {
    const adapter = createTeamsAdapter(baseOptions);
    const context = webhookContext();
    const forged = { ...personalMessage, serviceUrl: 'https://evil.example.test/' };
    const response = await adapter.handleWebhook(await activityRequest(forged), context);
    expect(response.status).toBe(403);
    expect(context.sink.events).toEqual([]);
  });

  it('answers 400 to a body that is not an activity', async () => {
    const adapter = createTeamsAdapter(baseOptions);
    const context = webhookContext();
    const request = new Request('https://bot.example.test/', { method: 'POST', body: '[1,2]' });
    expect((await adapter.handleWebhook(request, context)).status).toBe(400);
    expect(context.sink.events).toEqual([]);
  });

  it('uses the app id it was given', () => {
    expect(createTeamsAdapter(baseOptions).appId).toBe(APP_ID);
  });
});
