import type { ChannelAdapter, EventSink, InboundEvent } from '@threadline/core';
import { describe, expect, it } from 'vitest';
import { postWebhook } from '../../src/adapter/conformance/webhook-post';

const event = {
  type: 'message',
  adapterId: 'late',
  channel: 'sms',
} as unknown as InboundEvent;

/** An adapter whose webhook handler emits one event the way `emitWith` does it. */
function adapterThat(emitWith: (sink: EventSink) => Promise<void>): ChannelAdapter {
  return {
    id: 'late',
    channel: 'sms',
    async handleWebhook(_request: Request, context: { sink: EventSink }) {
      await emitWith(context.sink);
      return new Response(null, { status: 200 });
    },
  } as unknown as ChannelAdapter;
}

const request = () => new Request('https://example.test/hook', { method: 'POST', body: '{}' });
const HINT = /did you forget to await context\.sink\.emit\?/i;

describe('postWebhook: the un-awaited emit hint', () => {
  it('passes an adapter that awaits emit, with the events recorded', async () => {
    const { response, events } = await postWebhook(
      adapterThat(async (sink) => {
        await sink.emit(event);
      }),
      request(),
      'https://example.test/hook',
    );
    expect(response.status).toBe(200);
    expect(events).toEqual([event]);
  });

  it('fails with the hint when emit is called but not awaited', async () => {
    const adapter = adapterThat(async (sink) => {
      void sink.emit(event);
    });
    await expect(postWebhook(adapter, request(), 'https://example.test/hook')).rejects.toThrow(
      HINT,
    );
  });

  it('fails with the hint when emit is called later, from a fire-and-forget chain', async () => {
    const adapter = adapterThat(async (sink) => {
      setTimeout(() => void sink.emit(event), 1);
    });
    await expect(postWebhook(adapter, request(), 'https://example.test/hook')).rejects.toThrow(
      /1 event\(s\) were emitted but not yet recorded/,
    );
  });
});
