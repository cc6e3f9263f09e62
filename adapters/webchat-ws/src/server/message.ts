import type { EmitReceipt } from '@threadline/core';
import type { ClientMessageFrame, MessageFrame } from '../protocol/frames';
import { type Session, sessionThreadId } from './session';

/** How far back a resent message is looked for, to ack it with its seq. */
const DUPLICATE_LOOKBACK = 200;

/**
 * A message from the visitor: recorded and acknowledged (see {@link record}), then echoed to the
 * visitor's other tabs. Live frames to this socket wait meanwhile, so the `ack` comes first.
 */
export async function receiveMessage(session: Session, frame: ClientMessageFrame): Promise<void> {
  const { server, context, connection } = session;
  const { clientMsgId, text } = frame;
  // Dedupe keys are per adapter, and client ids are only unique per visitor.
  const providerMessageId = `${connection.address}:${clientMsgId}`;
  const at = new Date(context.clock.now());
  let receipt: EmitReceipt | undefined;
  connection.hold();
  try {
    receipt = await record(session, { frame, providerMessageId, at });
  } finally {
    connection.release();
  }
  if (receipt === undefined) return;
  const { seq } = receipt;
  if (seq === undefined || receipt.duplicate) return;
  // The visitor's other tabs (here and on other instances) show what this one sent.
  const echo: MessageFrame = {
    type: 'message',
    seq,
    clientMsgId,
    direction: 'inbound',
    channel: 'webchat',
    text,
    parts: [{ type: 'text', text }],
    at: at.toISOString(),
  };
  await server.fanOut
    ?.deliver(connection.route, echo, { key: `s:${seq}`, exclude: connection.id })
    .catch((error: unknown) =>
      context.logger.warn({ err: error }, 'web chat: echo to other tabs not published'),
    );
}

/** Emits the message and answers with `ack` (or `error`); `undefined` when it was not recorded. */
async function record(
  session: Session,
  input: { frame: ClientMessageFrame; providerMessageId: string; at: Date },
): Promise<EmitReceipt | undefined> {
  const { server, context, connection } = session;
  const { frame, providerMessageId, at } = input;
  const { clientMsgId, text, payload } = frame;
  let receipt: EmitReceipt;
  try {
    receipt = (await context.sink.emit({
      type: 'message',
      adapterId: server.options.id,
      channel: 'webchat',
      ...connection.authenticated,
      message: {
        providerMessageId,
        from: connection.sender,
        timestamp: at,
        text,
        ...(payload === undefined ? {} : { payload }),
      },
    })) ?? { recorded: true };
  } catch (error) {
    context.logger.warn({ err: error, clientMsgId }, 'web chat: a client message was not recorded');
    connection.send({
      type: 'error',
      code: 'not_recorded',
      message: 'the message could not be recorded; resend it with the same clientMsgId',
      clientMsgId,
    });
    return undefined;
  }
  if (receipt.duplicate) {
    const seq = receipt.seq ?? (await findSeq(session, providerMessageId));
    connection.send({
      type: 'ack',
      clientMsgId,
      duplicate: true,
      ...(seq === undefined ? {} : { seq }),
    });
    return receipt;
  }
  const { seq } = receipt;
  connection.send({ type: 'ack', clientMsgId, ...(seq === undefined ? {} : { seq }) });
  return receipt;
}

/** The seq of an already recorded message, for the `ack` of a resend the store reported duplicate. */
async function findSeq(session: Session, providerMessageId: string): Promise<number | undefined> {
  const threadId = await sessionThreadId(session);
  if (threadId === undefined) return undefined;
  const entries = await session.context.store.threads.read(threadId, {
    latest: DUPLICATE_LOOKBACK,
  });
  return entries.find((entry) => entry.providerMessageId === providerMessageId)?.seq;
}
