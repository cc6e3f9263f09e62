import type { JsonObject } from '@threadline/core';
import { copy } from './copy';

/**
 * How many recent distinct payloads are kept for sharing. A bulk send creates its deliveries back
 * to back with one payload, so a few slots catch it even while other sends interleave; more slots
 * would only make every one-off send compare against more payloads.
 */
const RECENT_PAYLOADS = 4;

/** Deeper payloads are never shared: it bounds the comparison (and a cyclic value ends it). */
const MAX_COMPARE_DEPTH = 32;

/**
 * Whether `a` and `b` are the same JSON, key order included: sharing one for the other must not
 * change even the order in which `get`'s result lists its keys. Anything but plain objects, arrays
 * and primitives counts as different, so only plain JSON is ever shared.
 */
function sameJson(a: unknown, b: unknown, depth: number): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    // Object.is keeps -0 apart from 0 and NaN equal to NaN, as a copy would.
    return Object.is(a, b);
  }
  if (depth >= MAX_COMPARE_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index += 1) {
      // An undefined element may be a hole; not worth telling apart.
      if (a[index] === undefined || !sameJson(a[index], b[index], depth + 1)) return false;
    }
    return true;
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (let index = 0; index < aKeys.length; index += 1) {
    const key = aKeys[index] as string;
    if (key !== bKeys[index] || !sameJson(a[key], b[key], depth + 1)) return false;
  }
  return true;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}

/**
 * The payloads deliveries keep. A bulk template send stores one payload per number, each equal to
 * the last: instead of 100,000 copies, equal payloads created close together share one frozen
 * object. Nothing in the store writes to a payload, and every read copies it out as before, so
 * sharing is invisible to callers; freezing makes a future write fail loudly instead of changing
 * every delivery at once.
 */
export class PayloadPool {
  readonly #recent: Array<JsonObject | undefined> = [];
  #next = 0;

  /** A payload to store for `input`: a shared one equal to it, or a fresh copy. */
  store(input: JsonObject): JsonObject {
    for (const recent of this.#recent) {
      if (recent !== undefined && sameJson(input, recent, 0)) {
        // Frozen on first reuse, so one-off payloads never pay for the walk.
        deepFreeze(recent);
        return recent;
      }
    }
    const stored = copy(input);
    this.#recent[this.#next] = stored;
    this.#next = (this.#next + 1) % RECENT_PAYLOADS;
    return stored;
  }

  /** Stops sharing `payload` (its delivery was erased: the pool must not be what keeps it). */
  forget(payload: JsonObject): void {
    const index = this.#recent.indexOf(payload);
    if (index !== -1) this.#recent[index] = undefined;
  }
}
