/**
 * The logging surface Threadline writes to. pino's loggers fit it as they are; so does a small
 * wrapper around `console`. Quiet by default: pass one to see what happens.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * createThreadline({ …, logger: pino() });
 * ```
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

const ignore = (): void => {};

/** A logger that drops everything: the default. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
