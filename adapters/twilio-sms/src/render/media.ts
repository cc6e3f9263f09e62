import { DeliveryError, type Media, splitText } from '@threadline/core';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { MMS_MAX_MEDIA } from '../capabilities';
import { SMS_MAX_BODY } from '../segments';
import type { RenderedSms } from './text';

/**
 * Media on SMS: carriers in a few countries (the US and Canada by default) take MMS, so there the
 * files travel as `MediaUrl`s Twilio fetches; everywhere else an MMS would arrive as Twilio's
 * own "view the picture" link or not at all, so we send the links ourselves in the text.
 */

/**
 * The ISO country of an E.164 number (`+1 604…` is CA, `+1 650…` US, `+1 876…` JM), from
 * libphonenumber's metadata: the +1 prefix alone cannot tell the US from the Caribbean.
 */
export function countryOf(address: string): string | undefined {
  return parsePhoneNumberFromString(address)?.country;
}

/** Whether media to `address` goes as MMS. */
export function takesMms(address: string, countries: readonly string[]): boolean {
  const country = countryOf(address);
  return country !== undefined && countries.includes(country);
}

function urlOf(media: Media): string {
  if (media.url === undefined) {
    throw new DeliveryError(
      'Twilio sends media by URL only; this media has a provider media id and no url',
      { category: 'media', provider: 'twilio' },
    );
  }
  return media.url;
}

/**
 * Media → messages: MMS in groups of up to ten files, their captions as the body; or one text of
 * `caption: url` lines (split at 1,600 characters).
 *
 * @example
 * ```ts
 * renderMedia([{ kind: 'image', url: 'https://x.test/a.jpg', caption: 'Menu' }], { mms: false });
 * // [{ body: 'Menu: https://x.test/a.jpg' }]
 * ```
 */
export function renderMedia(media: readonly Media[], input: { mms: boolean }): RenderedSms[] {
  if (media.length === 0) return [];
  if (!input.mms) {
    const lines = media.map((item) =>
      item.caption ? `${item.caption}: ${urlOf(item)}` : urlOf(item),
    );
    return splitText(lines.join('\n'), SMS_MAX_BODY).map((body) => ({ body }));
  }
  const messages: RenderedSms[] = [];
  for (let start = 0; start < media.length; start += MMS_MAX_MEDIA) {
    const group = media.slice(start, start + MMS_MAX_MEDIA);
    const captions = group.flatMap((item) => (item.caption ? [item.caption] : [])).join('\n');
    messages.push({
      mediaUrl: group.map(urlOf),
      ...(captions === '' ? {} : { body: captions.slice(0, SMS_MAX_BODY) }),
    });
  }
  return messages;
}
