import { expect } from 'vitest';
import { parseMessage } from '../../src/components/index';

/** Builds a block from its kind and body lines. */
export const block = (kind: string, ...body: string[]) =>
  [`::: ${kind}`, ...body, ':::'].join('\n');

/** Asserts that `text` parses to one text part holding exactly the trimmed input. */
export function expectKeptAsText(text: string) {
  expect(parseMessage(text)).toEqual([{ type: 'text', text: text.trim() }]);
}
