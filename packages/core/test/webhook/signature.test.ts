import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  answerHubChallenge,
  constantTimeEqual,
  createHmacSha256Verifier,
  HUB_SIGNATURE_HEADER,
} from '../../src/index';

const secret = 'app-secret';
const body = new TextEncoder().encode('{"object":"page","entry":[]}');
const sign = (raw: Uint8Array, key = secret) =>
  `sha256=${createHmac('sha256', key).update(raw).digest('hex')}`;

describe('createHmacSha256Verifier', () => {
  const verify = createHmacSha256Verifier(secret);

  it('accepts the HMAC-SHA256 of the raw body, in either hex case', () => {
    expect(verify(body, sign(body))).toBe('valid');
    expect(verify(body, sign(body).toUpperCase().replace('SHA256=', 'sha256='))).toBe('valid');
  });

  it('refuses a signature made with another secret or over other bytes', () => {
    expect(verify(body, sign(body, 'other'))).toBe('mismatch');
    expect(verify(new TextEncoder().encode('{}'), sign(body))).toBe('mismatch');
  });

  it('says missing for no header and malformed for a wrong shape', () => {
    expect(verify(body, null)).toBe('missing');
    expect(verify(body, '  ')).toBe('missing');
    expect(verify(body, 'sha1=abc')).toBe('malformed');
    expect(verify(body, `sha256=${'z'.repeat(64)}`)).toBe('malformed');
    expect(verify(body, sign(body).slice(0, -2))).toBe('malformed');
  });

  it('takes another prefix when the provider uses one', () => {
    const bare = createHmacSha256Verifier(secret, { prefix: '' });
    expect(bare(body, sign(body).slice('sha256='.length))).toBe('valid');
    expect(bare(body, sign(body))).toBe('malformed');
  });

  it('names the hub header lower-cased, as Headers reads it', () => {
    expect(new Headers({ 'X-Hub-Signature-256': 'x' }).get(HUB_SIGNATURE_HEADER)).toBe('x');
  });
});

describe('constantTimeEqual', () => {
  it('compares whole strings, lengths included', () => {
    expect(constantTimeEqual('token', 'token')).toBe(true);
    expect(constantTimeEqual('token', 'tokem')).toBe(false);
    expect(constantTimeEqual('token', 'token2')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('answerHubChallenge', () => {
  const url = (query: string) => new URL(`https://host.test/webhooks/x?${query}`);

  it('answers 200 with the raw challenge when the mode and token match', async () => {
    const response = answerHubChallenge(
      url('hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=t0k'),
      't0k',
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1158201444');
  });

  it('answers 403 for a wrong token, another mode or no challenge', () => {
    expect(
      answerHubChallenge(url('hub.mode=subscribe&hub.challenge=1&hub.verify_token=no'), 't').status,
    ).toBe(403);
    expect(
      answerHubChallenge(url('hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=t'), 't')
        .status,
    ).toBe(403);
    expect(answerHubChallenge(url('hub.mode=subscribe&hub.verify_token=t'), 't').status).toBe(403);
  });
});
