import { describe, expect, it } from 'vitest';
import { createTeamsAdapter } from '../src/index';
import { baseOptions, useConnectorMock } from './connector';
import {
  BOT_ID,
  botAddedPersonal,
  channelMention,
  executeInvoke,
  installationAdd,
  installationRemove,
  personalMessage,
  reactionAdded,
} from './fixtures/activities';
import { activityRequest, webhookContext } from './requests';

useConnectorMock();

async function deliver(activity: object) {
  const adapter = createTeamsAdapter({ ...baseOptions, id: 'teams' });
  const context = webhookContext();
  const response = await adapter.handleWebhook(await activityRequest(activity), context);
  return { response, events: context.sink.events };
}

describe('Teams activities → events (payloads from Microsoft docs)', () => {
  it('a personal message becomes a message carrying the conversation reference', async () => {
    const { response, events } = await deliver(personalMessage);
    expect(response.status).toBe(200);
    expect(events).toMatchObject([
      {
        type: 'message',
        adapterId: 'teams',
        channel: 'teams',
        message: {
          providerMessageId: '1485983408511',
          from: { address: personalMessage.from.id, displayName: 'Megan Bowen' },
          text: 'Hello, is anyone there?',
          timestamp: new Date('2016-10-19T20:17:52.289Z'),
          metadata: { conversationType: 'personal', aadObjectId: personalMessage.from.aadObjectId },
        },
        reference: {
          serviceUrl: personalMessage.serviceUrl,
          conversation: { id: personalMessage.conversation.id },
          user: { id: personalMessage.from.id },
          bot: { id: BOT_ID },
          channelId: 'msteams',
        },
      },
    ]);
  });

  it('a channel message has the <at> mention of the bot removed', async () => {
    const { events } = await deliver(channelMention);
    expect(events).toMatchObject([
      { type: 'message', message: { text: 'play something by Queen' } },
    ]);
  });

  it('the bot added to a personal chat is an install that stores the reference', async () => {
    const { response, events } = await deliver(botAddedPersonal);
    expect(response.status).toBe(200);
    expect(events).toMatchObject([
      {
        type: 'conversation-update',
        action: 'installed',
        from: { address: botAddedPersonal.from.id },
        reference: { conversation: { id: botAddedPersonal.conversation.id } },
      },
    ]);
  });

  it('installationUpdate add stores the reference; remove withdraws it with null', async () => {
    const added = await deliver(installationAdd);
    expect(added.events).toMatchObject([
      {
        type: 'conversation-update',
        action: 'installed',
        reference: { conversation: { id: installationAdd.conversation.id } },
      },
    ]);
    const removed = await deliver(installationRemove);
    expect(removed.events).toMatchObject([
      { type: 'conversation-update', action: 'uninstalled', reference: null },
    ]);
  });

  it('a member other than the bot joining is not an install and stores nothing', async () => {
    const { events } = await deliver({
      ...botAddedPersonal,
      id: 'f:member',
      membersAdded: [{ id: '29:someone-else' }],
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'conversation-update', action: 'member-added' });
    expect(events[0]).not.toHaveProperty('reference');
  });

  it('a reaction becomes a reaction event on the reacted message', async () => {
    const { events } = await deliver(reactionAdded);
    expect(events).toMatchObject([
      {
        type: 'reaction',
        targetMessageId: '1575667808184',
        emoji: '👍',
        from: { address: reactionAdded.from.id },
      },
    ]);
  });

  it('an Action.Execute invoke is a message with its payload, answered with a refreshed card', async () => {
    const { response, events } = await deliver(executeInvoke);
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: { type: 'AdaptiveCard', version: '1.5' },
    });
    expect(JSON.stringify(answer)).toContain('Tomorrow 10:00');
    expect(events).toMatchObject([
      { type: 'message', message: { text: 'Tomorrow 10:00', payload: 'Tomorrow 10:00' } },
    ]);
  });

  it('an Action.Submit (a message with a value and no text) is a message with its payload', async () => {
    const { events } = await deliver({
      ...personalMessage,
      id: 'submit-1',
      text: undefined,
      value: { threadline: { label: 'Yes', payload: 'Yes' } },
    });
    expect(events).toMatchObject([{ type: 'message', message: { text: 'Yes', payload: 'Yes' } }]);
  });

  it('a file attachment becomes media; Teams’ text/html copy is not', async () => {
    const { events } = await deliver({
      ...personalMessage,
      id: 'file-1',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          contentUrl: 'https://contoso.sharepoint.com/personal/file.pdf',
          name: 'file.pdf',
          content: { downloadUrl: 'https://download.example.test/file.pdf', fileType: 'pdf' },
        },
        { contentType: 'text/html', content: '<p>Hello, is anyone there?</p>' },
      ],
    });
    expect(events).toMatchObject([
      {
        type: 'message',
        message: {
          media: [
            {
              kind: 'document',
              url: 'https://download.example.test/file.pdf',
              filename: 'file.pdf',
            },
          ],
        },
      },
    ]);
  });

  it('typing becomes a typing event', async () => {
    const { events } = await deliver({
      ...personalMessage,
      id: 't-1',
      type: 'typing',
      text: undefined,
    });
    expect(events).toMatchObject([{ type: 'typing', from: { address: personalMessage.from.id } }]);
  });

  it('an unknown activity type is reported as unsupported, never dropped', async () => {
    const { response, events } = await deliver({ ...personalMessage, id: 'e-1', type: 'event' });
    expect(response.status).toBe(200);
    expect(events).toMatchObject([{ type: 'unsupported', reason: 'activity event' }]);
  });
});
