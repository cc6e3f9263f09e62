import { type SendOutput, type Threadline, WindowClosedError } from '@threadline/core';
import { type Appointment, appointmentsOn, clinicTime } from './appointments';

/** The approved template for reminders outside the 24-hour window (registered with Meta). */
export const REMINDER_TEMPLATE = {
  name: 'appointment_reminder',
  language: 'en_GB',
  category: 'UTILITY',
  body: 'Hi {{1}}, this is a reminder of your appointment today at {{2}}. Reply to this message if you need to change it.',
} as const;

/** What the job did for one patient. */
export interface ReminderReport {
  userId: string;
  name: string;
  /** `text` inside the window; `template` when the window was closed. */
  via: 'text' | 'template';
  sent: SendOutput;
  /** What the thread recorded for the reminder. */
  recorded: string;
}

/** Everything one run of the job did. */
export interface ReminderRun {
  scheduledAt: Date;
  reports: ReminderReport[];
}

/**
 * Defines the daily reminder job: at 09:00 London time it reminds every patient with an
 * appointment that day, on WhatsApp.
 *
 * @example
 * ```ts
 * defineReminderJob(threadline, APPOINTMENTS, (run) => console.log(run.reports));
 * await threadline.start(); // the job is written to the store and ticks every morning
 * ```
 */
export function defineReminderJob(
  threadline: Threadline,
  diary: readonly Appointment[],
  onRun: (run: ReminderRun) => void,
): void {
  threadline.jobs.define({
    name: 'appointment-reminders',
    description: 'Reminds patients of the day’s appointments at 09:00 London time.',
    schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'Europe/London' },
    // A failed run (the store was down) is retried twice, a minute apart, within its tick.
    retry: { maxAttempts: 3, backoffSeconds: 60 },
    async execute({ scheduledAt }) {
      const reports: ReminderReport[] = [];
      for (const appointment of appointmentsOn(scheduledAt, diary)) {
        reports.push(await remind(threadline, appointment, scheduledAt));
      }
      onRun({ scheduledAt, reports });
    },
  });
}

/**
 * One reminder. Free-form text first, with `onClosedWindow: 'fail'`: inside the 24-hour window
 * it goes out as written; outside it the core throws `WindowClosedError` without calling Meta,
 * and the job sends the approved template instead. `messageContext` is what the thread records
 * for the template, so when the patient replies the agent reads what the reminder said, not
 * just a template name.
 *
 * Both sends carry an idempotency key per patient and tick: if the job is retried after a
 * crash, a reminder that already went out is not sent again.
 */
export async function remind(
  threadline: Threadline,
  appointment: Appointment,
  tick: Date,
): Promise<ReminderReport> {
  const { userId, name } = appointment;
  const time = clinicTime(appointment.at);
  const key = `appointment-reminder:${userId}:${tick.toISOString()}`;
  const text = `Hi ${name}, a reminder: your appointment is today at ${time}. Reply if you need to change it.`;
  try {
    const sent = await threadline.channels.send({
      channel: 'whatsapp',
      to: { userId },
      text,
      options: { whatsapp: { onClosedWindow: 'fail' }, idempotencyKey: `${key}:text` },
    });
    return { userId, name, via: 'text', sent, recorded: text };
  } catch (error) {
    if (!(error instanceof WindowClosedError)) throw error;
  }
  const recorded = REMINDER_TEMPLATE.body.replace('{{1}}', name).replace('{{2}}', time);
  const sent = await threadline.channels.whatsapp.sendTemplate({
    to: { userId },
    template: {
      name: REMINDER_TEMPLATE.name,
      languageCode: REMINDER_TEMPLATE.language,
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: name },
            { type: 'text', text: time },
          ],
        },
      ],
    },
    messageContext: recorded,
    options: { idempotencyKey: `${key}:template` },
  });
  return { userId, name, via: 'template', sent, recorded };
}
