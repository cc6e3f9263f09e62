/**
 * A Web `Request` whose body is already in memory, built lazily. The core reads every webhook body
 * once (under `webhooks.maxBodyBytes`) before the adapter sees it. Constructing a standard
 * `Request` for it (undici parses the URL again, copies the headers, makes an `AbortSignal`, and
 * wraps the bytes in a `ReadableStream`) cost more than the whole bare webhook in the B1
 * benchmark, while an adapter reads its method, URL, a header or two and the body. This object
 * answers those itself: `method`, `url`, `headers` (the `Headers` it was given), and the body
 * methods (`arrayBuffer`, `text`, `json`, `blob`, `formData`, `bytes`, `body`, `bodyUsed`,
 * `clone`) from the bytes. Every other member (`signal`, `mode`, `cache`, …, and undici's internal
 * slots, so `new Request(request)` and `fetch(request)` still accept it on Node 20) comes from a
 * standard `Request` built on first use. It is `instanceof Request`.
 *
 * Each read works once, like a standard `Request` (a second read rejects with a `TypeError`).
 * To forward the webhook with `fetch()`, pass `rawBody` explicitly as the body.
 *
 * Where this runtime's `Request` does not accept the lazy one as input (a later undici keeping its
 * state in private fields), {@link bufferedRequest} builds a standard `Request` instead, so
 * `new Request(request)` and `fetch(request)` never break for an adapter: only slower.
 */

/**
 * A copy the caller owns. Not `bytes.slice()`: on a Node `Buffer` (a body a framework kept) that
 * is a view of the same memory, and its `.buffer` is the whole shared pool, not this body.
 */
const copy = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

/** What the constructor takes: the request line and headers as the edge already has them. */
export interface BufferedRequestInit {
  method: string;
  headers: Headers;
}

/** The members answered without a standard `Request`; the rest of the prototype is delegated. */
const OWN_MEMBERS = new Set([
  'constructor',
  'method',
  'url',
  'headers',
  'body',
  'bodyUsed',
  'arrayBuffer',
  'text',
  'json',
  'blob',
  'formData',
  'bytes',
  'clone',
]);

/**
 * undici's per-instance internal slots (symbols on a `Request`), read by `new Request(input)` and
 * `fetch(input)`: found once from a sample, and delegated to the full `Request`.
 */
const INTERNAL_SLOTS = Object.getOwnPropertySymbols(new Request('http://localhost/'));

class LazyRequest {
  readonly #url: URL | string;
  readonly #method: string;
  readonly #headers: Headers;
  readonly #raw: Uint8Array;
  #used = false;
  #stream: ReadableStream<Uint8Array> | undefined;
  #full: Request | undefined;

  constructor(url: URL | string, init: BufferedRequestInit, raw: Uint8Array) {
    this.#url = url;
    this.#method = init.method;
    this.#headers = init.headers;
    this.#raw = raw;
  }

  /** The standard `Request` behind the rarely read members, built on first use. */
  #standard(): Request {
    if (this.#full === undefined) {
      const bodyless = this.#method === 'GET' || this.#method === 'HEAD';
      this.#full = new Request(this.#url, {
        method: this.#method,
        headers: this.#headers,
        ...(bodyless ? {} : { body: copy(this.#raw) }),
      });
    }
    return this.#full;
  }

