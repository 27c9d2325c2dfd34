/**
 * Text folding for dictionary matching: Unicode case folding, and optionally accents removed, so
 * that a pattern and a unit compare the way a reader would ("Aranceles" = "aranceles",
 * "STRASSE" = "straße", and with accents ignored "Sheinbaum dijo México" = "mexico").
 */

/**
 * Full case folding as far as JavaScript offers it: upper-casing first maps ß to SS, final ς to Σ,
 * ſ to S, so the lower case of the result folds those together (String.prototype.toLowerCase
 * alone would not), and every sigma becomes σ. The text is put in normal form C first, so composed and decomposed accents
 * compare equal.
 * @example foldCase('Straße ΣΟΦΌΣ') // 'strasse σοφόσ'
 */
export function foldCase(text: string): string {
  // toLowerCase writes a final sigma at the end of a word (ς); case folding makes every sigma σ.
  return text.normalize('NFC').toUpperCase().toLowerCase().replace(/ς/g, 'σ');
}

const combiningMarks = /\p{M}+/gu;

/**
 * The text without its accents and other combining marks (decompose, drop the marks, recompose).
 * @example removeAccents('México, año') // 'Mexico, ano'
 */
export function removeAccents(text: string): string {
  return text.normalize('NFD').replace(combiningMarks, '').normalize('NFC');
}

/** How a text is folded before matching. */
export interface FoldOptions {
  /** Match "mexico" to "México" (accents and other combining marks removed on both sides). */
  ignoreAccents: boolean;
}

/** Fold a unit's text or a pattern's words for matching. */
export function foldText(text: string, options: FoldOptions): string {
  const folded = foldCase(text);
  return options.ignoreAccents ? removeAccents(folded) : folded;
}
