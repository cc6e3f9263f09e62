import { IG_ACCOUNT_ID, PAGE_ID } from './send-api';

/** The test ids that stand in for the placeholders of Meta's documented examples. */
export const PSID = '1254459154682919';
export const IGSID = '6789012345678901';

const PLACEHOLDERS: Record<string, string> = {
  '<PSID>': PSID,
  '<PAGE_ID>': PAGE_ID,
  'PAGE-ID': PAGE_ID,
  '<IGSID>': IGSID,
  IGSID: IGSID,
  '<IGID>': IG_ACCOUNT_ID,
  IGID: IG_ACCOUNT_ID,
  '682498302938465': PAGE_ID,
  '<ATTACHMENT_URL>': 'https://cdn.example.test/attachment.png',
  '<CDN_URL>': 'https://cdn.example.test/story.jpg',
};

/**
 * A documented example with its id placeholders (`<PSID>`, `<PAGE_ID>`, …) replaced by the test
 * ids, whole string values only; everything else stays as Meta wrote it.
 */
export function fill<T>(example: T): T {
  return JSON.parse(
    JSON.stringify(example, (_key, value) =>
      typeof value === 'string' && value in PLACEHOLDERS ? PLACEHOLDERS[value] : value,
    ),
  ) as T;
}