  /** The bytes, once: a second read fails as it would on a consumed stream. */
  #take(): Uint8Array {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#raw;
  }

  /** Runs a read so a second one rejects rather than throws, as the standard methods do. */
  #read<T>(convert: (bytes: Uint8Array) => T | Promise<T>): Promise<T> {
    try {
      return Promise.resolve(convert(this.#take()));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The body as a stream, made on first use; reading it counts as the one read. */
  #bodyStream(): ReadableStream<Uint8Array> {
    if (this.#stream === undefined) {
      const take = () => this.#take();
      this.#stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(copy(take()));
          controller.close();
        },
      });
    }
    return this.#stream;
  }

  static {
    const proto = LazyRequest.prototype;
    // Inherit Request's prototype so `instanceof Request` holds and new members are reached.
    Object.setPrototypeOf(proto, Request.prototype);
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const getters: Record<string, (this: LazyRequest) => unknown> = {
      method() {
        return this.#method;
      },
      url() {
        const url = this.#url;
        return typeof url === 'string' ? url : url.href;
      },
      headers() {
        return this.#headers;
      },
      body() {
        return this.#bodyStream();
      },
      bodyUsed() {
        return this.#used;
      },
    };
    const methods: Record<string, (this: LazyRequest) => unknown> = {
      arrayBuffer() {
        return this.#read((bytes) => copy(bytes).buffer);
      },
      text() {
        return this.#read(decode);
      },
      json() {
        return this.#read((bytes) => JSON.parse(decode(bytes)) as unknown);
      },
      blob() {
        const type = this.#headers.get('content-type') ?? '';
        return this.#read((bytes) => new Blob([copy(bytes)], { type }));
      },
      formData() {
        // Rare on webhooks (Twilio posts forms): the standard parser, on a Response of the bytes.
        return this.#read((bytes) =>
          new Response(copy(bytes), { headers: this.#headers }).formData(),
        );
      },
      bytes() {
        return this.#read((bytes) => copy(bytes));
      },
      clone() {
        if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
        return new LazyRequest(
          this.#url,
          { method: this.#method, headers: this.#headers },
          this.#raw,
        );
      },
    };
    for (const [name, get] of Object.entries(getters)) {
      Object.defineProperty(proto, name, { configurable: true, get });
    }
    for (const [name, value] of Object.entries(methods)) {
      Object.defineProperty(proto, name, { configurable: true, writable: true, value });
    }
    // Everything else a Request has (today `signal`, `mode`, `cache`, …) is the full Request's.
    for (const [name, descriptor] of Object.entries(
      Object.getOwnPropertyDescriptors(Request.prototype),
    )) {
      if (OWN_MEMBERS.has(name)) continue;
      if (descriptor.get !== undefined) {
        Object.defineProperty(proto, name, {
          configurable: true,
          get(this: LazyRequest) {
            return Reflect.get(this.#standard(), name);
          },
        });
      } else if (typeof descriptor.value === 'function') {
        Object.defineProperty(proto, name, {
          configurable: true,
          writable: true,
          value(this: LazyRequest, ...args: unknown[]) {
            const full = this.#standard();
            return (Reflect.get(full, name) as (...a: unknown[]) => unknown).apply(full, args);
          },
        });
      }
    }
    for (const slot of INTERNAL_SLOTS) {
      Object.defineProperty(proto, slot, {
        configurable: true,
        get(this: LazyRequest) {
          return Reflect.get(this.#standard(), slot);
        },
      });
    }
  }
}

/** Builds a {@link BufferedRequest}. */
export interface BufferedRequestConstructor {
  new (url: URL | string, init: BufferedRequestInit, raw: Uint8Array): Request;
  readonly prototype: Request;
}

/**
 * A `Request` over bytes already read, with the request line and headers the edge already has;
 * nothing of a standard `Request` is built unless a member only it has is read.
 *
 * @example
 * ```ts
 * const request = new BufferedRequest(url, { method: 'POST', headers }, bytes);
 * request instanceof Request; // true
 * await request.json(); // parsed from `bytes`, no stream
 * ```
 */
export const BufferedRequest = LazyRequest as unknown as BufferedRequestConstructor;

/**
 * Whether this runtime's `Request` takes a {@link BufferedRequest} as input, as `new Request(input)`
 * and `fetch(input)` do: checked once, on a sample, when the module loads.
 */
function lazyAccepted(): boolean {
  try {
    const sample = new BufferedRequest(
      'http://localhost/',
      { method: 'POST', headers: new Headers({ 'x-probe': '1' }) },
      new TextEncoder().encode('{}'),
    );
    const copied = new Request(sample);
    return copied.method === 'POST' && copied.headers.get('x-probe') === '1';
  } catch {
    return false;
  }
}

/** See {@link lazyAccepted}; true on Node 20, whose undici keeps a request's state in symbols. */
export const LAZY_REQUEST_ACCEPTED = lazyAccepted();

/**
 * The adapter's `Request` for a webhook whose body is already read: a {@link BufferedRequest}
 * where this runtime accepts one as a `Request` input, else a standard `Request` over a copy of
 * the bytes (pass `lazy: false` to force it; the tests do).
 *
 * @example
 * ```ts
 * const request = bufferedRequest(url, { method: 'POST', headers }, bytes);
 * await request.json();
 * ```
 */
export function bufferedRequest(
  url: URL | string,
  init: BufferedRequestInit,
  raw: Uint8Array,
  lazy = LAZY_REQUEST_ACCEPTED,
): Request {
  if (lazy) return new BufferedRequest(url, init, raw);
  const bodyless = init.method === 'GET' || init.method === 'HEAD';
  return new Request(url, {
    method: init.method,
    headers: init.headers,
    ...(bodyless ? {} : { body: copy(raw) }),
  });
}
