import { describe, expect, it } from 'vitest';
import { createMetaMessengerAdapter, sendApiErrorRule } from '../src/index';
import { PSID } from './fill';
import { baseOptions, useSendApiMock } from './send-api';

const api = useSendApiMock();

describe('Send API errors', () => {
  it.each([
    [400, 10, 2018278, 'window_closed', false],
    [400, 551, 1545041, 'unreachable', false],
    [400, 100, 2018001, 'unreachable', false],
    [400, 613, undefined, 'throttled', true],
    [400, 4, undefined, 'throttled', true],
    [400, 32, undefined, 'throttled', true],
    [401, 190, undefined, 'auth', false],
    [400, 10, undefined, 'auth', false],
    [400, 100, undefined, 'invalid_request', false],
    [500, 2, undefined, 'provider', true],
  ] as const)(
    'HTTP %i with code %i/%s is %s (retryable %s)',
    async (status, code, subcode, category, retryable) => {
      api.fail(status, code, subcode);
      const error = await createMetaMessengerAdapter(baseOptions)
        .send({ deliveryId: 'd1', to: { address: PSID }, text: 'hi' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        category,
        retryable,
        provider: 'meta',
        providerCode: subcode === undefined ? String(code) : `${code}/${subcode}`,
      });
    },
  );

  it('an answer that is not Graph JSON falls back to the HTTP status', async () => {
    api.respondWith(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(
      createMetaMessengerAdapter(baseOptions).send({
        deliveryId: 'd1',
        to: { address: PSID },
        text: 'hi',
      }),
    ).rejects.toMatchObject({ category: 'provider', retryable: true, httpStatus: 502 });
  });

  it('a 2xx without message_id is not retried (Meta may have sent it)', async () => {
    api.respondWith(() => Response.json({ recipient_id: PSID }));
    await expect(
      createMetaMessengerAdapter(baseOptions).send({
        deliveryId: 'd1',
        to: { address: PSID },
        text: 'hi',
      }),
    ).rejects.toMatchObject({ category: 'provider', retryable: false });
  });

  it('looks up code/subcode before code', () => {
    expect(sendApiErrorRule(10, 2018278).category).toBe('window_closed');
    expect(sendApiErrorRule(10, 1).category).toBe('auth');
    expect(sendApiErrorRule(undefined, undefined, 429).category).toBe('throttled');
  });
});
