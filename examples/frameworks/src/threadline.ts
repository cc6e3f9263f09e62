import { createThreadline, type Threadline } from '@threadline/core';
import { createMemoryStore } from '@threadline/store-memory';
import { createTestAdapter, type TestAdapter } from '@threadline/testkit';

/**
 * The host app every framework example mounts: one signed-webhook channel (the testkit's loopback
 * adapter signs and checks an HMAC over the raw body, as WhatsApp, Twilio and Messenger do) and an
 * agent that records what it heard. Swap in your real adapters and store.
 */
export interface ExampleApp {
  threadline: Threadline;
  channel: TestAdapter;
  heard: string[];
}

export async function createExampleApp(): Promise<ExampleApp> {
  const channel = createTestAdapter({ id: 'chat', channel: 'sms' });
  const heard: string[] = [];
  const threadline = createThreadline({
    store: createMemoryStore(),
    adapters: [channel],
    onMessage: ({ message }) => {
      heard.push(message.text);
    },
  });
  await threadline.start();
  return { threadline, channel, heard };
}
