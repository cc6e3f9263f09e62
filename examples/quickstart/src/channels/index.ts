import { emailChannel } from './email';
import { messengerChannel } from './messenger';
import { smsChannel } from './sms';
import { teamsChannel } from './teams';
import { webchatChannel } from './webchat';
import { whatsappChannel } from './whatsapp';

/**
 * Every channel of the demo, in the order of the home page's panels. A new channel is one module
 * in this folder (see `types.ts`) and one line here.
 */
export const CHANNELS = {
  webchat: webchatChannel,
  whatsapp: whatsappChannel,
  sms: smsChannel,
  email: emailChannel,
  messenger: messengerChannel,
  teams: teamsChannel,
} as const;

export type ChannelName = keyof typeof CHANNELS;
export type Panels = {
  [K in ChannelName]: Awaited<ReturnType<(typeof CHANNELS)[K]['start']>>;
};
export type { ChannelModule, ChannelPanel, PanelAction } from './types';
