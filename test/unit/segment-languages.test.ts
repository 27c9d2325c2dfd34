import { describe, expect, it } from 'vitest';
import { builtInAbbreviations, primaryLanguage } from '../../src/core/abbreviations.js';
import { segment, sliceCodePoints } from '../../src/core/segment.js';

const cut = (text: string, language?: string) =>
  segment(text, 'sentence', { language }).map((span) => sliceCodePoints(text, span.start, span.end));

describe('sentence segmentation by language', () => {
  it('keeps Spanish abbreviations (EE. UU., Sra., Lic., a. m., art., núm.) inside their sentence', () => {
    const text =
      'Dijo que EE. UU. y México revisarán el T-MEC. La Sra. Sheinbaum habló con el Lic. Ebrard a las 9 a. m. en Palacio Nacional. ' +
      'Según el art. 32 y el núm. 5 del acuerdo, no hay plazo. La Dra. Pérez y el Mtro. Ramírez no opinaron.';
    expect(cut(text, 'es')).toEqual([
      'Dijo que EE. UU. y México revisarán el T-MEC.',
      'La Sra. Sheinbaum habló con el Lic. Ebrard a las 9 a. m. en Palacio Nacional.',
      'Según el art. 32 y el núm. 5 del acuerdo, no hay plazo.',
      'La Dra. Pérez y el Mtro. Ramírez no opinaron.',
    ]);
  });

  it('cuts "EE. UU." in two under the English list: the language chooses the list', () => {
    expect(cut('Dijo que EE. UU. y México firmarán.', 'en')).toEqual([
      'Dijo que EE.',
      'UU. y México firmarán.',
    ]);
    expect(cut('Dijo que EE. UU. y México firmarán.', 'es-MX')).toEqual([
      'Dijo que EE. UU. y México firmarán.',
    ]);
  });

  it('keeps "¿…?" and "¡…!" whole, and a lower-case continuation after them', () => {
    const text =
      '¿Qué opina el Sr. Trump. Y el Mtro. López? Nada. ¡Viva México! ¿Habrá aranceles? preguntó un reportero. ' +
      'Le dijeron: ¡no! a los aranceles. Fin.';
    expect(cut(text, 'es')).toEqual([
      '¿Qué opina el Sr. Trump. Y el Mtro. López?',
      'Nada.',
      '¡Viva México!',
      '¿Habrá aranceles? preguntó un reportero.',
      'Le dijeron: ¡no! a los aranceles.',
      'Fin.',
    ]);
  });

  it('has French and Portuguese lists', () => {
    expect(cut('Mme. Dupont et M. Martin ont parlé aux É.-U. Puis ils sont partis.', 'fr')).toEqual([
      'Mme. Dupont et M. Martin ont parlé aux É.-U. Puis ils sont partis.',
    ]);
    expect(cut('O Sr. Silva citou o art. 5 da lei. A Profa. Lima concordou.', 'pt-BR')).toEqual([
      'O Sr. Silva citou o art. 5 da lei.',
      'A Profa. Lima concordou.',
    ]);
  });

  it('falls back to English for an unknown or malformed language tag', () => {
    expect(cut('Mr. Smith spoke. Then he left.', 'not a tag')).toEqual(['Mr. Smith spoke.', 'Then he left.']);
    expect(cut('Mr. Smith spoke. Then he left.', 'auto')).toEqual(['Mr. Smith spoke.', 'Then he left.']);
  });

  it('matches lower-case abbreviations capitalised too, and reads primary subtags', () => {
    expect(builtInAbbreviations('es').has('Art.')).toBe(true);
    expect(primaryLanguage('PT_br')).toBe('pt');
    expect(primaryLanguage('auto')).toBeUndefined();
  });
});
