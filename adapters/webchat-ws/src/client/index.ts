/**
 * `@threadline/webchat-ws/client`: the browser side of web chat. A headless client for custom
 * UIs (`createChatClient`) and the `<threadline-chat>` widget (`defineThreadlineChat`). No
 * framework and no runtime dependencies.
 */
export { CLOSE_CODES, type CloseCode } from '../protocol/close-codes';
export type * from '../protocol/frames';
export { PROTOCOL_VERSION } from '../protocol/frames';
export type { ConnectionState } from './connection';
export type { ChatMessage } from './conversation';
export { defineThreadlineChat, type NavigateDetail, type ThreadlineChatElement } from './element';
export { type ChatClient, type ChatClientEvents, createChatClient } from './headless';
export type { ChatClientOptions, ReconnectOptions } from './options';
