import type { Capabilities, ComponentKind, SendResult } from '@threadline/core';
import { expect } from 'vitest';
import { type ComponentCase, fitsNatively } from './component-cases';
import type { RenderedMessage } from './rendered';

/**
 * The assertions the outbound conformance tests make on what reached the provider. Each one
 * names the limit it checks, so a failure reads as the rule that was broken.
 */

type TextMessage = Extract<RenderedMessage, { type: 'text' }>;
type ComponentMessage = Extract<RenderedMessage, { type: 'component' }>;

const isText = (message: RenderedMessage): message is TextMessage => message.type === 'text';
const isComponent = (message: RenderedMessage): message is ComponentMessage =>
  message.type === 'component';

/** A URL alone: `splitText` never cuts one, so it is the only text allowed over the limit. */
const LONE_URL = /^https?:\/\/\S+$/i;

/** Every text message visible to the user, as one string with whitespace collapsed. */
export function visibleText(messages: readonly RenderedMessage[]): string {
  return messages
    .filter(isText)
    .map((message) => message.text)
    .join(' ')
    .replace(/\s+/g, ' ');
}

/**
 * Every text message has something to read and is within `text.maxLength`, unless it is a single
 * long URL. Providers refuse an empty text (Telegram, WhatsApp) or show a blank bubble.
 */
export function expectTextWithinLimit(
  messages: readonly RenderedMessage[],
  capabilities: Capabilities,
): void {
  const { maxLength } = capabilities.text;
  for (const { text } of messages.filter(isText)) {
    expect(text.trim(), 'an empty text message reached the provider').not.toBe('');
    if (LONE_URL.test(text.trim())) continue;
    expect(
      text.length,
      `a text message of ${text.length} characters exceeds text.maxLength ${maxLength}: ${JSON.stringify(text.slice(0, 80))}…`,
    ).toBeLessThanOrEqual(maxLength);
  }
}

/** Every native component is of a kind whose mode is `native`, within its `max`/`maxLabelLength`. */
export function expectComponentsWithinCapabilities(
  messages: readonly RenderedMessage[],
  capabilities: Capabilities,
): void {
  for (const component of messages.filter(isComponent)) {
    const support = capabilities.components[component.kind];
    expect(support.mode, `a native ${component.kind} reached the provider`).toBe('native');
    if (support.max !== undefined) {
      expect(component.items, `${component.kind} items over max`).toBeLessThanOrEqual(support.max);
    }
    const { maxLabelLength } = support;
    if (maxLabelLength === undefined) continue;
    for (const label of component.labels ?? []) {
      expect(
        label.length,
        `${component.kind} label ${JSON.stringify(label)} over maxLabelLength`,
      ).toBeLessThanOrEqual(maxLabelLength);
    }
  }
}

/** Kinds a block of `kind` may arrive as: a carousel that cannot be shown becomes a list. */
function acceptableKinds(kind: ComponentKind): ComponentKind[] {
  return kind === 'horizontal-list-item' ? [kind, 'list-item'] : [kind];
}

/**
 * Checks what reached the provider for one component case:
 * - text within the limit and components within their capabilities (the checks above);
 * - the lead text arrived;
 * - `drop`: no component and no trace of the block;
 * - otherwise the block arrived whole, as a native component with every item, or as text that
 *   shows every item;
 * - a block that fits a `native` kind arrived natively;
 * - `navigate` is never visible unless its mode is `fallback`.
 */
export function expectCaseRendered(
  testCase: ComponentCase,
  messages: readonly RenderedMessage[],
  capabilities: Capabilities,
): void {
  expectTextWithinLimit(messages, capabilities);
  expectComponentsWithinCapabilities(messages, capabilities);
  const visible = visibleText(messages);
  expect(visible, 'the text around the block is missing').toContain(
    testCase.lead.replace(/\s+/g, ' '),
  );

  const support = capabilities.components[testCase.kind];
  const kinds = acceptableKinds(testCase.kind);
  const components = messages.filter(isComponent);
  const native = components.filter((component) => kinds.includes(component.kind));
  expect(
    components.length - native.length,
    'a component of another kind reached the provider',
  ).toBe(0);

  if (support.mode === 'drop') {
    expect(native, `${testCase.kind} is "drop" but was sent natively`).toEqual([]);
    for (const marker of testCase.markers) {
      expect(visible, `${testCase.kind} is "drop" but was shown as text`).not.toContain(marker);
    }
  } else if (native.length > 0) {
    expect(native, `${testCase.kind} must arrive as one component`).toHaveLength(1);
    expect(native[0]?.items, `a native ${testCase.kind} lost items`).toBe(testCase.items);
    // A keyboard rides on the text before it: the adapter adds a carrier text of its own only
    // when there is none. (Other kinds may show text of their own, such as a flow's body.)
    if (testCase.kind === 'actions' && testCase.lead !== '') {
      expect(visible.trim(), `a native keyboard after text added text of its own`).toBe(
        testCase.lead.replace(/\s+/g, ' ').trim(),
      );
    }
  } else {
    for (const marker of testCase.markers) {
      expect(visible, `${testCase.kind} shown as text lost an item`).toContain(marker);
    }
  }

  if (fitsNatively(testCase, support)) {
    expect(
      native.map((component) => component.kind),
      `${testCase.kind} fits its native limits, so it must be rendered natively`,
    ).toEqual([testCase.kind]);
  }
  if (support.mode !== 'fallback') {
    for (const hidden of testCase.hidden) {
      expect(visible, `${testCase.kind} must not be visible as text`).not.toContain(hidden);
    }
  }
}

/**
 * A send that took `parts` provider messages names each one (`providerMessageIds`, the first
 * being `providerMessageId`, no id twice): the core records them all, so a receipt or a reply that
 * quotes any part finds the delivery.
 */
export function expectIdsOfEachPart(result: SendResult, parts: number): void {
  const ids = result.providerMessageIds;
  if (parts < 2 && ids === undefined) return;
  expect(
    ids,
    `${parts} messages reached the provider: SendResult.providerMessageIds`,
  ).toBeDefined();
  expect(ids).toHaveLength(parts);
  expect(ids?.[0], 'providerMessageIds[0] is providerMessageId').toBe(result.providerMessageId);
  expect(new Set(ids).size, 'providerMessageIds are distinct').toBe(parts);
}
