import { describe, expect, it } from 'vitest';
import { normaliseLigatures, type PageLine, pagedText, pageOf } from '../../src/core/page-text.js';

/** Lines 14 points apart from the top of a page, a gap of 24 before a line marked with "¶". */
function page(...texts: string[]): PageLine[] {
  let y = 780;
  return texts.map((text) => {
    const paragraph = text.startsWith('¶');
    y -= paragraph ? 24 : 14;
    return { text: paragraph ? text.slice(1) : text, y, size: 12 };
  });
}

describe('pagedText', () => {
  it('removes running headers and page numbers, joins hyphenated words and keeps each page start', () => {
    const pages = [
      page(
        'Informe · Presidencia',
        '¶La revisión del tratado avan-',
        'za bien, dijo la presidenta.',
        '¶Otro párrafo sin',
        'Página 1 de 2',
      ),
      page('Informe · Presidencia', 'punto final aquí.', '¶Último párrafo.', 'Página 2 de 2'),
    ];
    const result = pagedText(pages);
    expect(result.text).toBe(
      'La revisión del tratado avanza bien, dijo la presidenta.\n\nOtro párrafo sin punto final aquí.\n\nÚltimo párrafo.',
    );
    expect(result.repeatedLinesRemoved).toBe(4);
    // Page 2 starts inside the second paragraph, at "punto".
    const second = result.pageStarts[1]!;
    expect([...result.text].slice(second, second + 5).join('')).toBe('punto');
    expect(pageOf(result.pageStarts, 0)).toBe(1);
    expect(pageOf(result.pageStarts, result.text.indexOf('Último'))).toBe(2);
  });

  it('keeps a hyphen before a capital letter (a name split at its hyphen) and starts a paragraph at a new font size', () => {
    const lines: PageLine[] = [
      { text: 'Revisión', y: 760, size: 18 },
      { text: 'El acuerdo T-', y: 740, size: 12 },
      { text: 'MEC sigue vigente.', y: 726, size: 12 },
    ];
    expect(pagedText([lines]).text).toBe('Revisión\n\nEl acuerdo T-MEC sigue vigente.');
  });

  it('keeps a line that repeats only inside the body, and lines of a single page', () => {
    const result = pagedText([
      page('Gracias.', '¶Texto uno.'),
      page('¶Texto dos.', 'Gracias.', '¶Texto tres.', '¶Fin.'),
    ]);
    expect(result.text).toContain('Texto dos.');
    // A single page keeps its page number: there is nothing to compare it with.
    expect(pagedText([page('Página 1', '¶Solo una página.', 'Sigue aquí.')]).text).toBe(
      'Página 1\n\nSolo una página. Sigue aquí.',
    );
  });
});

describe('normaliseLigatures', () => {
  it('decomposes ligatures by NFKC and composes the rest by NFC only', () => {
    expect(normaliseLigatures('e\uFB03cient \uFB02ow')).toBe('efficient flow');
    // NFC composes "e" + combining acute; NFKC would also turn "²" into "2" and "™" into "TM": not done.
    expect(normaliseLigatures('cafe\u0301 m² ™')).toBe('café m² ™');
  });
});
