import type { Server } from 'node:http';
import type { ChannelAdapter, Threadline } from '@threadline/core';
import type { DemoClock } from '../clock';
import type { ProxyRoute } from '../proxy';

/** What every channel module gets when the demo starts it. */
export interface ChannelContext {
  /** `http://127.0.0.1:<port>`: where the demo's pages and webhooks are. */
  baseUrl: string;
  /** The one clock of the runtime, the store and every emulator. */
  clock: DemoClock;
  /** Settings tests pass through (`startDemo({ channels: { whatsapp: … } })`). */
  settings: Record<string, unknown>;
}

/** What a channel module gets once the runtime is up. */
export interface ConnectContext {
  threadline: Threadline;
  server: Server;
  baseUrl: string;
  /** The demo user every channel links Ann to. */
  userId: string;
}

/** A button on the inspector, run for one user (`POST /api/users/<id>/<action id>`). */
export interface PanelAction {
  id: string;
  label: string;
  /** Shown as the button's tooltip: what to expect. */
  hint?: string;
  /** Its answer is shown on the inspector; a thrown error is shown with its `code`. */
  run(input: { userId: string; threadline: Threadline }): Promise<unknown>;
}

/**
 * One channel of the demo: its emulator (if any), its adapters, how Ann is linked on it, the page
 * that stands in for her device, and its inspector buttons. Adding a channel is one module
 * exporting a {@link ChannelModule} and one line in `channels/index.ts`.
 */
export interface ChannelPanel {
  /** The adapters to register with the runtime. */
  adapters: ChannelAdapter[];
  /** The page that stands in for Ann's device on this channel, as a path on the demo. */
  pagePath?: string;
  /** A one-line caption above the panel on the home page. */
  caption: string;
  /** Emulator pages served through the demo's port. */
  proxies?: ProxyRoute[];
  actions?: PanelAction[];
  /** Channel addresses the emulator knows, so the inspector finds their users after a restart. */
  knownAddresses?(): Array<{ channel: string; address: string }>;
  /** After `threadline.start()`: link Ann, point webhooks at the demo, attach to the server. */
  connect?(context: ConnectContext): Promise<void>;
  /** Stops the emulator (after the runtime has stopped). */
  stop?(): Promise<void>;
}

export interface ChannelModule<P extends ChannelPanel = ChannelPanel> {
  /** `whatsapp`, `email`, …: the panel's id (and its element id on the home page). */
  name: string;
  /** Human name: `WhatsApp`. */
  title: string;
  start(context: ChannelContext): Promise<P>;
}
