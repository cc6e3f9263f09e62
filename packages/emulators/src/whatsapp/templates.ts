import { GraphErrorCode, type GraphErrorCodeValue } from './errors';
import type { TemplateDefinition } from './options';
import type { Template, TemplateParameter } from './validate-template';

/** The registry of approved templates; empty means "accept any template". */
export interface TemplateRegistry {
  find(name: string, language: string): TemplateDefinition | undefined;
  /** Why Graph would refuse this template, or `undefined` when it would accept it. */
  check(template: Template): { code: GraphErrorCodeValue; details: string } | undefined;
  /** The pricing category in status webhooks, lowercase as Meta sends it. */
  category(name: string, language: string): string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/** The parameters of one component type (`body`, `header`), whatever case the sender used. */
export function componentParameters(
  template: Template,
  type: 'header' | 'body',
): TemplateParameter[] {
  const component = template.components?.find((c) => c.type.toLowerCase() === type);
  return component?.parameters ?? [];
}

/** How a parameter reads on a phone: its text, its fallback value, or its kind. */
export function parameterText(parameter: TemplateParameter): string {
  switch (parameter.type) {
    case 'text':
      return parameter.text;
    case 'currency':
      return parameter.currency.fallback_value;
    case 'date_time':
      return parameter.date_time.fallback_value;
    case 'payload':
      return parameter.payload;
    case 'coupon_code':
      return parameter.coupon_code;
    default:
      return `[${parameter.type}]`;
  }
}

/**
 * Fills a template body's `{{1}}` / `{{name}}` placeholders from the send's body parameters.
 *
 * @example
 * ```ts
 * fillTemplate('Hi {{1}}, order {{2}} shipped', [{ type: 'text', text: 'Ann' }, { type: 'text', text: '42' }]);
 * // 'Hi Ann, order 42 shipped'
 * ```
 */
export function fillTemplate(text: string, parameters: readonly TemplateParameter[]): string {
  let position = 0;
  const named = new Map<string, string>();
  for (const parameter of parameters) {
    const name = 'parameter_name' in parameter ? parameter.parameter_name : undefined;
    if (name !== undefined) named.set(name, parameterText(parameter));
  }
  return text.replace(PLACEHOLDER, (whole, key: string) => {
    if (/^\d+$/.test(key)) {
      const parameter = parameters[Number(key) - 1] ?? parameters[position];
      position += 1;
      return parameter === undefined ? whole : parameterText(parameter);
    }
    return named.get(key) ?? whole;
  });
}

/**
 * Creates a {@link TemplateRegistry}. Without definitions every template passes, because most
 * tests care about the window and the wire shape, not about keeping a copy of Meta's approvals.
 *
 * @example
 * ```ts
 * const registry = createTemplateRegistry([{ name: 'order_update', language: 'en_US', body: 'Hi {{1}}' }]);
 * registry.check({ name: 'nope', language: { code: 'en_US' } }); // { code: 132001, … }
 * ```
 */
export function createTemplateRegistry(
  definitions: readonly TemplateDefinition[] | undefined,
): TemplateRegistry {
  const byKey = new Map(definitions?.map((d) => [`${d.name}|${d.language}`, d]));
  const find = (name: string, language: string) => byKey.get(`${name}|${language}`);
  return {
    find,
    category: (name, language) => (find(name, language)?.category ?? 'UTILITY').toLowerCase(),
    check(template) {
      if (definitions === undefined) return undefined;
      const definition = find(template.name, template.language.code);
      if (definition === undefined) {
        return {
          code: GraphErrorCode.TemplateDoesNotExist,
          details: `template name (${template.name}) does not exist in ${template.language.code}`,
        };
      }
      if (definition.body === undefined) return undefined;
      const expected = placeholders(definition.body).length;
      const given = componentParameters(template, 'body').length;
      if (expected === given) return undefined;
      return {
        code: GraphErrorCode.TemplateParamCountMismatch,
        details: `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
      };
    },
  };
}
