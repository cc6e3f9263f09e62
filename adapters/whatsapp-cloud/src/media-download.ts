import { DeliveryError } from '@threadline/core';
import { z } from 'zod';
import type { GraphClient } from './send';

/**
 * Inbound media arrive as ids (`image.id` in the webhook); the bytes are fetched in two steps
 * through the Media API: `GET /{media-id}` gives a short-lived URL, and a `GET` of that URL with
 * the same token gives the file.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media
 */

/** A downloaded media file. */
export interface DownloadedMedia {
  mediaId: string;
  data: Uint8Array;
  mimeType: string;
  /** As Meta reported it, and checked against the bytes. */
  sha256?: string;
  sizeBytes: number;
}

const MediaObjectSchema = z
  .object({
    url: z.string().min(1),
    mime_type: z.string().optional(),
    sha256: z.string().optional(),
    file_size: z.union([z.number(), z.string()]).optional(),
  })
  .loose();

function mediaError(message: string, cause?: unknown): DeliveryError {
  // Retryable: the download URL is short-lived, and asking again gives a fresh one.
  return new DeliveryError(message, {
    category: 'media',
    provider: 'meta',
    retryable: true,
    cause,
  });
}

async function digests(data: Uint8Array): Promise<string[]> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  const base64 = btoa(String.fromCharCode(...digest));
  return [hex, base64];
}

/**
 * Downloads an inbound media file by its id. The Graph lookup is limited to this adapter's
 * phone number (`phone_number_id`), and the bytes are checked against Meta's SHA-256 (given
 * as hex or base64) so a truncated download is never handed on as the file.
 *
 * @example
 * ```ts
 * const file = await downloadMedia(graph, { mediaId: message.media[0].mediaId, phoneNumberId });
 * await writeFile('photo.jpg', file.data);
 * ```
 */
export async function downloadMedia(
  graph: GraphClient,
  input: { mediaId: string; phoneNumberId: string },
): Promise<DownloadedMedia> {
  const { mediaId } = input;
  if (!/^[\w.-]+$/.test(mediaId)) {
    throw new DeliveryError(`${JSON.stringify(mediaId)} is not a media id`, {
      category: 'invalid_request',
      provider: 'meta',
    });
  }
  const answer = await graph.getJson(encodeURIComponent(mediaId), {
    phone_number_id: input.phoneNumberId,
  });
  const parsed = MediaObjectSchema.safeParse(answer);
  if (!parsed.success) throw mediaError(`Graph returned no URL for media ${mediaId}`, answer);
  const object = parsed.data;
  const { data, contentType } = await graph.getBytes(object.url);
  if (object.sha256 !== undefined && !(await digests(data)).includes(object.sha256)) {
    throw mediaError(`Media ${mediaId} does not match its SHA-256; the download was incomplete`);
  }
  return {
    mediaId,
    data,
    mimeType: object.mime_type ?? contentType ?? 'application/octet-stream',
    ...(object.sha256 === undefined ? {} : { sha256: object.sha256 }),
    sizeBytes: data.byteLength,
  };
}
