import { createTeamsEmulator, type TeamsEmulator } from '@threadline/emulators';
import { createTeamsAdapter } from '@threadline/teams';
import { DEMO_USER, TEAMS } from '../config';
import type { ChannelModule, ChannelPanel } from './types';

export interface TeamsPanel extends ChannelPanel {
  emulator: TeamsEmulator;
}

/** What the inspector's proactive Teams button sends. */
export const PROACTIVE_TEAMS_TEXT =
  'Your 3pm tasting is confirmed. Want a reminder an hour before?\n\n::: actions\n- Yes please\n- No thanks\n:::';

/**
 * Teams: the emulator stands in for Teams and the Bot Framework (signed activities, the token
 * endpoint, the Bot Connector, Ann's chat page). Teams is warm-only by reference: the bot can
 * write to Ann only once the app is installed for her (or she wrote), which stores the
 * conversation reference on her identity. Ann's Teams id is linked to her user at start, so
 * the install warms the same user and her Teams messages join her one thread.
 *
 * The emulator runs on real time, not the demo's clock: the bot checks the tokens it signs
 * against the wall clock (botbuilder), and Teams has no session window to skip past.
 */
export const teamsChannel: ChannelModule<TeamsPanel> = {
  name: 'teams',
  title: 'Teams',
  async start() {
    const emulator = createTeamsEmulator({ appId: TEAMS.appId, appPassword: TEAMS.appPassword });
    await emulator.start();
    const adapter = createTeamsAdapter({ ...emulator.adapterOptions(), id: TEAMS.adapterId });
    const ann = () => emulator.person(DEMO_USER.displayName);
    return {
      emulator,
      adapters: [adapter],
      // The chat page calls the emulator's own `/api/…` and `/chat`, which the demo uses too: it
      // is linked on the emulator's port (still 127.0.0.1) instead of passed through.
      pagePath: emulator.chatPageUrl(DEMO_USER.displayName),
      caption: 'Teams (emulated, Ann’s chat with the bot)',
      actions: [
        {
          id: 'install-teams',
          label: 'Install the Teams app for Ann',
          hint: 'A signed conversationUpdate: the bot stores her conversation reference, so she is warm',
          run: async () => {
            const answer = await emulator.install(DEMO_USER.displayName);
            return { installed: ann().installed, status: answer.status };
          },
        },
        {
          id: 'proactive-teams',
          label: 'Send proactive Teams message',
          hint: 'Refused (NotReachableError) until the app is installed for her; delivered after',
          run: ({ userId, threadline }) =>
            threadline.channels.send({
              channel: 'teams',
              to: { userId },
              text: PROACTIVE_TEAMS_TEXT,
            }),
        },
      ],
      knownAddresses: () => [{ channel: 'teams', address: ann().id }],
      async connect({ threadline, baseUrl, userId }) {
        await threadline.users.link({ userId, channel: 'teams', address: ann().id });
        emulator.setBotUrl(`${baseUrl}/webhooks/${adapter.id}`);
      },
      stop: () => emulator.stop(),
    };
  },
};
