import { describe, expect, it } from 'vitest';
import {
  checkTestSignature,
  createFakeClock,
  createRecordingSink,
  createTestAdapter,
  signTestWebhook,
  TEST_SIGNATURE_HEADER,
} from '../../src/index';

const URL = 'https://test.threadline.local/webhooks/test';

async function post(request: Request) {
  const clock = createFakeClock();
  const adapter = createTestAdapter({ clock, secret: 's3cret' });
  const sink = createRecordingSink();
  const response = await adapter.handleWebhook(request, {
    sink,
    publicUrl: URL,
    waitUntil: () => {},
  });
  return {
    response,
    events: sink.events,
    body: (await response.json()) as { error?: string; received?: number },
    clock,
  };
}

function signed(raw: string, secret = 's3cret', headers: Record<string, string> = {}): Request {
  return new Request(URL, {
    method: 'POST',
    body: raw,
    headers: { [TEST_SIGNATURE_HEADER]: signTestWebhook(raw, secret), ...headers },
  });
}

const message = JSON.stringify({
  events: [{ type: 'message', id: 'in-1', from: '+15550001', text: 'hi' }],
});

describe('test adapter webhook', () => {
  it('emits the normalised events of a signed body and answers 200', async () => {
    const { response, events, body, clock } = await post(signed(message));
    expect(response.status).toBe(200);
    expect(body).toEqual({ received: 1 });
    expect(events).toEqual([
      {
        type: 'message',
        adapterId: 'test',
        channel: 'test',
        message: {
          providerMessageId: 'in-1',
          from: { address: '+15550001' },
          text: 'hi',
          timestamp: clock.date(),
        },
      },
    ]);
  });

  it('normalises reactions and opt-ins', async () => {
    const raw = JSON.stringify({
      events: [
        {
          type: 'reaction',
          id: 'r-1',
          from: 'a',
          messageId: 'test-msg-1',
          emoji: '👍',
          timestamp: '2026-01-02T00:00:00Z',
        },
        { type: 'opt-in', from: 'a', keyword: 'START' },
      ],
    });
    const { events } = await post(signed(raw));
    expect(events).toMatchObject([
      {
        type: 'reaction',
        targetMessageId: 'test-msg-1',
        emoji: '👍',
        timestamp: new Date('2026-01-02T00:00:00Z'),
      },
      { type: 'opt-in', from: { address: 'a' }, keyword: 'START' },
    ]);
  });

  it('answers 401 without emitting when the signature header is missing', async () => {
    const { response, events, body } = await post(
      new Request(URL, { method: 'POST', body: message }),
    );
    expect(response.status).toBe(401);
    expect(body.error).toBe('missing x-threadline-signature header');
    expect(events).toEqual([]);
  });

  it('answers 401 without emitting when the signature header is malformed', async () => {
    const request = new Request(URL, {
      method: 'POST',
      body: message,
      headers: { [TEST_SIGNATURE_HEADER]: 'sha1=abc' },
    });
    const { response, events, body } = await post(request);
    expect(response.status).toBe(401);
    expect(body.error).toMatch(/malformed/);
    expect(events).toEqual([]);
  });

  it('answers 401 without emitting when signed with another secret', async () => {
    const { response, events, body } = await post(signed(message, 'wrong'));
    expect(response.status).toBe(401);
    expect(body.error).toMatch(/does not match/);
    expect(events).toEqual([]);
  });

  it('answers 400 without emitting when the body is not JSON', async () => {
    const { response, events, body } = await post(signed('{"events": ['));
    expect(response.status).toBe(400);
    expect(body.error).toMatch(/^body is not JSON/);
    expect(events).toEqual([]);
  });

  it('answers 400 naming every bad field, emitting nothing, not even the valid events', async () => {
    const raw = JSON.stringify({
      events: [
        { type: 'message', id: 'ok', from: 'a', text: 'fine' },
        { type: 'message', id: 'in-2', text: 5 },
        { type: 'status', id: 'x', status: 'queued' },
        { type: 'wave' },
      ],
    });
    const { response, events, body } = await post(signed(raw));
    expect(response.status).toBe(400);
    const problems = String(body.error)
      .replace(/^invalid webhook body: /, '')
      .split('; ');
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'events.1.from',
      'events.1.text',
      'events.2.status',
      'events.3.type',
    ]);
    expect(problems[2]).toMatch(/accepted.*sent.*delivered.*read.*failed.*expired/);
    expect(events).toEqual([]);
  });

  it('answers 405 to anything but POST', async () => {
    const { response } = await post(new Request(URL, { method: 'GET' }));
    expect(response.status).toBe(405);
  });

  it('builds signed requests the adapter accepts', async () => {
    const adapter = createTestAdapter();
    const sink = createRecordingSink();
    const request = adapter.signedRequest({
      events: [{ type: 'message', id: 'm', from: 'a', text: 'b' }],
    });
    const response = await adapter.handleWebhook(request, {
      sink,
      publicUrl: URL,
      waitUntil: () => {},
    });
    expect(response.status).toBe(200);
    expect(sink.events).toHaveLength(1);
  });
});

describe('checkTestSignature', () => {
  const body = new TextEncoder().encode('payload');

  it('accepts the signature of the exact bytes, in either hex case', () => {
    const header = signTestWebhook(body, 'k');
    expect(checkTestSignature(body, header, 'k')).toBeNull();
    expect(
      checkTestSignature(body, header.toUpperCase().replace('SHA256=', 'sha256='), 'k'),
    ).toBeNull();
  });

  it('tells missing, malformed and mismatched signatures apart', () => {
    expect(checkTestSignature(body, null, 'k')).toBe('missing');
    expect(checkTestSignature(body, 'sha256=zz', 'k')).toBe('malformed');
    expect(checkTestSignature(body, signTestWebhook('other', 'k'), 'k')).toBe('mismatch');
  });
});
