import type { z } from 'zod';
import { ERROR_BRAND } from './brand';
import { ThreadlineError } from './threadline-error';

/** One problem with one field of an input. `path` is dotted, e.g. `to.phoneNumber`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Turns a zod error into field issues whose paths start with `prefix` (an argument's name). */
export function issuesFromZod(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return { path: path === '' ? '(root)' : path, message: issue.message };
  });
}

function describe(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}

/**
 * Bad input to a call: names every field that is wrong and why. Never retryable.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof ValidationError) console.error(error.issues); // [{ path: 'to', message: … }]
 * }
 * ```
 */
export class ValidationError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'ValidationError';
  override name = 'ValidationError';
  readonly issues: readonly FieldIssue[];

  constructor(what: string, issues: readonly FieldIssue[], cause?: unknown) {
    super(`Invalid ${what}: ${describe(issues)}`, {
      code: 'validation_failed',
      category: 'validation',
      cause,
    });
    this.issues = issues;
  }
}

/**
 * A factory (`createX(options)`) was given options it cannot work with. The message names the
 * option, e.g. `Invalid options for createMemoryStore: clock.now: expected a function`.
 */
export class ConfigError extends ThreadlineError {
  static override readonly [ERROR_BRAND]: string = 'ConfigError';
  override name = 'ConfigError';
  readonly issues: readonly FieldIssue[];

  constructor(factory: string, issues: readonly FieldIssue[], cause?: unknown) {
    super(`Invalid options for ${factory}: ${describe(issues)}`, {
      code: 'invalid_options',
      category: 'config',
      cause,
    });
    this.issues = issues;
  }
}

/**
 * Parses `input` with `schema`, or throws a {@link ValidationError} naming each bad field.
 *
 * @example
 * ```ts
 * const input = parseInput(SendInputSchema, raw, 'send input');
 * ```
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(what, issuesFromZod(result.error), result.error);
}

/**
 * Parses a factory's options with `schema`, or throws a {@link ConfigError} naming each option.
 *
 * @example
 * ```ts
 * const options = parseOptions(MemoryStoreOptionsSchema, raw, 'createMemoryStore');
 * ```
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  factory: string,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ConfigError(factory, issuesFromZod(result.error), result.error);
}
