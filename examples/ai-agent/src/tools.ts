import type { AgentTurn, Threadline } from '@threadline/core';
import { type ToolSet, tool } from 'ai';
import { z } from 'zod';

/** The job handler that delivers a reminder the model scheduled with `remind_me`. */
export const REMINDER_HANDLER = 'ai-agent.reminder';
/** The furthest ahead a reminder may be set: thirty days, in minutes. */
export const MAX_REMINDER_MINUTES = 30 * 24 * 60;

const ReminderData = z.object({ userId: z.string(), channel: z.string(), text: z.string() });

/**
 * Registers the reminder job's handler. Reminders are jobs in the store, so one set in a
 * conversation today is sent next week by whichever instance is running, after any restart.
 *
 * @example
 * ```ts
 * handleReminders(threadline);
 * await threadline.start();
 * ```
 */
export function handleReminders(threadline: Threadline): void {
  threadline.jobs.handle(REMINDER_HANDLER, async ({ data }) => {
    const reminder = ReminderData.parse(data);
    await threadline.channels.send({
      channel: reminder.channel,
      to: { userId: reminder.userId },
      text: reminder.text,
    });
  });
}

/**
 * The tools the model may call during one turn, bound to that turn's user: `remind_me`
 * schedules a message on the channel the user is writing on; `send_email` emails the user through
 * `channels.email.send` (it answers the model with the reason when the user has no email address
 * or no email adapter is configured, so the model can say so).
 *
 * @example
 * ```ts
 * streamText({ model, messages, tools: createTools(threadline, turn) });
 * ```
 */
export function createTools(threadline: Threadline, turn: AgentTurn, now: () => number): ToolSet {
  return {
    remind_me: tool({
      description:
        'Schedule a message to this user later, on the channel they are using now. Use it when the user asks to be reminded or followed up with.',
      inputSchema: z.object({
        minutes: z.number().int().min(1).max(MAX_REMINDER_MINUTES).describe('minutes from now'),
        text: z.string().min(1).max(1000).describe('the message to send them then'),
      }),
      async execute({ minutes, text }) {
        const executeAt = new Date(now() + minutes * 60_000);
        const job = await threadline.jobs.create({
          handler: REMINDER_HANDLER,
          schedule: { type: 'once', executeAt: executeAt.toISOString() },
          data: { userId: turn.user.id, channel: turn.message.channel, text },
        });
        return { scheduled: true, jobId: job.id, at: executeAt.toISOString() };
      },
    }),
    send_email: tool({
      description: 'Send this user an email (for things they want to keep: a summary, a receipt).',
      inputSchema: z.object({
        subject: z.string().min(1).max(200),
        text: z.string().min(1).max(20_000),
      }),
      async execute({ subject, text }) {
        try {
          const sent = await threadline.channels.email.send({
            to: { userId: turn.user.id },
            subject,
            text,
          });
          return { sent: true, deliveryId: sent.deliveryId };
        } catch (error) {
          return { sent: false, reason: error instanceof Error ? error.message : String(error) };
        }
      },
    }),
  };
}
