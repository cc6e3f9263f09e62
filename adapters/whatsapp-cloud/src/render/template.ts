import { DeliveryError, type TemplateMessage } from '@threadline/core';
import type { GraphMessage } from './text';

/**
 * Template messages. Raw Meta `components` pass through untouched; named `values` (what bulk sends
 * and hosts write) are rendered into header, body and button components.
 * Source: https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components
 */

type Parameter = Record<string, unknown>;
type Component = Record<string, unknown>;
/** Named template values (`TemplateValues` in core, which does not export the name). */
type TemplateValues = NonNullable<TemplateMessage['values']>;

/** `"1"`, `"2"`, …: the keys of positional (`{{1}}`) parameters. */
const POSITION = /^[1-9]\d*$/;

/** Header value keys that are media rather than text, and the parameter each becomes. */
const HEADER_MEDIA: Record<string, { kind: 'image' | 'video' | 'document'; field: 'link' | 'id' }> =
  {
    image_url: { kind: 'image', field: 'link' },
    image_id: { kind: 'image', field: 'id' },
    video_url: { kind: 'video', field: 'link' },
    video_id: { kind: 'video', field: 'id' },
    document_url: { kind: 'document', field: 'link' },
    document_id: { kind: 'document', field: 'id' },
  };
const DOCUMENT_FILENAME = 'document_filename';

function refuse(template: TemplateMessage, message: string): DeliveryError {
  return new DeliveryError(`Template ${template.name}: ${message}`, {
    category: 'template',
    provider: 'meta',
    retryable: false,
  });
}

/**
 * Text parameters from values. Keys `"1"`, `"2"`, … are positional (`{{1}}` templates) and go in
 * number order without names; any other keys are named (`{{first_name}}` templates) and carry
 * `parameter_name`. Mixing the two, or leaving a gap in the positions, is refused before Meta
 * would refuse it (132000).
 */
function textParameters(
  template: TemplateMessage,
  values: Record<string, string>,
  where: string,
): Parameter[] {
  const keys = Object.keys(values);
  const positional = keys.filter((key) => POSITION.test(key));
  if (positional.length === 0) {
    return keys.map((key) => ({ type: 'text', parameter_name: key, text: values[key] }));
  }
  if (positional.length !== keys.length) {
    throw refuse(template, `${where} mixes positional ("1", "2", …) and named parameters`);
  }
  const ordered = positional.map(Number).sort((a, b) => a - b);
  if (ordered.some((position, index) => position !== index + 1)) {
    throw refuse(template, `${where} positions must be 1..${keys.length} without gaps`);
  }
  return ordered.map((position) => ({ type: 'text', text: values[String(position)] }));
}

function headerComponent(template: TemplateMessage, header: Record<string, string>): Component {
  const entries = Object.entries(header);
  const media = entries.filter(([key]) => key in HEADER_MEDIA);
  const text = Object.fromEntries(
    entries.filter(([key]) => !(key in HEADER_MEDIA) && key !== DOCUMENT_FILENAME),
  );
  if (media.length === 0) {
    if (DOCUMENT_FILENAME in header) throw refuse(template, 'document_filename without a document');
    return { type: 'header', parameters: textParameters(template, text, 'header') };
  }
  const [first, ...others] = media;
  if (others.length > 0 || Object.keys(text).length > 0) {
    throw refuse(template, 'a header is one media file or text, not both');
  }
  const [key, value] = first as [string, string];
  const { kind, field } = HEADER_MEDIA[key] as (typeof HEADER_MEDIA)[string];
  const filename = kind === 'document' ? header[DOCUMENT_FILENAME] : undefined;
  const object = { [field]: value, ...(filename === undefined ? {} : { filename }) };
  return { type: 'header', parameters: [{ type: kind, [kind]: object }] };
}

type TemplateButton = NonNullable<TemplateValues['buttons']>[number];

/** A button's parameters, or `undefined` for a static button (a phone number) that takes none. */
function buttonParameters(
  template: TemplateMessage,
  button: TemplateButton,
): Parameter[] | undefined {
  const missing = (what: string) =>
    refuse(template, `${button.subType} button ${button.index} needs ${what}`);
  switch (button.subType) {
    case 'quick_reply':
      if (button.payload === undefined) throw missing('a payload');
      return [{ type: 'payload', payload: button.payload }];
    case 'url':
      if (button.text === undefined) throw missing('text (the URL suffix)');
      return [{ type: 'text', text: button.text }];
    case 'copy_code':
      if (button.couponCode === undefined) throw missing('a couponCode');
      return [{ type: 'coupon_code', coupon_code: button.couponCode }];
    case 'phone_number':
      return button.text === undefined ? undefined : [{ type: 'text', text: button.text }];
  }
}

/**
 * Template values → Meta components: header (text parameters, or one media file from
 * `image_url`/`video_url`/`document_url`/`*_id` with `document_filename`), body, and one button
 * component per button that takes a parameter.
 *
 * @example
 * ```ts
 * renderTemplateValues(template, { body: { first_name: 'Ann' } });
 * // [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ann' }] }]
 * renderTemplateValues(template, { body: { '1': 'Ann', '2': '12345' } });
 * // [{ type: 'body', parameters: [{ type: 'text', text: 'Ann' }, { type: 'text', text: '12345' }] }]
 * ```
 */
export function renderTemplateValues(
  template: TemplateMessage,
  values: TemplateValues,
): Component[] {
  const components: Component[] = [];
  if (values.header && Object.keys(values.header).length > 0) {
    components.push(headerComponent(template, values.header));
  }
  if (values.body && Object.keys(values.body).length > 0) {
    components.push({ type: 'body', parameters: textParameters(template, values.body, 'body') });
  }
  for (const button of values.buttons ?? []) {
    const parameters = buttonParameters(template, button);
    if (parameters === undefined) continue;
    components.push({
      type: 'button',
      sub_type: button.subType,
      index: String(button.index),
      parameters,
    });
  }
  return components;
}

/** Which slot a component fills: `header`, `body`, `button:<index>`, `carousel`… */
function slot(component: unknown): string {
  if (typeof component !== 'object' || component === null) return '';
  const { type, index } = component as { type?: unknown; index?: unknown };
  return type === 'button' ? `button:${String(index)}` : String(type);
}

/**
 * A template envelope → the Graph template message. Raw `components` go first and as they are;
 * rendered `values` fill only the slots the raw components leave empty, so a host that passes
 * both keeps control of what it wrote by hand.
 *
 * @example
 * ```ts
 * renderTemplate({ name: 'order_update', languageCode: 'en_US', values: { body: { '1': 'Ann' } } });
 * // { type: 'template', template: { name: 'order_update', language: { code: 'en_US' },
 * //   components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ann' }] }] } }
 * ```
 */
export function renderTemplate(template: TemplateMessage): GraphMessage {
  const raw = template.components ?? [];
  const taken = new Set(raw.map(slot));
  const rendered = template.values ? renderTemplateValues(template, template.values) : [];
  const components = [...raw, ...rendered.filter((component) => !taken.has(slot(component)))];
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.languageCode },
      ...(components.length > 0 ? { components } : {}),
    },
  };
}
