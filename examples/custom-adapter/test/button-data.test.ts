import { describe, expect, it } from 'vitest';
import { buttonData } from '../src/button-data';
import { RELAY_BUTTON_DATA_MAX_BYTES } from '../src/capabilities';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('buttonData', () => {
  it('keeps a label within the limit as it is', () => {
    expect(buttonData('Today 7pm')).toBe('Today 7pm');
    expect(buttonData('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('cuts at 64 bytes, not 64 characters', () => {
    // 40 characters, 80 bytes: a cut by characters would keep all 40 and Relay would refuse it.
    const data = buttonData('é'.repeat(40));
    expect(data).toBe('é'.repeat(32));
    expect(bytes(data)).toBe(RELAY_BUTTON_DATA_MAX_BYTES);
    expect(buttonData('x'.repeat(65))).toBe('x'.repeat(64));
  });

  it('never splits a character: a 4-byte emoji that does not fit is left out whole', () => {
    // 62 bytes of ASCII, then an emoji of 4 bytes (2 UTF-16 units): 66 bytes, so it goes.
    const data = buttonData(`${'x'.repeat(62)}😀`);
    expect(data).toBe('x'.repeat(62));
    // 60 + 4 = 64: the emoji fits exactly and stays whole.
    expect(buttonData(`${'x'.repeat(60)}😀z`)).toBe(`${'x'.repeat(60)}😀`);
    // A 3-byte character over the line by one byte.
    expect(buttonData(`${'x'.repeat(62)}€`)).toBe('x'.repeat(62));
  });

  it('takes the limit as an argument', () => {
    expect(buttonData('ééé', 5)).toBe('éé');
    expect(buttonData('abc', 0)).toBe('');
  });
});
