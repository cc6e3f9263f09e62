/**
 * Why a brand: an app that loads both the ESM and the CJS build of `@threadline/core` (or two
 * copies in `node_modules`) gets two `ThreadlineError` classes, and a plain `instanceof` across
 * them is false, so the core would treat a retryable provider failure as an unknown bug.
 * `Symbol.for` keys live in the global symbol registry, so every copy sees the same key and can
 * recognise an error made by another copy.
 */
export const ERROR_BRANDS = Symbol.for('@threadline/core/error-brands');

/** The static key under which a branded class names itself. */
export const ERROR_BRAND = Symbol.for('@threadline/core/error-brand');

interface BrandedClass {
  [ERROR_BRAND]?: string;
}

/**
 * The brands of every class from `errorClass` up its parent chain that declares its own,
 * e.g. `['DeliveryError', 'ThreadlineError']`.
 */
export function brandsOf(errorClass: unknown): string[] {
  const brands: string[] = [];
  let current: unknown = errorClass;
  while (typeof current === 'function') {
    if (Object.hasOwn(current, ERROR_BRAND)) {
      const brand = (current as BrandedClass)[ERROR_BRAND];
      if (typeof brand === 'string') brands.push(brand);
    }
    current = Object.getPrototypeOf(current);
  }
  return brands;
}

/**
 * `instanceof` for a branded class: the prototype chain first, then the brand, so an error built by
 * another copy of the package still matches. A subclass that declares no brand of its own (an
 * adapter's error class) keeps the ordinary prototype check, so it never matches its siblings.
 */
export function hasBrandedInstance(errorClass: unknown, value: unknown): boolean {
  if (typeof errorClass !== 'function') return false;
  if (Function.prototype[Symbol.hasInstance].call(errorClass, value)) return true;
  if (!Object.hasOwn(errorClass, ERROR_BRAND)) return false;
  if (typeof value !== 'object' || value === null) return false;
  const brands = (value as { [ERROR_BRANDS]?: unknown })[ERROR_BRANDS];
  const own = (errorClass as BrandedClass)[ERROR_BRAND];
  return Array.isArray(brands) && typeof own === 'string' && brands.includes(own);
}
