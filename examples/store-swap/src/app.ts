import { randomUUID } from 'node:crypto';
import { createThreadline, type ThreadEntry, type ThreadStore } from '@threadline/core';
import { createTestAdapter, deriveTestCapabilities } from '@threadline/testkit';

/** The user the app talks to. */
export const ANN = { id: 'ann', displayName: 'Ann', phoneNumber: '+447700900123' } as const;

/**
 * The app, the same whatever the store: a user, a message in on a loopback SMS channel, the
 * agent's answer, and the thread read back. It never mentions which store it has; on a store
 * that keeps its data, each run adds to the same thread.
 */
export async function runApp(
  store: ThreadStore,
  input: { text: string },
): Promise<{ thread: ThreadEntry[] }> {
  const sms = createTestAdapter({
    id: 'loopback-sms',
    channel: 'sms',
    capabilities: deriveTestCapabilities({
      reach: { cold: 'free-form', addressBy: ['userId', 'phoneNumber'], identity: 'phone' },
      text: { maxLength: 1600, format: 'plain' },
    }),
  });
  const threadline = createThreadline({
    store,
    adapters: [sms],
    agentId: 'store-swap',
    async onMessage({ message, thread, reply }) {
      const before = thread.entries.filter((entry) => entry.seq < message.seq).length;
      await reply(
        before === 0
          ? `Hi ${ANN.displayName}! You said "${message.text}". This is the start of our thread.`
          : `You said "${message.text}". I have ${before} earlier messages in our thread.`,
      );
    },
  });
  await threadline.start();
  try {
    if (!(await threadline.users.find(ANN.id))) {
      await threadline.users.create({
        id: ANN.id,
        displayName: ANN.displayName,
        phoneNumbers: [ANN.phoneNumber],
      });
    }
    // A provider gives every message a unique id; the core dedupes on it (the loopback's own
    // counter starts again in each process, so a stored key from the last run would match).
    await sms.receive({ from: ANN.phoneNumber, text: input.text, id: randomUUID() });
    await threadline.idle();
    return { thread: await threadline.users.get(ANN.id).thread() };
  } finally {
    await threadline.stop();
  }
}
