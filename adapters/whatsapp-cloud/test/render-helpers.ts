import { type OutboundEnvelope, parseMessage } from '@threadline/core';
import { createWhatsAppCloudAdapter, type WhatsAppCloudAdapter } from '../src/index';
import { baseOptions, type GraphMock } from './graph';

/** Shared by the rendering tests: send one `:::` message and read back the Graph bodies. */

export const renderOptions = {
  ...baseOptions,
  rate: { perSecond: 1_000 },
  interactive: { listButton: 'See options', body: 'Pick one:' },
};

export function createRenderer(graph: GraphMock) {
  const adapter = createWhatsAppCloudAdapter(renderOptions);
  return async function render(text: string, target: WhatsAppCloudAdapter = adapter) {
    const envelope: OutboundEnvelope = {
      deliveryId: 'delivery-1',
      to: { address: '+16505551234' },
      text,
      parts: parseMessage(text),
    };
    await target.send(envelope);
    return graph.messages().map(({ messaging_product, recipient_type, to, ...message }) => message);
  };
}

export const text = (body: string, preview = false) => ({
  type: 'text',
  text: { body, preview_url: preview },
});
export const block = (kind: string, ...lines: string[]) =>
  [`::: ${kind}`, ...lines, ':::'].join('\n');
