/**
 * URLs from messages go into `href` and `src`; a `javascript:` link would run script in the host
 * page. Only these schemes pass (relative URLs too); anything else is shown as text.
 */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);
const MEDIA_SCHEMES = new Set(['http:', 'https:', 'blob:']);

function check(url: string, schemes: ReadonlySet<string>): string | undefined {
  const trimmed = url.trim();
  if (trimmed === '') return undefined;
  try {
    const base = globalThis.location?.href ?? 'https://invalid.local/';
    const parsed = new URL(trimmed, base);
    return schemes.has(parsed.protocol) ? trimmed : undefined;
  } catch {
    return undefined;
  }
}

/** `url` if it is safe as a link target, else `undefined`. */
export const safeLink = (url: string) => check(url, LINK_SCHEMES);

/** `url` if it is safe as an image or media source (`data:image/…` included), else `undefined`. */
export function safeMedia(url: string): string | undefined {
  if (/^data:image\/(png|jpe?g|gif|webp|avif);base64,/i.test(url.trim())) return url.trim();
  return check(url, MEDIA_SCHEMES);
}
