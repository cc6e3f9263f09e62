import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copy } from '../src/copy';

/** Every object (and array, Date, view, buffer) reachable from `value`. */
function objectsIn(value: unknown, found = new Set<object>()): Set<object> {
  if (typeof value !== 'object' || value === null || found.has(value)) return found;
  found.add(value);
  if (ArrayBuffer.isView(value)) found.add(value.buffer);
  for (const item of Object.values(value)) objectsIn(item, found);
  return found;
}

/** Store-shaped values: JSON, with Dates and byte arrays mixed in. */
const storeValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.date({ noInvalidDate: false }),
    fc.uint8Array({ maxLength: 8 }),
    fc.float64Array({ maxLength: 4 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('copy', () => {
  it('gives what structuredClone gives, and shares no object with its input', () => {
    fc.assert(
      fc.property(storeValue, (value) => {
        const copied = copy(value);
        expect(copied).toStrictEqual(structuredClone(value));
        const original = objectsIn(value);
        for (const object of objectsIn(copied)) expect(original.has(object)).toBe(false);
      }),
    );
  });

  it('keeps an own "__proto__" key as a key, as JSON.parse made it', () => {
    const parsed = JSON.parse('{"__proto__": {"admin": true}, "name": "x"}');
    const copied = copy(parsed);
    expect(Object.keys(copied)).toEqual(['__proto__', 'name']);
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect((copied as { admin?: boolean }).admin).toBeUndefined();
  });

  it('keeps holes, key order, -0 and undefined values', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    const value = { b: [1, , 3], a: -0, u: undefined };
    const copied = copy(value);
    expect(Object.keys(copied)).toEqual(['b', 'a', 'u']);
    expect(1 in copied.b).toBe(false);
    expect(Object.is(copied.a, -0)).toBe(true);
    expect('u' in copied).toBe(true);
  });

  it('copies a typed array over a slice of a buffer the way structuredClone does', () => {
    const buffer = new Uint8Array([1, 2, 3, 4, 5, 6]).buffer;
    const view = new Uint16Array(buffer, 2, 2);
    const copied = copy(view);
    expect(copied).toStrictEqual(structuredClone(view));
    expect(copied.byteOffset).toBe(2);
    expect(copied.buffer).not.toBe(buffer);
  });

  it('hands what it does not know, and cyclic values, to structuredClone', () => {
    const map = new Map([['k', { n: 1 }]]);
    const copiedMap = copy({ map }).map;
    expect(copiedMap).toEqual(map);
    expect(copiedMap.get('k')).not.toBe(map.get('k'));

    const cyclic: { self?: unknown; n: number } = { n: 1 };
    cyclic.self = cyclic;
    const copiedCycle = copy(cyclic);
    expect(copiedCycle.self).toBe(copiedCycle);
    expect(copiedCycle).not.toBe(cyclic);
  });

  it('refuses a function as structuredClone does', () => {
    expect(() => copy({ run: () => 1 })).toThrow(
      expect.objectContaining({ name: 'DataCloneError' }),
    );
  });
});

describe('copy of deeply nested values', () => {
  it('copies a 3,000-level nested object (a poison webhook) without overflowing the stack', () => {
    let value: Record<string, unknown> = { source_url: 'https://example.test/ad' };
    for (let level = 0; level < 3_000; level += 1) value = { referral: value };
    const copied = copy(value);
    let depth = 0;
    let shared = 0;
    let original: unknown = value;
    let walked: unknown = copied;
    while (typeof walked === 'object' && walked !== null && 'referral' in walked) {
      if (walked === original) shared += 1;
      walked = (walked as { referral: unknown }).referral;
      original = (original as { referral: unknown }).referral;
      depth += 1;
    }
    expect({ depth, shared }).toEqual({ depth: 3_000, shared: 0 });
    expect(walked).toEqual({ source_url: 'https://example.test/ad' });
  });

  it('keeps a cycle a cycle, as structuredClone does', () => {
    const value: Record<string, unknown> = { name: 'loop' };
    value.self = value;
    const copied = copy(value);
    expect(copied).not.toBe(value);
    expect(copied.self).toBe(copied);
  });
});
