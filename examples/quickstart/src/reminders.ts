import type { Clock, JobContext, SendOutput, Threadline } from '@threadline/core';
import { DEMO_USER } from './config';

/** The job's name: its id in the store, and the handler one-off reminders run through. */
export const REMINDER_JOB = 'reminder';

/** What a one-off reminder carries (`jobs.create({ data })`). */
interface ReminderData {
  userId: string;
  text: string;
  /** The channel to write on; without it, the channel the user last wrote on. */
  channel?: string;
}

/** What one reminder run did, for the inspector's activity log. */
export type ReminderOutcome =
  | { userId: string; sent: SendOutput }
  | { userId: string; skipped: string };

/**
 * The reminder job's handler. The agent schedules runs of it ("Remind me in 1 min": a one-off job
 * due in a minute) and the inspector's "Run reminder job now" makes one due at once. A job is
 * just code that calls `send`: it lives in the store, so it survives a restart, and each run
 * happens once across every instance sharing the store. (A daily cron job is the same with
 * `jobs.define({ schedule: { type: 'cron', … } })`: see examples/proactive-reminders.)
 */
export function registerReminderJob(
  threadline: Threadline,
  report: (outcome: ReminderOutcome) => void,
): void {
  threadline.jobs.handle(REMINDER_JOB, async (job: JobContext) => {
    const data = reminderData(job.data);
    try {
      // On a channel with a window (WhatsApp) a closed one queues the text behind the
      // re-engagement template: `sent.queued` is true and it goes out when the user replies.
      const sent = data.channel
        ? await threadline.channels.send({
            channel: data.channel,
            to: { userId: data.userId },
            text: data.text,
          })
        : (await threadline.users.get(data.userId).send([{ type: 'text', text: data.text }]))[0];
      if (sent) report({ userId: data.userId, sent });
    } catch (error) {
      // Not reachable (she has never written anywhere): nothing to retry, say so.
      report({ userId: data.userId, skipped: (error as Error).message });
    }
  });
}

/** Schedules a one-off run of the reminder job for one user; returns when it is due. */
export async function scheduleReminder(
  threadline: Threadline,
  clock: Clock,
  input: ReminderData & { seconds: number },
): Promise<Date> {
  const executeAt = new Date(clock.now() + input.seconds * 1000);
  await threadline.jobs.create({
    handler: REMINDER_JOB,
    schedule: { type: 'once', executeAt },
    data: {
      userId: input.userId,
      text: input.text,
      ...(input.channel === undefined ? {} : { channel: input.channel }),
    },
  });
  return executeAt;
}

/** Makes a reminder for `userId` due now and runs every due job; resolves when they finished. */
export async function runReminderNow(
  threadline: Threadline,
  clock: Clock,
  userId: string,
): Promise<void> {
  const user = await threadline.users.find(userId);
  await scheduleReminder(threadline, clock, {
    userId,
    seconds: 0,
    text: `⏰ Reminder for ${user?.displayName ?? 'you'}: your table for two is at 7pm tonight.`,
  });
  await threadline.jobs.runDue();
}

function reminderData(data: unknown): ReminderData {
  const given = (data ?? {}) as Partial<ReminderData>;
  return {
    userId: typeof given.userId === 'string' ? given.userId : DEMO_USER.id,
    text:
      typeof given.text === 'string'
        ? given.text
        : `A reminder, ${DEMO_USER.displayName}: your table for two is at 7pm tonight.`,
    ...(typeof given.channel === 'string' ? { channel: given.channel } : {}),
  };
}
