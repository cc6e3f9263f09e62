import { z } from 'zod';
import { MEDIA_KINDS } from '../capabilities/schema';

/**
 * A media file on a message, inbound or outbound. Either a public `url` or a provider `mediaId`
 * (WhatsApp media ids, which the adapter can download through the provider).
 */
export const MediaSchema = z
  .object({
    kind: z.enum(MEDIA_KINDS),
    url: z.string().url().optional(),
    mediaId: z.string().min(1).optional(),
    mimeType: z.string().optional(),
    filename: z.string().optional(),
    caption: z.string().optional(),
    sizeBytes: z.number().int().nonnegative().optional(),
    sha256: z.string().optional(),
  })
  .refine((media) => media.url !== undefined || media.mediaId !== undefined, {
    message: 'media needs a url or a mediaId',
  });

export type Media = z.infer<typeof MediaSchema>;
