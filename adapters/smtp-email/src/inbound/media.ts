import { createHash } from 'node:crypto';
import type { Media } from '@threadline/core';
import type { MailAttachment } from './mail';

/**
 * Attachments → `Media`. Email has no provider to fetch files from later, so the host's `save`
 * hook stores each file and returns its URL; without a hook, small files travel as `data:` URLs
 * and larger ones are described (name, type, size, SHA-256) without their bytes.
 */

/** Stores one inbound attachment and returns where it can be read. */
export type SaveAttachment = (file: {
  filename?: string;
  contentType: string;
  content: Buffer;
  sha256: string;
}) => Promise<{ url: string }>;

function kindOf(contentType: string): Media['kind'] {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('video/')) return 'video';
  if (contentType.startsWith('audio/')) return 'audio';
  return 'document';
}

/**
 * @example
 * ```ts
 * await attachmentsToMedia([{ filename: 'a.png', contentType: 'image/png', content }], { inlineMaxBytes: 262144 });
 * // [{ kind: 'image', url: 'data:image/png;base64,…', filename: 'a.png', sizeBytes: 1234, sha256: '…' }]
 * ```
 */
export async function attachmentsToMedia(
  attachments: readonly MailAttachment[],
  options: { save?: SaveAttachment; inlineMaxBytes: number },
): Promise<Media[]> {
  const media: Media[] = [];
  for (const file of attachments) {
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const described = {
      kind: kindOf(file.contentType),
      mimeType: file.contentType,
      ...(file.filename === undefined ? {} : { filename: file.filename }),
      sizeBytes: file.content.byteLength,
      sha256,
    };
    if (options.save !== undefined) {
      const saved = await options.save({ ...file, sha256 });
      media.push({ ...described, url: saved.url });
    } else if (file.content.byteLength <= options.inlineMaxBytes) {
      media.push({
        ...described,
        url: `data:${file.contentType};base64,${file.content.toString('base64')}`,
      });
    } else {
      // Identified by its hash only: the bytes were not kept (configure `attachments.save`).
      media.push({ ...described, mediaId: `sha256:${sha256}` });
    }
  }
  return media;
}
