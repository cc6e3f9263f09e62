/**
 * Past this depth a value is copied by {@link copyDeep} instead. Store data is a few levels deep;
 * only a cyclic value (which a recursive walk never ends on) or an oddly deep one gets there (a
 * webhook with a 3,000-level nested object, on which `structuredClone` itself overflows the
 * stack), and both are rare enough for the slow path.
 */
const MAX_DEPTH = 64;

/** Thrown inside the walk when it passes {@link MAX_DEPTH}; caught by {@link copy}. */
const TOO_DEEP = Symbol('too deep');

type TypedArrayConstructor = new (
  buffer: ArrayBuffer,
  byteOffset: number,
  length: number,
) => ArrayBufferView;

/** The typed-array constructors by prototype: a subclass (Node's `Buffer`) is not among them. */
const TYPED_ARRAYS = new Map<object, TypedArrayConstructor>(
  [
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
  ].map((TypedArray) => [TypedArray.prototype, TypedArray]),
);

/** An ArrayBuffer `slice` copies exactly as `structuredClone` would: not shared, not resizable. */
function isPlainBuffer(value: unknown): value is ArrayBuffer {
  return (
    value instanceof ArrayBuffer &&
    !(value as { resizable?: boolean }).resizable &&
    // Zero bytes may mean detached, which `structuredClone` refuses with its own error.
    value.byteLength > 0
  );
}

function copyArray(value: readonly unknown[], depth: number): unknown[] {
  const out: unknown[] = [];
  for (let index = 0; index < value.length; index += 1) {
    const item = value[index];
    // A hole stays a hole, as with structuredClone; checked only for undefined, which is rare.
    if (item === undefined && !(index in value)) out.length += 1;
    else out.push(copyValue(item, depth));
  }
  return out;
}

const hasOwn = Object.prototype.hasOwnProperty;

function copyObject(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // `for…in` visits the own enumerable string keys in `Object.keys` order (the prototype is
  // Object.prototype or null here, checked by the caller) without allocating a key array per
  // object: every store call copies a few objects each way, so those arrays were a twentieth of
  // what a web chat send allocates (bench B5). `hasOwn` skips anything a library added to
  // Object.prototype.
  for (const key in value) {
    if (hasOwn.call(value, key)) setKey(out, key, copyValue(value[key], depth));
  }
  return out;
}

function copyValue(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    // Functions and symbols: structuredClone throws its DataCloneError, as it always did here.
    return typeof value === 'function' || typeof value === 'symbol'
      ? structuredClone(value)
      : value;
  }
  if (depth >= MAX_DEPTH) throw TOO_DEEP;
  if (Array.isArray(value)) return copyArray(value, depth + 1);
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    return copyObject(value as Record<string, unknown>, depth + 1);
  }
  if (proto === Date.prototype) return new Date((value as Date).getTime());
  const typedArray = TYPED_ARRAYS.get(proto);
  if (typedArray !== undefined) {
    const view = value as Uint8Array;
    // structuredClone copies the whole buffer behind a view and keeps the view's offset.
    if (isPlainBuffer(view.buffer)) {
      return new typedArray(view.buffer.slice(0), view.byteOffset, view.length);
    }
  } else if (proto === ArrayBuffer.prototype && isPlainBuffer(value)) {
    return value.slice(0);
  }
  // Map, Set, RegExp, Error, DataView, class instances, boxed primitives…: rare in store data.
  return structuredClone(value);
}

type Container = Record<string, unknown> | unknown[];

/** Sets `key` on a copied object, keeping an own `__proto__` key a key (JSON.parse makes them). */
function setKey(out: Record<string, unknown>, key: string, item: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, {
      value: item,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    out[key] = item;
  }
}

/**
 * The slow path: a copy with an explicit work list instead of recursion, so no depth overflows
 * the stack, and a map of what it has copied, so a cycle (or an object reached twice) is copied
 * once and stays one, as `structuredClone` keeps it. Plain objects and arrays are walked here;
 * anything else is copied as a leaf by {@link copyValue}.
 */
function copyDeep(root: unknown): unknown {
  const copied = new Map<object, unknown>();
  const work: Array<{ from: object; to: Container }> = [];
  const visit = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return copyValue(value, 0);
    if (copied.has(value)) return copied.get(value);
    const proto = Object.getPrototypeOf(value);
    const plain = Array.isArray(value) || proto === Object.prototype || proto === null;
    const to = plain ? (Array.isArray(value) ? [] : {}) : copyValue(value, 0);
    copied.set(value, to);
    if (plain) work.push({ from: value, to: to as Container });
    return to;
  };
  const out = visit(root);
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    const { from, to } = next;
    if (Array.isArray(from)) {
      const list = to as unknown[];
      for (let index = 0; index < from.length; index += 1) {
        // A hole stays a hole.
        if (from[index] === undefined && !(index in from)) list.length = index + 1;
        else list[index] = visit(from[index]);
      }
    } else {
      const source = from as Record<string, unknown>;
      for (const key of Object.keys(source))
        setKey(to as Record<string, unknown>, key, visit(source[key]));
    }
  }
  return out;
}

/**
 * A deep copy. Everything crosses the store boundary through this, both ways: callers cannot change
 * stored data by mutating a result, nor by mutating an input after the call, just as with a
 * database.
 *
 * Hand-written because it runs on every call in and out, and Node 20's `structuredClone` (which
 * serialises to a buffer and back) costs several microseconds even for a small object. Plain
 * objects, arrays, Dates, typed arrays and ArrayBuffers are copied here with the same result
 * `structuredClone` gives; anything else goes to `structuredClone`, and any value nested deeper
 * than {@link MAX_DEPTH} (such as a cyclic one) to {@link copyDeep}, which never overflows. It differs only where the store's types do
 * not reach: strings are shared rather than duplicated (they are immutable), an object reached
 * twice in one value becomes two independent copies, and named (non-index) properties of an array
 * are left out, as JSON leaves them out.
 *
 * @example
 * ```ts
 * const stored = copy(input); // input.metadata.tag = 'x' later leaves stored alone
 * ```
 */
export function copy<T>(value: T): T {
  try {
    return copyValue(value, 0) as T;
  } catch (error) {
    if (error === TOO_DEEP) return copyDeep(value) as T;
    throw error;
  }
}
