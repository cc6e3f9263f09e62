import {
  type Capabilities,
  DeliveryError,
  type DocumentsPart,
  type ImagesPart,
  type Media,
} from '@threadline/core';
import { type GraphMessage, type TextOptions, textMessages } from './text';

/**
 * Media messages: `::: images` and `::: documents` blocks (one message per file, since WhatsApp
 * has no gallery message) and the envelope's own `media`, by link or by uploaded media id.
 */

/**
 * Most files one `::: images` or `::: documents` block sends natively. Our choice: each file is a
 * message of its own, and a longer burst to one user invites the pair rate limit (131056), so
 * past ten the block is sent as one text message listing the links.
 */
export const MEDIA_BLOCK_MAX = 10;

/**
 * Longest media caption.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/media-messages
 */
export const CAPTION_MAX = 1024;

/**
 * Kinds that carry a caption (audio and stickers cannot).
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/media-messages
 */
const CAPTIONED = new Set(['image', 'video', 'document']);

/** The file name WhatsApp shows for a document: the name given, else the URL's last segment. */
function documentName(url: string, name: string | undefined): string | undefined {
  if (name !== undefined && name !== '') return name;
  try {
    const segment = new URL(url).pathname.split('/').filter(Boolean).at(-1);
    return segment === undefined ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * `::: images` → one image message per image, the alt text as its caption.
 *
 * @example
 * ```ts
 * renderImages({ type: 'images', images: [{ url: 'https://x.test/a.png', alt: 'Red shoes' }] });
 * // [{ type: 'image', image: { link: 'https://x.test/a.png', caption: 'Red shoes' } }]
 * ```
 */
export function renderImages(part: ImagesPart): GraphMessage[] {
  return part.images.map((image) => ({
    type: 'image',
    image: {
      link: image.url,
      ...(image.alt ? { caption: image.alt.slice(0, CAPTION_MAX) } : {}),
    },
  }));
}

/**
 * `::: documents` → one document message per file, with its file name.
 *
 * @example
 * ```ts
 * renderDocuments({ type: 'documents', documents: [{ url: 'https://x.test/inv.pdf', name: 'Invoice.pdf' }] });
 * // [{ type: 'document', document: { link: 'https://x.test/inv.pdf', filename: 'Invoice.pdf' } }]
 * ```
 */
export function renderDocuments(part: DocumentsPart): GraphMessage[] {
  return part.documents.map((document) => {
    const filename = documentName(document.url, document.name);
    return {
      type: 'document',
      document: { link: document.url, ...(filename === undefined ? {} : { filename }) },
    };
  });
}

function refuse(message: string, category: 'media' | 'invalid_request'): DeliveryError {
  return new DeliveryError(message, { category, provider: 'meta', retryable: false });
}

/**
 * One envelope media file → its message (a media id wins over a link), plus a text message for a
 * caption too long to travel with it, so nothing the agent wrote is cut. A file the capabilities
 * say WhatsApp refuses (kind, size, MIME type) throws a non-retryable `media` DeliveryError
 * before anything is sent.
 *
 * @example
 * ```ts
 * renderMedia({ kind: 'document', mediaId: '1234', filename: 'a.pdf' }, capabilities, options);
 * // [{ type: 'document', document: { id: '1234', filename: 'a.pdf' } }]
 * ```
 */
export function renderMedia(
  media: Media,
  capabilities: Capabilities,
  options: TextOptions,
): GraphMessage[] {
  const limits = capabilities.media[media.kind];
  if (limits === undefined) throw refuse(`WhatsApp cannot send ${media.kind} media`, 'media');
  if (media.sizeBytes !== undefined && media.sizeBytes > limits.maxBytes) {
    throw refuse(
      `${media.kind} of ${media.sizeBytes} bytes is over WhatsApp's ${limits.maxBytes}`,
      'media',
    );
  }
  if (media.mimeType && limits.mimeTypes && !limits.mimeTypes.includes(media.mimeType)) {
    throw refuse(`WhatsApp does not take ${media.mimeType} as ${media.kind}`, 'media');
  }
  const source =
    media.mediaId !== undefined ? { id: media.mediaId } : { link: media.url as string };
  const caption = CAPTIONED.has(media.kind) ? media.caption : undefined;
  const fits = caption !== undefined && caption.length <= CAPTION_MAX;
  const filename =
    media.kind === 'document' ? documentName(media.url ?? '', media.filename) : undefined;
  const message: GraphMessage = {
    type: media.kind,
    [media.kind]: {
      ...source,
      ...(fits ? { caption } : {}),
      ...(filename === undefined ? {} : { filename }),
    },
  };
  // Audio and stickers take no caption at all; their caption, like an over-long one, follows.
  const rest = media.caption !== undefined && !fits ? textMessages(media.caption, options) : [];
  return [message, ...rest];
}
