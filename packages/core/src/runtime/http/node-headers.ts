import type { IncomingHttpHeaders } from 'node:http';

/**
 * The `Headers` of a `node:http` request, filled on demand. Copying every header of every webhook
 * into a `Headers` (name checks, value normalisation, one `append` each) cost about a fifth of the
 * Node edge's own work in the B1 benchmark, while an adapter reads one or two of them (the
 * signature, the content type). `get` and `has` answer from Node's parsed headers (already
 * lower-cased, trimmed, and joined with `, ` as `Headers` joins them); anything else (iteration,
 * `set`, `append`, `delete`, `getSetCookie`) first copies them all in, once, then is the standard
 * `Headers` behaviour, so the result is always a real `Headers`.
 *
 * @example
 * ```ts
 * const headers = new NodeHeaders(request.headers);
 * headers.get('X-Hub-Signature-256'); // from Node's object, no copy
 * [...headers]; // copies every header in once, then iterates as Headers does
 * ```
 */
/** The standard `append`, which the prototype's own `append` (filling first) must not reach. */
const APPEND = Headers.prototype.append;

export class NodeHeaders extends Headers {
  #raw: IncomingHttpHeaders | undefined;

  constructor(raw: IncomingHttpHeaders) {
    super();
    this.#raw = raw;
  }

  /** Copies Node's headers in, once; after that the standard `Headers` holds them. */
  #fill(): void {
    const raw = this.#raw;
    if (raw === undefined) return;
    this.#raw = undefined;
    for (const name of Object.keys(raw)) {
      const value = raw[name];
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) APPEND.call(this, name, item);
      else APPEND.call(this, name, value);
    }
  }

  static {
    // Declared as properties of Headers in the DOM and Node typings, so a subclass may not
    // override them as methods: they are redefined on the prototype instead, each filling first.
    const standard = Headers.prototype as unknown as Record<
      PropertyKey,
      (...a: unknown[]) => unknown
    >;
    const filling: PropertyKey[] = [
      'set',
      'append',
      'delete',
      'getSetCookie',
      'forEach',
      'entries',
      'keys',
      'values',
      Symbol.iterator,
    ];
    const STANDARD_GET = Headers.prototype.get;
    const STANDARD_HAS = Headers.prototype.has;
    Object.defineProperties(NodeHeaders.prototype, {
      get: {
        configurable: true,
        writable: true,
        value(this: NodeHeaders, name: string): string | null {
          const raw = this.#raw;
          const value = raw?.[name.toLowerCase()];
          // A miss asks the standard Headers (still empty if unfilled), which also refuses an
          // invalid name as it always did.
          if (value === undefined) return STANDARD_GET.call(this, name);
          return Array.isArray(value) ? value.join(', ') : value;
        },
      },
      has: {
        configurable: true,
        writable: true,
        value(this: NodeHeaders, name: string): boolean {
          if (this.#raw?.[name.toLowerCase()] !== undefined) return true;
          return STANDARD_HAS.call(this, name);
        },
      },
    });
    for (const name of filling) {
      const method = standard[name] as (...a: unknown[]) => unknown;
      Object.defineProperty(NodeHeaders.prototype, name, {
        configurable: true,
        writable: true,
        value(this: NodeHeaders, ...args: unknown[]) {
          this.#fill();
          return method.apply(this, args);
        },
      });
    }
  }
}
