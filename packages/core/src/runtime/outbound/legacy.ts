import { ValidationError } from '../../errors/validation';
import { silentLogger } from '../../time/logger';
import type { RuntimeContext } from '../context';
import { type Deprecation, warnDeprecated } from '../deprecation';
import type { SendWarning } from './result';

/**
 * The 0.x input forms, rewritten to the one shape (`docs/naming.md`) before validation. Each still
 * works for one minor: it is logged once per process and adds a `deprecated_input` warning to the
 * result.
 */

export const DEPRECATED_CHANNEL_IDENTIFIER: Deprecation = {
  code: 'THREADLINE_DEP_CHANNEL_IDENTIFIER',
  message:
    '`options.channelIdentifier` is deprecated: pass the sender as the top-level `from` (the same adapter id)',
};

export const DEPRECATED_TEMPLATE_FIELDS: Deprecation = {
  code: 'THREADLINE_DEP_TEMPLATE_FIELDS',
  message:
    '`templateName`/`languageCode`/`components`/`category` at the top level are deprecated: pass `template: { name, languageCode, components, category }`',
};

export const DEPRECATED_POSITIONAL_SEND_TEMPLATE: Deprecation = {
  code: 'THREADLINE_DEP_SEND_TEMPLATE_CHANNEL',
  message:
    '`channels.sendTemplate(channel, input)` is deprecated: call `channels.sendTemplate({ channel, to, template, from })`',
};

export const DEPRECATED_POSITIONAL_BULK: Deprecation = {
  code: 'THREADLINE_DEP_BULK_POSITIONAL',
  message:
    '`templates.whatsapp.send(channelId, templateName, input)` is deprecated: call `templates.whatsapp.send({ from, template: { name, languageCode, values }, phoneNumbers })`',
};

/** Collects the deprecated forms one call used, reporting each once per process. */
export class DeprecationLog {
  readonly #ctx: RuntimeContext;
  readonly #used: Deprecation[] = [];

  constructor(ctx: RuntimeContext) {
    this.#ctx = ctx;
  }

  use(deprecation: Deprecation): void {
    this.#used.push(deprecation);
    // Quiet by default is right for logs, not for a deprecation: without a logger, Node shows it.
    const { logger } = this.#ctx;
    warnDeprecated(deprecation, logger === silentLogger ? undefined : logger);
  }

  /** One `deprecated_input` warning per form used, for the send's result. */
  warnings(): SendWarning[] {
    return this.#used.map((deprecation) => ({
      code: 'deprecated_input',
      message: deprecation.message,
    }));
  }
}

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `options.channelIdentifier` → `from`. */
export function liftChannelIdentifier(raw: unknown, log: DeprecationLog): unknown {
  if (!isObject(raw) || !isObject(raw.options) || raw.options.channelIdentifier === undefined) {
    return raw;
  }
  const { channelIdentifier, ...options } = raw.options;
  log.use(DEPRECATED_CHANNEL_IDENTIFIER);
  if (raw.from !== undefined && raw.from !== channelIdentifier) {
    throw new ValidationError('send input', [
      {
        path: 'options.channelIdentifier',
        message: `names another sender than from (${JSON.stringify(raw.from)}); give only from`,
      },
    ]);
  }
  return { ...raw, from: channelIdentifier, options };
}

const LEGACY_TEMPLATE_KEYS = ['templateName', 'languageCode', 'components', 'category'] as const;

/** `{ templateName, languageCode, components, category }` → `template: { … }`. */
export function nestTemplateFields(raw: unknown, log: DeprecationLog): unknown {
  if (!isObject(raw) || raw.templateName === undefined || raw.template !== undefined) return raw;
  log.use(DEPRECATED_TEMPLATE_FIELDS);
  const rest: Loose = { ...raw };
  const template: Loose = { name: raw.templateName };
  for (const key of LEGACY_TEMPLATE_KEYS) {
    delete rest[key];
    if (key !== 'templateName' && raw[key] !== undefined) template[key] = raw[key];
  }
  return { ...rest, template };
}
