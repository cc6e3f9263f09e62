import type { ServerFrame } from '../protocol/frames';
import type { ChatConnection } from './connection';
import type { Conversation } from './conversation';
import type { Outbox } from './outbox';

/** The parts of a chat client a server frame can change. */
export interface FrameTargets {
  connection: Pick<ChatConnection, 'welcomed' | 'caughtUp'>;
  conversation: Conversation;
  outbox: Pick<Outbox, 'resendPending' | 'acknowledged' | 'resendLater'>;
  /** Every frame, first (the `frame` event). */
  onFrame(frame: ServerFrame): void;
  /** The agent is typing (the `typing` event). */
  onTyping(): void;
}

/** Applies one server frame to the client: the protocol's client side, frame by frame. */
export function handleServerFrame(frame: ServerFrame, targets: FrameTargets): void {
  const { connection, conversation, outbox } = targets;
  targets.onFrame(frame);
  switch (frame.type) {
    case 'welcome':
      connection.welcomed(frame);
      conversation.startReplay();
      return;
    case 'message':
      conversation.message(frame);
      return;
    case 'synced':
      conversation.sync(frame);
      // `open` is announced before the list, and pending messages go out once both are shown.
      connection.caughtUp();
      conversation.changed();
      outbox.resendPending();
      return;
    case 'ack':
      outbox.acknowledged(frame.clientMsgId);
      conversation.ack(frame);
      return;
    case 'stream':
      conversation.stream(frame);
      return;
    case 'stream_end':
      conversation.streamEnd(frame);
      return;
    case 'typing':
      targets.onTyping();
      return;
    case 'receipt':
      conversation.receipt(frame);
      return;
    case 'error':
      if (frame.clientMsgId !== undefined) outbox.resendLater(frame.clientMsgId);
      return;
    case 'pong':
      return;
  }
}
