/**
 * A Web `Request` whose body is already in memory. The core reads every webhook body once (under
 * `webhooks.maxBodyBytes`) before the adapter sees it; handing the adapter a standard `Request`
 * built from those bytes made undici wrap them in a new `ReadableStream` on every webhook, about a
 * tenth of the inbound path's CPU in the B1 benchmark. This one answers the body methods
 * (`arrayBuffer`, `text`, `json`, `blob`, `formData`, `bytes`, `body`, `bodyUsed`, `clone`) from
 * the bytes directly, and builds a stream only if `body` is asked for.
 *
 * Each read works once, like a standard `Request` (a second read rejects with a `TypeError`).
 * Passing it on to `fetch()` sends no body: forward `rawBody` explicitly instead.
 */
/**
 * A copy the caller owns. Not `bytes.slice()`: on a Node `Buffer` (a body a framework kept) that
 * is a view of the same memory, and its `.buffer` is the whole shared pool, not this body.
 */
const copy = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

export class BufferedRequest extends Request {
  readonly #raw: Uint8Array;
  #used = false;
  #stream: ReadableStream<Uint8Array> | undefined;

  constructor(url: URL | string, init: { method: string; headers: Headers }, raw: Uint8Array) {
    super(url, { method: init.method, headers: init.headers });
    this.#raw = raw;
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

  static {
    // The body members are redefined on the prototype rather than as class members: the DOM and
    // Node typings declare them as properties of Request, which a subclass may not turn into
    // methods or accessors. Each answers from the bytes, copying, so the caller owns its buffer.
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const methods: Record<string, (this: BufferedRequest) => unknown> = {
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
        const type = this.headers.get('content-type') ?? '';
        return this.#read((bytes) => new Blob([copy(bytes)], { type }));
      },
      formData() {
        // Rare on webhooks (Twilio posts forms): the standard parser, on a Response of the bytes.
        return this.#read((bytes) =>
          new Response(copy(bytes), { headers: this.headers }).formData(),
        );
      },
      bytes() {
        return this.#read((bytes) => copy(bytes));
      },
      clone() {
        if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
        return new BufferedRequest(
          this.url,
          { method: this.method, headers: this.headers },
          this.#raw,
        );
      },
    };
    for (const [name, value] of Object.entries(methods)) {
      Object.defineProperty(BufferedRequest.prototype, name, {
        configurable: true,
        writable: true,
        value,
      });
    }
    Object.defineProperties(BufferedRequest.prototype, {
      body: {
        configurable: true,
        get(this: BufferedRequest) {
          return this.#bodyStream();
        },
      },
      bodyUsed: {
        configurable: true,
        get(this: BufferedRequest) {
          return this.#used;
        },
      },
    });
  }

  /** The body as a stream, made on first use; reading it counts as the one read. */
  #bodyStream(): ReadableStream<Uint8Array> {
    if (this.#stream === undefined) {
      const request = this;
      this.#stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(copy(request.#take()));
          controller.close();
        },
      });
    }
    return this.#stream;
  }
}
