import type { EmitReceipt, InboundEvent, WebhookContext } from '@threadline/core';

/** A webhook context whose sink records what the adapter emitted. */
export function recordingContext(publicUrl: string): WebhookContext & { events: InboundEvent[] } {
  const events: InboundEvent[] = [];
  return {
    events,
    publicUrl,
    waitUntil: () => {},
    sink: {
      async emit(event): Promise<EmitReceipt> {
        events.push(event);
        return { recorded: true };
      },
    },
  };
}
