import { describe, expect, it } from 'vitest';
import {
  checkContact,
  checkCount,
  checkDuration,
  checkSeqBound,
  completedProviderIds,
  DELIVERY_LIST_DEFAULT_LIMIT,
  DELIVERY_LIST_MAX_LIMIT,
  DELIVERY_LIST_PAGE,
  newUserContacts,
  normalizeContact,
  pageSize,
  THREAD_READ_DEFAULT_LIMIT,
  THREAD_READ_MAX_LIMIT,
  THREAD_READ_PAGE,
  ValidationError,
} from '../../src/index';

/** The error `run` throws, so a test can look at its message and issues. */
function thrown(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

describe('normalizeContact', () => {
  it('spells phone numbers in E.164 and emails in lower case', () => {
    expect(normalizeContact({ kind: 'phone', value: '+44 7700 900123' })).toEqual({
      kind: 'phone',
      value: '+447700900123',
    });
    expect(normalizeContact({ kind: 'email', value: ' Ann@Example.COM ' })).toEqual({
      kind: 'email',
      value: 'ann@example.com',
    });
  });

  it('returns null for what is not a contact of its kind', () => {
    expect(normalizeContact({ kind: 'phone', value: '0770 090 0123' })).toBeNull();
    expect(normalizeContact({ kind: 'phone', value: 'ann@example.com' })).toBeNull();
    expect(normalizeContact({ kind: 'email', value: 'not an address' })).toBeNull();
  });
});

describe('checkContact and newUserContacts', () => {
  it('normalise every contact of a new user, each with the path an error would name', () => {
    expect(
      newUserContacts({
        phoneNumbers: ['+44 7700 900123'],
        emails: ['a@x.example', 'Ann@Example.com'],
      }),
    ).toEqual([
      { contact: { kind: 'phone', value: '+447700900123' }, path: 'phoneNumbers.0' },
      { contact: { kind: 'email', value: 'a@x.example' }, path: 'emails.0' },
      { contact: { kind: 'email', value: 'ann@example.com' }, path: 'emails.1' },
    ]);
    expect(newUserContacts({})).toEqual([]);
  });

  it('refuse what is not a contact of its kind, naming the field', () => {
    const error = thrown(() => newUserContacts({ emails: ['ann@example.com', 'not an address'] }));
    expect(error.message).toBe('Invalid contact point: emails.1: expected an email address');
    expect(
      thrown(() => checkContact({ kind: 'phone', value: '0770 090 0123' }, 'value')).message,
    ).toBe('Invalid contact point: value: expected an E.164 phone number');
  });
});

describe('checkDuration', () => {
  it('accepts a positive, finite number of milliseconds', () => {
    expect(() => checkDuration(1, 'ttlMs')).not.toThrow();
    expect(() => checkDuration(0.5, 'ttlMs')).not.toThrow();
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (ms) => {
    const error = thrown(() => checkDuration(ms, 'ttlMs'));
    expect(error.issues).toEqual([
      { path: 'ttlMs', message: `expected a positive number, got ${ms}` },
    ]);
    expect(error.category).toBe('validation');
  });

  it('names a ttl by default and what it is told otherwise', () => {
    expect(thrown(() => checkDuration(0, 'ttlMs')).message).toBe(
      'Invalid ttl: ttlMs: expected a positive number, got 0',
    );
    expect(thrown(() => checkDuration(-5, 'lease.ms', 'lease')).message).toBe(
      'Invalid lease: lease.ms: expected a positive number, got -5',
    );
  });
});

describe('checkCount', () => {
  it('accepts a positive integer', () => {
    expect(() => checkCount(1, 'limit', 'job claim')).not.toThrow();
    expect(() => checkCount(10_000, 'limit', 'job claim')).not.toThrow();
  });

  it.each([0, -3, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (value) => {
    const error = thrown(() => checkCount(value, 'limit', 'job claim'));
    expect(error.message).toBe(
      `Invalid job claim: limit: expected a positive integer, got ${value}`,
    );
    expect(error.issues).toEqual([
      { path: 'limit', message: `expected a positive integer, got ${value}` },
    ]);
  });
});

describe('checkSeqBound', () => {
  it('returns a non-negative integer, zero included', () => {
    expect(checkSeqBound(0, 'after', 'thread read options')).toBe(0);
    expect(checkSeqBound(42, 'before', 'thread read options')).toBe(42);
  });

  it.each([-1, 2.5, Number.NaN])('refuses %s', (value) => {
    const error = thrown(() => checkSeqBound(value, 'before', 'thread read options'));
    expect(error.message).toBe(
      `Invalid thread read options: before: expected a non-negative integer, got ${value}`,
    );
    expect(error.issues[0]?.path).toBe('before');
  });
});

describe('completedProviderIds', () => {
  it('keeps every id of a split message once, the first id first', () => {
    expect(
      completedProviderIds({ providerMessageId: 'a', providerMessageIds: ['a', 'b', 'c'] }),
    ).toEqual(['a', 'b', 'c']);
    expect(
      completedProviderIds({ providerMessageId: 'a', providerMessageIds: ['b', 'a', 'b'] }),
    ).toEqual(['a', 'b']);
  });

  it('records no list for a message sent as one', () => {
    expect(completedProviderIds({ providerMessageId: 'a' })).toBeUndefined();
    expect(
      completedProviderIds({ providerMessageId: 'a', providerMessageIds: [] }),
    ).toBeUndefined();
    expect(
      completedProviderIds({ providerMessageId: 'a', providerMessageIds: ['a'] }),
    ).toBeUndefined();
  });

  it('refuses an id that is not a non-empty string, naming its entry', () => {
    const error = thrown(() =>
      completedProviderIds({ providerMessageId: 'a', providerMessageIds: ['a', 'b', ''] }),
    );
    expect(error.message).toBe(
      'Invalid delivery completion: providerMessageIds.2: expected a non-empty string',
    );
    expect(
      thrown(() =>
        completedProviderIds({
          providerMessageId: 'a',
          providerMessageIds: 'a,b' as unknown as string[],
        }),
      ).issues[0]?.path,
    ).toBe('providerMessageIds');
  });
});

describe('pageSize', () => {
  const input = { path: 'limit', what: 'delivery query', fallback: 50, max: 200 };

  it('gives the fallback when absent and the value when within the cap', () => {
    expect(pageSize(undefined, input)).toBe(50);
    expect(pageSize(1, input)).toBe(1);
    expect(pageSize(200, input)).toBe(200);
  });

  it('caps an oversized page rather than refusing it', () => {
    expect(pageSize(201, input)).toBe(200);
    expect(pageSize(1_000_000, input)).toBe(200);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %s, naming the path', (value) => {
    const error = thrown(() => pageSize(value, { ...input, path: 'latest' }));
    expect(error.message).toBe(
      `Invalid delivery query: latest: expected a positive integer, got ${value}`,
    );
    expect(error.issues[0]?.path).toBe('latest');
  });
});

describe("the contracts' page rules", () => {
  it('carry the default and cap each contract documents', () => {
    expect(pageSize(undefined, { ...THREAD_READ_PAGE, path: 'latest' })).toBe(
      THREAD_READ_DEFAULT_LIMIT,
    );
    expect(pageSize(10_000, { ...THREAD_READ_PAGE, path: 'limit' })).toBe(THREAD_READ_MAX_LIMIT);
    expect(pageSize(undefined, { ...DELIVERY_LIST_PAGE, path: 'limit' })).toBe(
      DELIVERY_LIST_DEFAULT_LIMIT,
    );
    expect(pageSize(10_000, { ...DELIVERY_LIST_PAGE, path: 'limit' })).toBe(
      DELIVERY_LIST_MAX_LIMIT,
    );
  });

  it('name the input the stores have always named', () => {
    expect(thrown(() => pageSize(0, { ...THREAD_READ_PAGE, path: 'latest' })).message).toMatch(
      /^Invalid thread read options: latest: /,
    );
    expect(thrown(() => pageSize(0, { ...DELIVERY_LIST_PAGE, path: 'limit' })).message).toMatch(
      /^Invalid delivery query: limit: /,
    );
  });
});
