import type { ChannelAdapter, InboundEvent } from '@threadline/core';
import { describe, expect, it, vi } from 'vitest';
import type { ConnectionInboundFixture, InboundFixture, WebhookInboundFixture } from './fixtures';
import {
  type RequestParts,
  rebuild,
  takeApart,
  withHeader,
  withoutHeader,
  withTamperedBody,
} from './forgeries';
import type { SuiteHarness } from './harness';
import { createRecordingSink } from './recording-sink';
import { postWebhook } from './webhook-post';

/** A signature header value no scheme accepts: not hex, not base64 of a digest, not a JWT. */
const MALFORMED_SIGNATURE = 'not-a-signature';

const suffix = (name: string | undefined) => (name ? ` (${name})` : '');

/**
 * Every event names the adapter and channel it came from, and carries what the core keys and
 * orders on: a real date, a message's provider id (its dedupe key), an unsupported event's reason
 * and raw payload (the host reads them; nothing is dropped silently).
 */
function expectFromAdapter(events: readonly InboundEvent[], adapter: ChannelAdapter): void {
  for (const event of events) {
    expect(event.adapterId, 'event.adapterId').toBe(adapter.id);
    expect(event.channel, 'event.channel').toBe(adapter.channel);
    const timestamp =
      event.type === 'message'
        ? event.message.timestamp
        : 'timestamp' in event
          ? event.timestamp
          : undefined;
    if (timestamp !== undefined) {
      expect(timestamp, `${event.type} timestamp`).toBeInstanceOf(Date);
      expect(Number.isNaN(timestamp.getTime()), `${event.type} timestamp is Invalid Date`).toBe(
        false,
      );
    }
    if (event.type === 'message') {
      expect(event.message.providerMessageId.trim(), 'message.providerMessageId').not.toBe('');
    }
    if (event.type === 'unsupported') {
      expect(event.reason.trim(), 'unsupported.reason').not.toBe('');
      expect(event.raw, 'unsupported.raw').toBeDefined();
    }
  }
}

/** Calls `handleWebhook` as the core would; fails with a hint on an un-awaited `emit`. */
function post(harness: SuiteHarness, fixture: WebhookInboundFixture, request: Request) {
  return postWebhook(harness.adapter, request, fixture.publicUrl);
}

function describeWebhook(fixture: WebhookInboundFixture, harness: SuiteHarness): void {
  const header = fixture.signatureHeader;
  const refused = async (forge: (parts: RequestParts) => Request) => {
    const parts = await takeApart(await fixture.valid());
    const { response, events } = await post(harness, fixture, forge(parts));
    expect(response.status, 'a forged request must be answered 401').toBe(401);
    expect(events, 'a forged request must emit nothing').toEqual([]);
  };

  describe(`inbound webhook${suffix(fixture.name)}`, () => {
    it('accepts the signed request with 2xx and emits the expected events in order', async () => {
      const { response, events } = await post(harness, fixture, await fixture.valid());
      expect(response.status, await response.clone().text()).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
      expect(events).toMatchObject(fixture.expected);
      expectFromAdapter(events, harness.adapter);
    });

    it(`rejects a request without the ${header} header with 401, emitting nothing`, async () => {
      const parts = await takeApart(await fixture.valid());
      expect(parts.headers.has(header), `valid() must carry the ${header} header`).toBe(true);
      await refused((p) => withoutHeader(p, header));
    });

    it(`rejects a malformed ${header} header with 401, emitting nothing`, async () => {
      await refused((p) => withHeader(p, header, MALFORMED_SIGNATURE));
    });

    // A signature that authenticates the sender (Teams' JWT) does not cover the body, so a tampered
    // body is not the adapter's to catch; only body-signing adapters get this test.
    if (fixture.signatureCovers !== 'sender') {
      it('rejects a tampered body (one byte changed, signature kept) with 401, emitting nothing', async () => {
        await refused(withTamperedBody);
      });
    } else {
      // The sender is verified but the body is not signed, so the adapter's parser is what stands
      // between a broken or hostile body and the thread: it must refuse it, not emit or crash.
      it.each([
        ['not JSON', 'not a payload {'],
        ['JSON of no known shape', '{}'],
      ])(
        'answers a body that is %s (sender verified) with 4xx, emitting nothing',
        async (_title, text) => {
          const parts = await takeApart(await fixture.valid());
          const request = rebuild(parts, { body: new TextEncoder().encode(text) });
          const { response, events } = await post(harness, fixture, request);
          expect(response.status, 'a body the adapter cannot read is a 4xx').toBeGreaterThanOrEqual(
            400,
          );
          expect(response.status).toBeLessThan(500);
          expect(events, 'a body the adapter cannot read must emit nothing').toEqual([]);
        },
      );
    }
  });
}

function describeConnection(fixture: ConnectionInboundFixture, harness: SuiteHarness): void {
  // Signature tests belong to webhooks; a connection authenticates when it opens (the adapter's own tests).
  describe(`inbound over a connection${suffix(fixture.name)}`, () => {
    it('emits the expected events in order once started and triggered', async () => {
      const sink = createRecordingSink();
      const context = await harness.start(sink);
      await fixture.trigger({ adapter: harness.adapter, context });
      await vi.waitFor(
        () => expect(sink.events.length).toBeGreaterThanOrEqual(fixture.expected.length),
        { timeout: fixture.timeoutMs ?? 5_000 },
      );
      expect(sink.events).toMatchObject(fixture.expected);
      expectFromAdapter(sink.events, harness.adapter);
    });
  });
}

/** Registers the tests of one inbound path. */
export function describeInbound(fixture: InboundFixture, harness: SuiteHarness): void {
  if (fixture.kind === 'webhook') describeWebhook(fixture, harness);
  else describeConnection(fixture, harness);
}
