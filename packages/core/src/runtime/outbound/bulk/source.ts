import type { PhoneOptions } from '../../../message/address';
import { invalidAddressMessage, normalizeAddress } from '../../address';
import { planRecipients } from './recipients';
import type { BulkError } from './types';

/** The numbers of a bulk send: an array, or an (async) iterable read as the send goes. */
export type BulkPhoneNumbers = readonly string[] | Iterable<string> | AsyncIterable<string>;

/** One number to send to (normalised), or one refused before sending. */
export type Recipient = { phone: string } | { invalid: BulkError };

/**
 * Where the workers of one bulk send take their next number from. `next` may be called by many
 * workers at once: calls are served one at a time, in order, so an iterator is never re-entered.
 */
export interface RecipientSource {
  /** Numbers known up front (an array, after deduplication); `undefined` for an iterable. */
  readonly total: number | undefined;
  /** Numbers given again after normalisation, so far (sent once). */
  readonly duplicates: number;
  /** The next number, or `undefined` once there are no more. */
  next(): Promise<Recipient | undefined>;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

/**
 * An array is planned up front, as it always was (its invalid numbers come first); an iterable is
 * read one number at a time as workers ask, so a host can stream 100,000 numbers from a file or a
 * cursor without holding them. Deduplication keeps the normalised numbers seen (as integers, about
 * 42 bytes each): the one thing of the input a streamed send still holds.
 */
export function recipientSource(
  phoneNumbers: BulkPhoneNumbers,
  options: PhoneOptions = {},
): RecipientSource {
  if (Array.isArray(phoneNumbers)) return arraySource(phoneNumbers as readonly string[], options);
  return iterableSource(phoneNumbers as Iterable<unknown> | AsyncIterable<unknown>, options);
}

function arraySource(phoneNumbers: readonly string[], options: PhoneOptions): RecipientSource {
  const plan = planRecipients(phoneNumbers, options);
  const queue: Recipient[] = [
    ...plan.invalid.map((invalid) => ({ invalid })),
    ...plan.numbers.map((phone) => ({ phone })),
  ];
  let index = 0;
  return {
    total: queue.length,
    duplicates: plan.duplicates,
    next: async () => queue[index++],
  };
}

function iterableSource(
  phoneNumbers: Iterable<unknown> | AsyncIterable<unknown>,
  options: PhoneOptions,
): RecipientSource {
  const iterator = isAsyncIterable(phoneNumbers)
    ? phoneNumbers[Symbol.asyncIterator]()
    : phoneNumbers[Symbol.iterator]();
  // The numbers seen, as integers: E.164 is at most 15 digits after a `+` with no leading zero,
  // so the digits are a safe integer naming one number. A Set of them takes about 42 bytes per
  // number against 82 for the strings (100,000 UK numbers, after GC, Node 20): it is the one
  // thing a streamed send keeps per number.
  const seen = new Set<number>();
  let duplicates = 0;
  let done = false;
  let turn: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<Recipient | undefined> => {
    while (!done) {
      const step = await iterator.next();
      if (step.done) {
        done = true;
        return undefined;
      }
      const raw = step.value;
      const phone = typeof raw === 'string' ? normalizeAddress('phone', raw, options) : null;
      if (phone === null) {
        const given = typeof raw === 'string' ? raw : String(raw);
        return {
          invalid: {
            phoneNumber: given,
            code: 'invalid_phone_number',
            category: 'validation',
            message:
              typeof raw === 'string'
                ? invalidAddressMessage('phone', raw, options)
                : `expected a phone number string, got ${typeof raw}`,
          },
        };
      }
      const key = Number(phone.slice(1));
      if (seen.has(key)) {
        duplicates += 1;
        continue;
      }
      seen.add(key);
      return { phone };
    }
    return undefined;
  };

  return {
    total: undefined,
    get duplicates() {
      return duplicates;
    },
    next() {
      const result = turn.then(read);
      turn = result.catch(() => undefined);
      return result;
    },
  };
}
