import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AgentTurn, type Clock, createThreadline, type Threadline } from '@threadline/core';
import { startWhatsAppEmulator, type WhatsAppEmulator } from '@threadline/emulators';
import { createMemoryStore } from '@threadline/store-memory';
import { createWhatsAppCloudAdapter } from '@threadline/whatsapp-cloud';
import type { Appointment } from './appointments';
import { defineReminderJob, REMINDER_TEMPLATE, type ReminderRun } from './reminder-job';

const CREDENTIALS = {
  phoneNumberId: '106540352242922',
  accessToken: 'clinic-access-token',
  appSecret: 'clinic-app-secret',
  verifyToken: 'clinic-verify-token',
};

/** The clinic's app, running against the WhatsApp emulator. */
export interface Clinic {
  threadline: Threadline;
  emulator: WhatsAppEmulator;
  /** Every run of the reminder job so far. */
  runs: ReminderRun[];
  stop(): Promise<void>;
}

/**
 * The host app: Threadline with the WhatsApp Cloud adapter (pointed at the emulator instead of
 * Meta), the memory store, a small agent, the patients as users, and the daily reminder job.
 * Everything runs on `clock`, so the example can move time to the next 09:00 instead of waiting.
 */
export async function startClinic(input: {
  clock: Clock;
  diary: readonly Appointment[];
}): Promise<Clinic> {
  const { clock, diary } = input;
  const emulator = await startWhatsAppEmulator({
    ...CREDENTIALS,
    clock,
    // Meta refuses templates it has not approved (132001); so does the emulator with this list.
    templates: [{ ...REMINDER_TEMPLATE }],
    statusDelaysMs: { sent: 5, delivered: 5, read: 5 },
  });
  const runs: ReminderRun[] = [];
  const threadline = createThreadline({
    store: createMemoryStore({ clock }),
    adapters: [
      createWhatsAppCloudAdapter({ ...CREDENTIALS, id: 'whatsapp', baseUrl: emulator.url, clock }),
    ],
    clock,
    onMessage: answer,
  });
  defineReminderJob(threadline, diary, (run) => runs.push(run));
  // The clinic knows its patients' numbers: their first WhatsApp message finds them.
  for (const appointment of diary) {
    await threadline.users.create({
      id: appointment.userId,
      displayName: appointment.name,
      phoneNumbers: [appointment.phoneNumber],
    });
  }

  const server = createServer(threadline.toNodeHandler());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  emulator.setWebhookUrl(`http://127.0.0.1:${port}/webhooks/whatsapp`);
  await threadline.start();

  return {
    threadline,
    emulator,
    runs,
    async stop() {
      await threadline.stop();
      await emulator.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The clinic's agent. When a patient answers a reminder, the reminder is in the thread: for a
 * template, as the `messageContext` the job recorded, so the agent can quote it.
 */
async function answer({ message, thread, reply }: AgentTurn): Promise<void> {
  const reminder = thread.entries
    .filter((entry) => entry.direction === 'outbound' && /reminder/i.test(entry.text))
    .at(-1);
  if (reminder) {
    await reply(
      `Thanks! You replied to my reminder ("${reminder.text}"). I've passed "${message.text}" to the front desk; they will confirm shortly.`,
    );
    return;
  }
  await reply(`Thanks for your message. The front desk will answer "${message.text}" shortly.`);
}
