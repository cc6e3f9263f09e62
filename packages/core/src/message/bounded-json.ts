import type { JsonObject, JsonValue } from './json';

/**
 * How deep stored JSON (an entry's metadata, an identity's reference) may nest. Real provider
 * payloads stay under ten levels (a WhatsApp `referral`, an interactive reply, a Teams
 * ConversationReference). Past a few thousand levels every engine gives up, each at its own depth:
 * on Node 20 `structuredClone` overflows its stack at 3,000 levels and `JSON.stringify` at 5,000,
 * and PostgreSQL's JSON parser stops at its `max_stack_depth`. A signed webhook can carry such a
 * value (issue 18: a 3,000-level `referral`), so it is cut here, once, far below all of them.
 */
export const MAX_STORED_JSON_DEPTH = 32;

/**
 * How large stored JSON may be, in UTF-8 bytes of its JSON text. Metadata rides along with every
 * read of the thread (an agent turn loads `historyLimit` entries, 50 by default), so one message's
 * extras must not outweigh a whole history; the largest real ones (a WhatsApp order with its
 * items, an email's headers) stay far below this.
 */
export const MAX_STORED_JSON_BYTES = 64 * 1024;

/** The key of the marker that replaces what was cut: `{ threadlineTruncated: { reason, limit } }`. */
export const TRUNCATED_MARKER_KEY = 'threadlineTruncated';

/** Why a value was cut. */
export type TruncationReason = 'depth' | 'size';

/** The result of {@link boundJson}. */
export interface BoundedJson<T extends JsonValue> {
  /** The value as it can be stored (JSON only: what `JSON.stringify` would keep). */
  value: T;
  /** Why something was replaced by the marker, or `null` when the value is stored whole. */
  truncated: TruncationReason | null;
}

function marker(reason: TruncationReason, limit: number): JsonObject {
  return { [TRUNCATED_MARKER_KEY]: { reason, limit } };
}

/** A leaf as JSON.stringify keeps it, `undefined` for what it drops (undefined, functions, symbols). */
function leaf(value: unknown): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'object':
      return null;
    default:
      return undefined;
  }
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** `toJSON` applied as JSON.stringify applies it (a Date becomes its ISO string). */
function unwrap(value: unknown): unknown {
  const toJSON = isContainer(value) ? (value as { toJSON?: unknown }).toJSON : undefined;
  return typeof toJSON === 'function' ? toJSON.call(value) : value;
}

/**
 * A JSON copy of `value` with every object or array nested deeper than `maxDepth` replaced by the
 * marker, walked with a work list (no recursion, so no depth overflows the stack). A cycle is
 * infinitely deep, so it ends in a marker too.
 */
function cutDepth(root: unknown, maxDepth: number): { value: JsonValue; cut: boolean } {
  let cut = false;
  const work: Array<{ from: object; to: JsonObject | JsonValue[]; depth: number }> = [];
  const visit = (input: unknown, depth: number): JsonValue | undefined => {
    const value = unwrap(input);
    if (!isContainer(value)) return leaf(value);
    if (depth >= maxDepth) {
      cut = true;
      return marker('depth', maxDepth);
    }
    const to: JsonObject | JsonValue[] = Array.isArray(value) ? [] : {};
    work.push({ from: value, to, depth: depth + 1 });
    return to;
  };
  const value = visit(root, 0) ?? null;
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    const { from, to, depth } = next;
    if (Array.isArray(from)) {
      for (const item of from) (to as JsonValue[]).push(visit(item, depth) ?? null);
    } else {
      for (const key of Object.keys(from)) {
        const item = visit((from as Record<string, unknown>)[key], depth);
        if (item === undefined) continue;
        // An own "__proto__" key (JSON.parse makes them) must stay a key, not become the prototype.
        Object.defineProperty(to, key, {
          value: item,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
    }
  }
  return { value, cut };
}

/**
 * Makes `value` safe to store: plain JSON, nested at most {@link MAX_STORED_JSON_DEPTH} levels
 * (deeper objects and arrays become a marker) and at most {@link MAX_STORED_JSON_BYTES} of JSON
 * text (a larger value is replaced whole by the marker). It never throws: an inbound message with
 * a hostile payload is recorded with its extras cut, not refused (issue 18).
 *
 * @example
 * ```ts
 * const { value, truncated } = boundJson({ referral: deeplyNested });
 * // value.referral…(32 levels)… = { threadlineTruncated: { reason: 'depth', limit: 32 } }; truncated === 'depth'
 * ```
 */
export function boundJson<T extends JsonValue>(
  value: T | object,
  limits: { maxDepth?: number; maxBytes?: number } = {},
): BoundedJson<T> {
  const maxDepth = limits.maxDepth ?? MAX_STORED_JSON_DEPTH;
  const maxBytes = limits.maxBytes ?? MAX_STORED_JSON_BYTES;
  const { value: copied, cut } = cutDepth(value, maxDepth);
  const text = JSON.stringify(copied);
  // UTF-8 is at most 3 bytes per UTF-16 unit: only a text that might be over is encoded.
  if (text.length * 3 > maxBytes && new TextEncoder().encode(text).length > maxBytes) {
    const replaced = (
      isContainer(copied) && !Array.isArray(copied) ? marker('size', maxBytes) : null
    ) as T;
    return { value: replaced, truncated: 'size' };
  }
  return { value: copied as T, truncated: cut ? 'depth' : null };
}
