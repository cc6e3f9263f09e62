import type { z } from 'zod';

/** One problem with one option. `path` is dotted, e.g. `statusDelaysMs.read`. */
export interface OptionIssue {
  path: string;
  message: string;
}

/**
 * An emulator factory was given options it cannot work with; the message names each bad option,
 * e.g. `Invalid options for createWhatsAppEmulator: appSecret: expected string, received undefined`.
 *
 * It mirrors `ConfigError` from `@threadline/core` (same `code`, same message) without importing
 * it: the emulators speak the providers' protocols, not ours, and stay usable without core.
 */
export class EmulatorConfigError extends Error {
  override name = 'EmulatorConfigError';
  /** Stable code, the same as core's `ConfigError`. */
  readonly code = 'invalid_options';
  readonly issues: readonly OptionIssue[];

  constructor(factory: string, issues: readonly OptionIssue[], cause?: unknown) {
    const described = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    super(`Invalid options for ${factory}: ${described}`, { cause });
    this.issues = issues;
  }
}

/**
 * Parses a factory's options with `schema`, or throws an {@link EmulatorConfigError} naming each.
 *
 * @example
 * ```ts
 * const options = parseEmulatorOptions(WhatsAppEmulatorOptionsSchema, raw, 'createWhatsAppEmulator');
 * ```
 */
export function parseEmulatorOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  factory: string,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new EmulatorConfigError(factory, issues, result.error);
}
