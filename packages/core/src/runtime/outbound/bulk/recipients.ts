import type { PhoneOptions } from '../../../message/address';
import { invalidAddressMessage, normalizeAddress } from '../../address';
import type { BulkError } from './types';

/** The numbers to send to, in order, and those rejected before sending. */
export interface RecipientPlan {
  numbers: string[];
  invalid: BulkError[];
  duplicates: number;
}

/**
 * Validates (E.164, national numbers read in `options.defaultRegion`) and deduplicates numbers,
 * keeping the first occurrence's order.
 */
export function planRecipients(
  phoneNumbers: readonly string[],
  options: PhoneOptions = {},
): RecipientPlan {
  const seen = new Set<string>();
  const numbers: string[] = [];
  const invalid: BulkError[] = [];
  let duplicates = 0;
  for (const raw of phoneNumbers) {
    const phone = normalizeAddress('phone', raw, options);
    if (phone === null) {
      invalid.push({
        phoneNumber: raw,
        code: 'invalid_phone_number',
        category: 'validation',
        message: invalidAddressMessage('phone', raw, options),
      });
      continue;
    }
    if (seen.has(phone)) {
      duplicates += 1;
      continue;
    }
    seen.add(phone);
    numbers.push(phone);
  }
  return { numbers, invalid, duplicates };
}
