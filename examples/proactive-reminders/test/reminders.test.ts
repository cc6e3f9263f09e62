import { describe, expect, it } from 'vitest';
import { REMINDER_TEMPLATE } from '../src/reminder-job';
import { runRemindersExample } from '../src/scenario';

describe('examples/proactive-reminders', () => {
  it('texts the patient whose window is open and sends the closed-window patient the template with messageContext recorded', async () => {
    const { runs, threads, deliveries, inboxes, story } = await runRemindersExample();

    // The cron job ticked twice: Sunday (nobody to remind), Monday (both patients).
    expect(runs.map((run) => run.scheduledAt.toISOString())).toEqual([
      '2026-03-01T09:00:00.000Z',
      '2026-03-02T09:00:00.000Z',
    ]);
    expect(runs[0]?.reports).toEqual([]);
    expect(runs[1]?.reports.map((report) => [report.name, report.via])).toEqual([
      ['Ann', 'text'],
      ['Bob', 'template'],
    ]);

    // Ann, window open: the free-form text reached her phone.
    const annInbox = inboxes.Ann ?? [];
    expect(annInbox.at(-1)?.type).toBe('text');
    expect(JSON.stringify(annInbox.at(-1)?.body)).toContain('your appointment is today at 15:00');

    // Bob, window closed: no free-form message was even tried (nothing refused), the template
    // went out with its parameters…
    const bobInbox = inboxes.Bob ?? [];
    expect(bobInbox.filter((message) => message.status === 'refused')).toEqual([]);
    const template = bobInbox.find((message) => message.type === 'template');
    expect(template?.body).toMatchObject({
      type: 'template',
      template: {
        name: REMINDER_TEMPLATE.name,
        language: { code: 'en_GB' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Bob' },
              { type: 'text', text: '11:30' },
            ],
          },
        ],
      },
    });

    // …and his thread records what it said (messageContext), which the agent then quotes.
    const context =
      'Hi Bob, this is a reminder of your appointment today at 11:30. Reply to this message if you need to change it.';
    const bobThread = threads.Bob ?? [];
    expect(bobThread.map((entry) => [entry.direction, entry.text])).toEqual([
      ['inbound', 'Is there parking near the clinic?'],
      ['outbound', expect.stringContaining('front desk')],
      ['outbound', context],
      ['inbound', 'Can I come at 12 instead?'],
      ['outbound', expect.stringContaining(`You replied to my reminder ("${context}")`)],
    ]);
    const reminderDelivery = deliveries.Bob?.find((d) => d.id === bobThread[2]?.deliveryId);
    expect(reminderDelivery).toMatchObject({
      origin: 'template',
      templateName: REMINDER_TEMPLATE.name,
      channel: 'whatsapp',
    });
    expect(story.join('\n')).toContain('Bob: window closed → WindowClosedError → template');
  });
});
