/**
 * Built-in abbreviations after which a sentence does not end, per language (the primary subtag of
 * a BCP 47 tag). ICU's sentence rules break after any "word. Capital" and Node ships no
 * suppression data, so "EE. UU. y México" or "U.S. Trade Representative" would otherwise be cut.
 * Words written with a lower-case first letter are matched capitalised too ("art." and "Art."),
 * since an abbreviation may open a sentence. Abbreviations that usually end a sentence when they
 * end a clause ("etc.", the "m." of "p. m.") are left out: there the full stop ends the sentence.
 */

/** Names used in every language's texts (news in Spanish quotes "U.S." as often as "EE. UU."). */
const international = ['U.S.', 'U.K.', 'U.N.', 'E.U.', 'Dr.', 'Inc.', 'Corp.', 'Ltd.', 'Co.', 'S.A.'];

const english = [
  'Mr.',
  'Mrs.',
  'Ms.',
  'Prof.',
  'Sr.',
  'Sra.',
  'Jr.',
  'St.',
  'Gen.',
  'Gov.',
  'Sen.',
  'Rep.',
  'Lic.',
  'Ing.',
  'Jan.',
  'Feb.',
  'Mar.',
  'Apr.',
  'Jun.',
  'Jul.',
  'Aug.',
  'Sep.',
  'Sept.',
  'Oct.',
  'Nov.',
  'Dec.',
  'No.',
  'Nos.',
  'vs.',
  'e.g.',
  'i.e.',
  'approx.',
];

const spanish = [
  // Titles and offices (Mexican usage included: Lic., Mtro., Ing., Gral.).
  'Sr.',
  'Sra.',
  'Srta.',
  'Sres.',
  'Sras.',
  'Dra.',
  'Lic.',
  'Licda.',
  'Mtro.',
  'Mtra.',
  'Ing.',
  'Arq.',
  'Prof.',
  'Profa.',
  'Profr.',
  'Profra.',
  'Gral.',
  'Gob.',
  'Pdte.',
  'Pdta.',
  'Dip.',
  'Sen.',
  'Ud.',
  'Uds.',
  'Vd.',
  'Vds.',
  'Dña.',
  'Excmo.',
  'Excma.',
  // Estados Unidos, written with its space ("EE. UU."), and without it.
  'EE.',
  'UU.',
  'EE.UU.',
  // References and numbers.
  'núm.',
  'núms.',
  'art.',
  'arts.',
  'pág.',
  'págs.',
  'vol.',
  'cap.',
  'fig.',
  'aprox.',
  'ej.',
  'p.',
  'pp.',
  'Av.',
  'Col.',
  'Cía.',
  // Months.
  'ene.',
  'feb.',
  'abr.',
  'jun.',
  'jul.',
  'ago.',
  'sept.',
  'oct.',
  'nov.',
  'dic.',
];

const french = [
  'M.',
  'MM.',
  'Mme.',
  'Mmes.',
  'Mlle.',
  'Mlles.',
  'Me.',
  'Mgr.',
  'Pr.',
  'St.',
  'Ste.',
  'Gén.',
  'É.-U.',
  'c.-à-d.',
  'cf.',
  'env.',
  'av.',
  'apr.',
  'art.',
  'n°.',
  'no.',
  'p.',
  'pp.',
  'vol.',
  'éd.',
  'janv.',
  'févr.',
  'avr.',
  'juill.',
  'sept.',
  'oct.',
  'nov.',
  'déc.',
];

const portuguese = [
  'Sr.',
  'Sra.',
  'Srta.',
  'Dra.',
  'Prof.',
  'Profa.',
  'Exmo.',
  'Exma.',
  'Gov.',
  'Dep.',
  'Sen.',
  'Min.',
  'Eng.',
  'Av.',
  'Ltda.',
  'Cia.',
  'E.U.A.',
  'art.',
  'arts.',
  'n.º',
  'nº.',
  'pág.',
  'p.',
  'pp.',
  'vol.',
  'cap.',
  'aprox.',
  'ex.',
  'jan.',
  'fev.',
  'abr.',
  'mai.',
  'jun.',
  'jul.',
  'ago.',
  'set.',
  'out.',
  'nov.',
  'dez.',
];

/** The built-in list per primary language subtag; other languages use the English one. */
const builtIn: Readonly<Record<string, readonly string[]>> = {
  en: english,
  es: spanish,
  fr: french,
  pt: portuguese,
};

/** Languages with a list of their own. */
export const abbreviationLanguages: readonly string[] = Object.keys(builtIn);

/** Each entry as written, and capitalised when it starts with a lower-case letter. */
export function withCapitals(list: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const word of list) {
    set.add(word);
    const first = word.codePointAt(0)!;
    const letter = String.fromCodePoint(first);
    if (letter !== letter.toUpperCase()) set.add(letter.toUpperCase() + word.slice(letter.length));
  }
  return set;
}

const cache = new Map<string, ReadonlySet<string>>();

/**
 * The built-in abbreviations for a language tag ("es-MX" uses the Spanish list; a language
 * without a list of its own, or no language, the English one), with the international names.
 * @example builtInAbbreviations('es-MX').has('EE.') // true
 */
export function builtInAbbreviations(language: string | undefined): ReadonlySet<string> {
  const primary = primaryLanguage(language);
  const key = primary !== undefined && primary in builtIn ? primary : 'en';
  let set = cache.get(key);
  if (!set) {
    set = withCapitals([...international, ...builtIn[key]!]);
    cache.set(key, set);
  }
  return set;
}

/**
 * The primary language subtag of a BCP 47 tag, lower case ("es-MX" → "es", "PT_br" → "pt");
 * undefined for nothing or "auto".
 */
export function primaryLanguage(tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  const primary = tag.trim().split(/[-_]/)[0]!.toLowerCase();
  return primary === '' || primary === 'auto' ? undefined : primary;
}
