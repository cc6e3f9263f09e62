import { toE164 } from '../../../message/address';
import type { BulkError } from './types';

/** The numbers to send to, in order, and those rejected before sending. */
export interface RecipientPlan {
  numbers: string[];
  invalid: BulkError[];
  duplicates: number;
}

/** Validates (E.164) and deduplicates numbers, keeping the first occurrence's order. */
export function planRecipients(phoneNumbers: readonly string[]): RecipientPlan {
  const seen = new Set<string>();
  const numbers: string[] = [];
  const invalid: BulkError[] = [];
  let duplicates = 0;
  for (const raw of phoneNumbers) {
    const phone = toE164(raw);
    if (phone === null) {
      invalid.push({
        phoneNumber: raw,
        code: 'invalid_phone_number',
        category: 'validation',
        message: `${JSON.stringify(raw)} is not an E.164 number`,
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
