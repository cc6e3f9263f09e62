import {
  type Capabilities,
  DeliveryError,
  type DocumentsPart,
  type ImagesPart,
  type Media,
} from '@threadline/core';
import type { SendApiMessage } from './text';

/**
 * Media as attachments: by public URL (`is_reusable` so Meta caches it) or by an attachment id
 * from the Attachment Upload API. Meta sends no caption with an attachment, so a caption goes as
 * a text message before it.
 * Source: https://developers.facebook.com/docs/messenger-platform/send-messages#sending_attachments
 */

/** Files sent for one `images` or `documents` block, one attachment message each (our limit). */
export const MEDIA_BLOCK_MAX = 10;

/** Our media kinds → the Send API's attachment types. */
const ATTACHMENT_TYPES = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  document: 'file',
  sticker: 'image',
} as const;

function attachment(type: string, source: { url?: string; mediaId?: string }): SendApiMessage {
  const payload =
    source.mediaId !== undefined
      ? { attachment_id: source.mediaId }
      : { url: source.url, is_reusable: true };
  return { attachment: { type, payload } };
}

/**
 * One media file as messages (its caption first). Refused before anything is sent when the
 * channel does not take that kind.
 *
 * @example
 * ```ts
 * renderMedia({ kind: 'image', url: 'https://x.test/a.png' }, capabilities);
 * // [{ attachment: { type: 'image', payload: { url: 'https://x.test/a.png', is_reusable: true } } }]
 * ```
 */
export function renderMedia(media: Media, capabilities: Capabilities): SendApiMessage[] {
  if (capabilities.media[media.kind] === undefined) {
    throw new DeliveryError(`This channel does not send ${media.kind} attachments`, {
      category: 'media',
      provider: 'meta',
      retryable: false,
    });
  }
  const caption = media.caption ? [{ text: media.caption }] : [];
  return [...caption, attachment(ATTACHMENT_TYPES[media.kind], media)];
}

/** An `images` block: one image attachment per image. */
export function renderImages(part: ImagesPart): SendApiMessage[] {
  return part.images.map((image) => attachment('image', { url: image.url }));
}

/** A `documents` block: one file attachment per document. */
export function renderDocuments(part: DocumentsPart): SendApiMessage[] {
  return part.documents.map((document) => attachment('file', { url: document.url }));
}
