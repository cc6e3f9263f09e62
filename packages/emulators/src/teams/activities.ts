import type { ResolvedTeamsEmulatorOptions } from './options';
import type { ActivityJson, TeamsPerson } from './state';

/**
 * The activities Teams posts to a bot, shaped as Microsoft documents them for a personal app.
 * Source: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events
 */

export interface ActivityContext {
  config: ResolvedTeamsEmulatorOptions;
  serviceUrl: string;
  id: string;
  now: number;
}

function envelope(person: TeamsPerson, context: ActivityContext, type: string): ActivityJson {
  const { config } = context;
  return {
    type,
    id: context.id,
    timestamp: new Date(context.now).toISOString(),
    serviceUrl: context.serviceUrl,
    channelId: 'msteams',
    from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
    conversation: {
      conversationType: 'personal',
      id: person.conversationId,
      tenantId: config.tenantId,
    },
    recipient: { id: `28:${config.appId}`, name: config.botName },
    locale: 'en-US',
    channelData: { tenant: { id: config.tenantId } },
  };
}

/** The app installed in the person's 1:1 chat: the bot and the person are the members added. */
export const installActivity = (person: TeamsPerson, context: ActivityContext): ActivityJson => ({
  ...envelope(person, context, 'conversationUpdate'),
  membersAdded: [
    { id: `28:${context.config.appId}` },
    { id: person.id, aadObjectId: person.aadObjectId },
  ],
});

/** The app removed (`installationUpdate` with `action: remove`). */
export const uninstallActivity = (person: TeamsPerson, context: ActivityContext): ActivityJson => ({
  ...envelope(person, context, 'installationUpdate'),
  action: 'remove',
});

export const messageActivity = (
  person: TeamsPerson,
  context: ActivityContext,
  text: string,
): ActivityJson => ({ ...envelope(person, context, 'message'), text, textFormat: 'plain' });

/** An Action.Submit press: a message with the button's data as `value` and no text. */
export const submitActivity = (
  person: TeamsPerson,
  context: ActivityContext,
  data: unknown,
  replyToId: string,
): ActivityJson => ({ ...envelope(person, context, 'message'), value: data, replyToId });

/** An Action.Execute press: an `adaptiveCard/action` invoke. */
export const executeActivity = (
  person: TeamsPerson,
  context: ActivityContext,
  action: ActivityJson,
  replyToId: string,
): ActivityJson => ({
  ...envelope(person, context, 'invoke'),
  name: 'adaptiveCard/action',
  replyToId,
  value: { action, trigger: 'manual' },
});
