import { describe, expect, it } from 'vitest';
import { segment, sliceCodePoints } from '../../src/core/segment.js';

const texts = (text: string, kind: Parameters<typeof segment>[1]) =>
  segment(text, kind).map((span) => sliceCodePoints(text, span.start, span.end));

describe('segment', () => {
  it('cuts sentences with Intl.Segmenter and keeps abbreviations such as U.S. inside a sentence', () => {
    const text = 'The U.S. Trade Representative met her. Mr. Smith agreed! Did he? Yes.';
    expect(texts(text, 'sentence')).toEqual([
      'The U.S. Trade Representative met her.',
      'Mr. Smith agreed!',
      'Did he?',
      'Yes.',
    ]);
  });

  it('never lets a sentence cross a paragraph break', () => {
    expect(texts('A heading\n\nThe body starts here. It ends here.', 'sentence')).toEqual([
      'A heading',
      'The body starts here.',
      'It ends here.',
    ]);
  });

  it('cuts paragraphs at blank lines (also lines of spaces) and lines at line ends, trimming and dropping empty ones', () => {
    const text = '  First para\nstill first.\n   \n\nSecond para.\n';
    expect(texts(text, 'paragraph')).toEqual(['First para\nstill first.', 'Second para.']);
    expect(texts(text, 'line')).toEqual(['First para', 'still first.', 'Second para.']);
    expect(texts(text, 'document')).toEqual(['First para\nstill first.\n   \n\nSecond para.']);
  });

  it('gives offsets in code points, so text outside the Basic Multilingual Plane counts once', () => {
    // The flag is two code points (regional indicators), the smiley one; each is two UTF-16 units.
    const text = '🇲🇽 Viva. 😀 Bien.';
    const spans = segment(text, 'sentence');
    expect(spans).toEqual([
      { start: 0, end: 8 },
      { start: 9, end: 16 },
    ]);
    expect(Array.from(text).slice(9, 16).join('')).toBe('😀 Bien.');
    expect(sliceCodePoints(text, 9, 16)).toBe('😀 Bien.');
  });

  it('uses a replaced abbreviation list when given one', () => {
    expect(segment('Dr. No. Yes.', 'sentence', { abbreviations: [] }).length).toBe(3);
  });
});
