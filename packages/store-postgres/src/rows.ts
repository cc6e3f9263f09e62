import { type JsonValue, ValidationError } from '@threadline/core';

/** A row as a driver returns it: column name → value. */
export type Row = Record<string, unknown>;

/**
 * A JSON value as a query parameter, for a `$n::jsonb` placeholder (`null` for SQL NULL).
 * Serialised here rather than by the driver: node-postgres would turn a JS array into a Postgres
 * array literal, not JSON.
 */
export function jsonParam(value: JsonValue | object | undefined, path = 'value'): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value);
  } catch (error) {
    // A value nested thousands of levels deep overflows JSON.stringify's stack (a cyclic one
    // or a BigInt cannot be JSON at all): say which field, as a typed error, before any SQL runs.
    throw new ValidationError('stored JSON', [
      { path, message: `cannot be stored as JSON: ${(error as Error).message}` },
    ]);
  }
}

/** A timestamp as a query parameter, for a `$n::timestamptz` placeholder: ISO 8601, unambiguous. */
export function timeParam(value: Date | null | undefined): string | null {
  return value === undefined || value === null ? null : value.toISOString();
}

/** A `timestamptz` column as a Date (both drivers return Dates; a copy keeps rows immutable). */
export function toDate(value: unknown): Date {
  return value instanceof Date ? new Date(value.getTime()) : new Date(String(value));
}

/** A nullable `timestamptz` column. */
export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

/**
 * A `bigint` column as a number. node-postgres returns int8 as a string (it may exceed 2^53);
 * sequence numbers and counts here never do.
 */
export function toNumber(value: unknown): number {
  return Number(value);
}

/**
 * Copies the columns that are not NULL onto `target` under their field names, so optional fields
 * are absent rather than `undefined` or `null`, as the contract's types and the memory store have
 * them.
 *
 * @example
 * ```ts
 * withOptional({ id: 'x' }, row, { display_name: 'displayName' }); // { id: 'x', displayName: 'Ann' }
 * ```
 */
export function withOptional<T extends object>(
  target: T,
  row: Row,
  columns: Record<string, string>,
  convert: (value: unknown) => unknown = (value) => value,
): T {
  for (const [column, field] of Object.entries(columns)) {
    const value = row[column];
    if (value !== null && value !== undefined) {
      (target as Record<string, unknown>)[field] = convert(value);
    }
  }
  return target;
}
