import { describe, expect, it } from 'vitest';
import { countSegments } from '../src/index';

/** Source of the limits: https://www.twilio.com/docs/glossary/what-sms-character-limit */

describe('GSM-7', () => {
  it.each([
    [1, 1],
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [1_530, 10],
  ])('%i plain characters → %i segments', (length, segments) => {
    expect(countSegments('a'.repeat(length))).toEqual({
      encoding: 'GSM-7',
      units: length,
      segments,
    });
  });

  it('counts extension characters (€ [ ] { } ~ ^ | \\) as two septets', () => {
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
    expect(countSegments('[x]{y}~^|\\')).toMatchObject({ encoding: 'GSM-7', units: 18 });
  });

  it('never splits an escape pair across segments', () => {
    // 306 septets fit two segments of 153 only if the € could straddle the boundary.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSegments(text)).toEqual({ encoding: 'GSM-7', units: 306, segments: 3 });
  });

  it('keeps accented letters of the basic set (é, ü, Ñ, à) in GSM-7', () => {
    expect(countSegments('Café über Niño à')).toMatchObject({ encoding: 'GSM-7' });
  });
});

describe('UCS-2', () => {
  it.each([
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
  ])('%i non-GSM characters → %i segments', (length, segments) => {
    expect(countSegments('ł'.repeat(length))).toEqual({
      encoding: 'UCS-2',
      units: length,
      segments,
    });
  });

  it('counts an emoji as two UTF-16 units and never splits it', () => {
    expect(countSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSegments(`${'ł'.repeat(66)}😀${'ł'.repeat(66)}`)).toEqual({
      encoding: 'UCS-2',
      units: 134,
      segments: 3,
    });
  });
});

describe('mixed text', () => {
  it('one emoji turns a 1-segment GSM-7 text into 2 UCS-2 segments', () => {
    expect(countSegments('a'.repeat(100))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(countSegments(`${'a'.repeat(100)} 👍`)).toEqual({
      encoding: 'UCS-2',
      units: 103,
      segments: 2,
    });
  });

  it('a curly quote is enough to leave GSM-7', () => {
    expect(countSegments('It’s ready')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });

  it('empty text is no segment', () => {
    expect(countSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0 });
  });
});
