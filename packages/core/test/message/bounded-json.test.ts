import { describe, expect, it } from 'vitest';
import {
  boundJson,
  MAX_STORED_JSON_BYTES,
  MAX_STORED_JSON_DEPTH,
  TRUNCATED_MARKER_KEY,
} from '../../src/index';

function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { note: 'bottom' };
  for (let level = 0; level < levels; level += 1) value = { nested: value };
  return value;
}

/** How many `nested` levels a bounded value kept, and what sits below them. */
function walk(value: unknown): { levels: number; bottom: unknown } {
  let levels = 0;
  let node = value;
  while (typeof node === 'object' && node !== null && 'nested' in node) {
    node = (node as { nested: unknown }).nested;
    levels += 1;
  }
  return { levels, bottom: node };
}

describe('boundJson', () => {
  it('keeps ordinary metadata as it is', () => {
    const metadata = { referral: { source_id: 'ad-1', nested: nested(5) }, list: [1, 'two', null] };
    expect(boundJson(metadata)).toEqual({ value: metadata, truncated: null });
  });

  it('cuts a 10,000-level value at the depth limit with a marker, without throwing', () => {
    const { value, truncated } = boundJson(nested(10_000));
    expect(truncated).toBe('depth');
    expect(walk(value)).toEqual({
      levels: MAX_STORED_JSON_DEPTH,
      bottom: { [TRUNCATED_MARKER_KEY]: { reason: 'depth', limit: MAX_STORED_JSON_DEPTH } },
    });
    expect(() => JSON.stringify(value)).not.toThrow();
  });

  it('replaces a value over the size limit with a marker', () => {
    const big = { body: 'x'.repeat(MAX_STORED_JSON_BYTES) };
    expect(boundJson(big)).toEqual({
      value: { [TRUNCATED_MARKER_KEY]: { reason: 'size', limit: MAX_STORED_JSON_BYTES } },
      truncated: 'size',
    });
    // Bytes, not characters: 30,000 three-byte characters are over 64 KiB.
    expect(boundJson({ body: '€'.repeat(30_000) }).truncated).toBe('size');
    expect(boundJson({ body: 'e'.repeat(30_000) }).truncated).toBeNull();
  });

  it('gives what JSON.stringify would keep: no undefined, functions become absent, Dates strings', () => {
    const at = new Date('2026-12-02T10:00:00Z');
    const { value } = boundJson({ a: undefined, f: () => 1, at, list: [undefined, Number.NaN] });
    expect(value).toEqual({ at: at.toISOString(), list: [null, null] });
    expect(Object.keys(value as object)).toEqual(['at', 'list']);
  });

  it('ends a cycle in a marker rather than looping', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const { value, truncated } = boundJson(cyclic);
    expect(truncated).toBe('depth');
    expect(() => JSON.stringify(value)).not.toThrow();
  });

  it('keeps an own "__proto__" key a key', () => {
    const parsed = JSON.parse('{"__proto__": {"admin": true}}');
    const { value } = boundJson(parsed);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__']);
  });
});
