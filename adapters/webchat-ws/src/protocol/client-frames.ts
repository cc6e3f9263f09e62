import { z } from 'zod';
import type { ClientFrame } from './frames';

/**
 * A client message id: what a browser generates (a UUID, a counter with a prefix). Restricted to
 * URL-safe characters so it can be part of `providerMessageId` and of logs without escaping.
 */
const CLIENT_MSG_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Longest `payload` a client may attach: an id, not a document. */
export const MAX_CLIENT_PAYLOAD_LENGTH = 1024;

/** The zod schemas of client frames, for a given longest message text. */
export function clientFrameSchema(maxTextLength: number) {
  return z.discriminatedUnion('type', [
    z.object({
      type: z.literal('message'),
      clientMsgId: z.string().regex(CLIENT_MSG_ID, 'clientMsgId: 1–64 of A-Z a-z 0-9 . _ : -'),
      text: z.string().max(maxTextLength),
      payload: z.string().max(MAX_CLIENT_PAYLOAD_LENGTH).optional(),
    }),
    z.object({ type: z.literal('typing') }),
    z.object({ type: z.literal('read'), seq: z.number().int().nonnegative() }),
    z.object({ type: z.literal('ping'), id: z.string().max(64).optional() }),
  ]);
}

/** The outcome of reading one client frame: the frame, or why it is refused. */
export type ParsedClientFrame = { ok: true; frame: ClientFrame } | { ok: false; reason: string };

/**
 * Parses one text frame. A frame that is not JSON, has an unknown `type` or breaks its schema is
 * refused with a short reason (sent as the close reason, which RFC 6455 caps at 123 bytes).
 */
export function parseClientFrame(
  raw: string,
  schema: ReturnType<typeof clientFrameSchema>,
): ParsedClientFrame {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'frame is not JSON' };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, frame: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.join('.') || 'frame';
  return { ok: false, reason: `${where}: ${issue?.message ?? 'invalid'}`.slice(0, 120) };
}
