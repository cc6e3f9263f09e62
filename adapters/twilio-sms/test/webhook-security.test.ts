import { createHash } from 'node:crypto';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { createTwilioSmsAdapter } from '../src/index';
import { verifySignature } from '../src/webhook/verify';
import { recordingContext } from './recording-sink';
import { baseOptions } from './twilio-api';
import { inboundSms, signedRequest, WEBHOOK_URL } from './webhooks';

/**
 * Twilio's documented example, then the cases that break naive checks: a proxy that changes the
 * host, scheme and port the process sees; a port in the configured URL; a query string; a JSON
 * body signed through `bodySHA256`. Missing or wrong signatures are refused with nothing emitted.
 */

describe("Twilio's documented signature example", () => {
  // Source: https://www.twilio.com/docs/usage/webhooks/webhooks-security (auth token 12345).
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+12349013030',
    Digits: '1234',
    From: '+12349013030',
    To: '+18005551212',
  };

  it('accepts 0/KCTR6DLpKmkAf8muzZqo1nDgQ=', () => {
    const check = verifySignature('12345', {
      url,
      signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
      params,
      body: '',
    });
    expect(check).toBe('valid');
  });

  it('refuses it with one parameter changed, another token, or no header', () => {
    const signature = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
    expect(
      verifySignature('12345', { url, signature, params: { ...params, Digits: '9' }, body: '' }),
    ).toBe('mismatch');
    expect(verifySignature('54321', { url, signature, params, body: '' })).toBe('mismatch');
    expect(verifySignature('12345', { url, signature: null, params, body: '' })).toBe('missing');
  });
});

describe('handleWebhook signature cases', () => {
  const adapter = () => createTwilioSmsAdapter({ ...baseOptions, id: 'sms' });

  it('behind a proxy: verifies against the configured webhookUrl, not the URL the process sees', async () => {
    const proxied = createTwilioSmsAdapter({ ...baseOptions, id: 'sms', webhookUrl: WEBHOOK_URL });
    const context = recordingContext('http://10.0.0.5:3000/webhooks/sms');
    const request = signedRequest(inboundSms('hi'), {
      requestUrl: 'http://10.0.0.5:3000/webhooks/sms',
    });
    const response = await proxied.handleWebhook(request, context);
    expect(response.status).toBe(200);
    expect(context.events).toHaveLength(1);
  });

  it('behind a proxy without webhookUrl or publicBaseUrl: refused (the signed URL differs)', async () => {
    const context = recordingContext('http://10.0.0.5:3000/webhooks/sms');
    const response = await adapter().handleWebhook(
      signedRequest(inboundSms('hi'), { requestUrl: 'http://10.0.0.5:3000/webhooks/sms' }),
      context,
    );
    expect(response.status).toBe(401);
    expect(context.events).toEqual([]);
  });

  it('accepts a signature over the URL with :443 when the URL seen has no port, and the reverse', async () => {
    const withPort = 'https://app.example.test:443/webhooks/sms';
    const a = recordingContext(WEBHOOK_URL);
    expect(
      (
        await adapter().handleWebhook(
          signedRequest(inboundSms('a'), { url: withPort, requestUrl: WEBHOOK_URL }),
          a,
        )
      ).status,
    ).toBe(200);
    const b = recordingContext(withPort);
    expect(
      (
        await adapter().handleWebhook(
          signedRequest(inboundSms('b'), { url: WEBHOOK_URL, requestUrl: withPort }),
          b,
        )
      ).status,
    ).toBe(200);
  });

  it('covers the query string: kept, it verifies; dropped or changed, it is refused', async () => {
    const url = `${WEBHOOK_URL}?tenant=acme&v=2`;
    const ok = recordingContext(url);
    expect(
      (await adapter().handleWebhook(signedRequest(inboundSms('q'), { url }), ok)).status,
    ).toBe(200);
    const changed = recordingContext(`${WEBHOOK_URL}?tenant=evil&v=2`);
    const response = await adapter().handleWebhook(
      signedRequest(inboundSms('q'), { url, requestUrl: `${WEBHOOK_URL}?tenant=evil&v=2` }),
      changed,
    );
    expect(response.status).toBe(401);
    expect(changed.events).toEqual([]);
  });

  it('JSON bodies: the signature covers the URL with bodySHA256, and the body must match it', async () => {
    const body = JSON.stringify(inboundSms('json hello'));
    const hash = createHash('sha256').update(body).digest('hex');
    const url = `${WEBHOOK_URL}?bodySHA256=${hash}`;
    const signature = twilio.getExpectedTwilioSignature(baseOptions.authToken, url, {});
    const request = (text: string) =>
      new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
        body: text,
      });
    const ok = recordingContext(url);
    expect((await adapter().handleWebhook(request(body), ok)).status).toBe(200);
    expect(ok.events[0]).toMatchObject({ type: 'message', message: { text: 'json hello' } });
    const forged = recordingContext(url);
    const response = await adapter().handleWebhook(
      request(body.replace('json hello', 'json HELLO')),
      forged,
    );
    expect(response.status).toBe(401);
    expect(forged.events).toEqual([]);
  });

  it('refuses a signature made with another auth token', async () => {
    const context = recordingContext(WEBHOOK_URL);
    const response = await adapter().handleWebhook(
      signedRequest(inboundSms('hi'), { authToken: 'someone-else' }),
      context,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_signature' });
    expect(context.events).toEqual([]);
  });
});
