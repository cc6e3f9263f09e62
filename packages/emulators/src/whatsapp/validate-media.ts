import { z } from 'zod';

/** Caption limit for image, video and document messages (Meta's media message reference). */
export const MEDIA_CAPTION_MAX = 1024;
/** Document file names: Meta documents no limit; 240 keeps them within common file systems. */
export const FILENAME_MAX = 240;

/** Marks a custom issue with the Graph code it stands for (read by `graphCodeFor` in validate.ts). */
export const REQUIRED = { graphCode: 131008 } as const;

/** Media is sent by reference: exactly one of an uploaded media `id` or a public `link`. */
function exactlyOneSource(media: { id?: string; link?: string }, context: z.RefinementCtx): void {
  if (media.id === undefined && media.link === undefined) {
    context.addIssue({
      code: 'custom',
      message: 'one of id or link is required',
      params: REQUIRED,
    });
  } else if (media.id !== undefined && media.link !== undefined) {
    context.addIssue({ code: 'custom', message: 'give id or link, not both' });
  }
}

const source = {
  id: z.string().min(1).optional(),
  link: z.url({ protocol: /^https?$/ }).optional(),
};
const caption = z.string().max(MEDIA_CAPTION_MAX).optional();

/**
 * The object under each media `type` of a send body. Audio and stickers take no caption;
 * documents also take a `filename`.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages
 */
export const MediaSchemas = {
  image: z.strictObject({ ...source, caption }).superRefine(exactlyOneSource),
  video: z.strictObject({ ...source, caption }).superRefine(exactlyOneSource),
  audio: z.strictObject(source).superRefine(exactlyOneSource),
  document: z
    .strictObject({ ...source, caption, filename: z.string().min(1).max(FILENAME_MAX).optional() })
    .superRefine(exactlyOneSource),
  sticker: z.strictObject(source).superRefine(exactlyOneSource),
};
