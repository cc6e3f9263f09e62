import type { Logger } from '../time/logger';

/**
 * Deprecated input forms, each warned about once per process. The set lives on `globalThis` under
 * a `Symbol.for` key so an app that loads both the ESM and the CJS build still warns once.
 */
const WARNED = Symbol.for('threadline.deprecations.warned');

function warnedSet(): Set<string> {
  const holder = globalThis as { [WARNED]?: Set<string> };
  holder[WARNED] ??= new Set<string>();
  return holder[WARNED];
}

/** A deprecated form that was used: a stable code and what to write instead. */
export interface Deprecation {
  code: string;
  message: string;
}

/**
 * Reports a deprecated input form, the first time this process meets it: to `logger.warn` when
 * given, else as a Node `DeprecationWarning` (`process.emitWarning`). Later uses are silent.
 * Returns whether this call was the one that warned.
 *
 * @example
 * ```ts
 * warnDeprecated({ code: 'THREADLINE_TEMPLATE_LANGUAGE', message: '`language` is now `languageCode`' });
 * ```
 */
export function warnDeprecated(deprecation: Deprecation, logger?: Logger): boolean {
  const warned = warnedSet();
  if (warned.has(deprecation.code)) return false;
  warned.add(deprecation.code);
  if (logger) {
    logger.warn({ deprecation: deprecation.code }, deprecation.message);
    return true;
  }
  const processLike = (
    globalThis as {
      process?: {
        emitWarning?: (message: string, options: { type: string; code: string }) => void;
      };
    }
  ).process;
  processLike?.emitWarning?.(deprecation.message, {
    type: 'DeprecationWarning',
    code: deprecation.code,
  });
  return true;
}

/** Forgets which deprecations were reported (tests that check the once-per-process rule). */
export function resetDeprecationWarnings(): void {
  warnedSet().clear();
}
