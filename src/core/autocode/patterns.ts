/**
 * Dictionary patterns of a code (`patterns:` in the codebook): words, phrases with a trailing `*`
 * wildcard, and regular expressions written between slashes.
 *
 * - `tariff` matches the word tariff, on word boundaries (not "tariffs", not "pretariff");
 * - `tariff*` matches every word that starts with tariff (tariff, tariffs, tariffed);
 * - `non-tariff barrier*` is a phrase: its words in order, separated by any run of white space;
 * - `/sanction(s|ed)?/` is a regular expression in RE2 syntax, matched case-insensitively; the match
 *   must also start and end on word boundaries.
 *
 * Words and phrases compile to JavaScript regular expressions built here from escaped literals (no
 * nested or ambiguous repetition, so V8's backtracking engine runs them in linear time). Regular
 * expressions written by people run on RE2JS, a port of RE2 whose matching time is linear in the
 * text for every pattern: catastrophic backtracking cannot happen, and the constructs that would
 * need backtracking (backreferences, lookaround) are refused when the codebook is read.
 */
import { RE2JS } from 're2js';
import { type FoldOptions, foldText, removeAccents } from './fold.js';

/** Characters that belong to a word: letters, combining marks, digits, underscore. */
export const wordCharacterClass = '[\\p{L}\\p{M}\\p{N}_]';
/** Any other character, in RE2 syntax. */
const notWord = '[^\\pL\\pM\\pN_]';

/** Longest pattern accepted (characters). */
export const maxPatternLength = 1000;

export type ParsedPattern =
  | { kind: 'words'; text: string; words: Array<{ literal: string; prefix: boolean }> }
  | { kind: 'regex'; text: string; body: string };

/** A pattern's text split into its kind and parts, or a problem in words a codebook author can act on. */
export function parsePattern(text: string): ParsedPattern | { problem: string } {
  if (text.length > maxPatternLength)
    return { problem: `a pattern has at most ${maxPatternLength} characters; this one has ${text.length}` };
  const trimmed = text.trim();
  if (trimmed.length === 0) return { problem: 'a pattern cannot be empty' };
  if (trimmed.startsWith('/')) {
    if (trimmed.length < 3 || !trimmed.endsWith('/'))
      return {
        problem:
          'a regular expression is written between two slashes, e.g. /sanction(s|ed)?/ (flags are not needed: matching ignores case)',
      };
    return { kind: 'regex', text, body: trimmed.slice(1, -1) };
  }
  const words: Array<{ literal: string; prefix: boolean }> = [];
  for (const word of trimmed.split(/\s+/u)) {
    const prefix = word.endsWith('*');
    const literal = prefix ? word.slice(0, -1) : word;
    if (literal.includes('*'))
      return {
        problem: `"*" may only end a word (tariff* matches tariffs); for anything else write a regular expression between slashes`,
      };
    if (literal.length === 0) return { problem: '"*" must follow at least one character of the word' };
    words.push({ literal, prefix });
  }
  return { kind: 'words', text, words };
}

/** RE2's own words for a syntax error, or for a construct it refuses because it would need backtracking. */
function regexProblem(body: string): string | undefined {
  try {
    RE2JS.compile(body, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const backtracking = /\\[1-9]|\\k|\(\?[=!<]/.test(body)
      ? ' (backreferences and lookaround are not available: they can take exponential time)'
      : '';
    return `not a valid regular expression (RE2 syntax): ${message}${backtracking}`;
  }
  if (RE2JS.matches(body, ''))
    return 'the regular expression matches the empty text, so it would match every unit';
  return undefined;
}

/** What is wrong with a pattern (undefined when nothing is): for the codebook's schema check. */
export function patternProblem(text: string): string | undefined {
  const parsed = parsePattern(text);
  if ('problem' in parsed) return parsed.problem;
  return parsed.kind === 'regex' ? regexProblem(parsed.body) : undefined;
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** The JavaScript regular expression source of a words pattern, on folded text, without boundaries. */
export function wordsSource(pattern: Extract<ParsedPattern, { kind: 'words' }>, fold: FoldOptions): string {
  return pattern.words
    .map(
      (word) =>
        `${escapeLiteral(foldText(word.literal, fold))}${word.prefix ? `${wordCharacterClass}*` : ''}`,
    )
    .join('\\s+');
}

/** A compiled RE2 pattern: group 1 is the match itself, between word boundaries. */
export function compileRegex(body: string, fold: FoldOptions): RE2JS {
  // Case is left to RE2's case-insensitive matching: lower-casing the source would turn \S into \s.
  const folded = fold.ignoreAccents ? removeAccents(body) : body;
  return RE2JS.compile(`(?:^|${notWord})(${folded})(?:$|${notWord})`, RE2JS.CASE_INSENSITIVE);
}

/** Characters with a meaning in JavaScript regular expressions: escaped with a backslash. */
const syntaxCharacters = new Set('^$\\.*+?()[]{}|/');

/** A printable ASCII character as JavaScript regex source that means that character only. */
function literalSource(character: string): string {
  if (/[A-Za-z0-9 ]/.test(character)) return character;
  if (syntaxCharacters.has(character)) return `\\${character}`;
  return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * An escape inside or outside a class, as JavaScript source that matches at least what RE2 matches
 * (RE2's \s is ASCII space, JavaScript's more; \d and \w alike or wider), or undefined.
 */
function escapeSource(character: string): string | undefined {
  if (character === 'd' || character === 's' || character === 'w') return `\\${character}`;
  if (/[!-/:-@[-`{-~]/.test(character)) return literalSource(character);
  return undefined;
}

/** A class `[…]` of printable ASCII members and ranges, from `start` (after `[`): its source and end. */
function classSource(body: string, start: number): { source: string; end: number } | undefined {
  let source = '[';
  let position = start;
  if (body[position] === '^' || body[position] === ']') return undefined;
  for (; position < body.length && body[position] !== ']'; position++) {
    const character = body[position]!;
    if (character === '[') return undefined;
    if (character === '\\') {
      const escaped = escapeSource(body[position + 1] ?? '');
      if (escaped === undefined) return undefined;
      source += escaped;
      position++;
    } else if (character === '-') {
      // A range's dash between two members, or a literal dash at either end of the class.
      source += body[position + 1] === ']' || source === '[' ? '\\-' : '-';
    } else if (/[ -~]/.test(character)) {
      source += literalSource(character);
    } else {
      return undefined;
    }
  }
  if (position >= body.length) return undefined;
  return { source: `${source}]`, end: position };
}

/** Longest pattern body the prefilter translates, and most choices (`?` and `|`) in it. */
const prefilterMaxBody = 100;
const prefilterMaxChoices = 6;
/** Longest text a prefilter is run on; RE2 alone takes longer ones. */
export const prefilterMaxText = 2000;

/**
 * A fast necessary condition for an RE2 pattern (the body of `/…/`): a JavaScript regular expression
 * that finds a match in every text where the RE2 pattern finds one (it may find more), or undefined
 * when the pattern is outside the small subset translated here. A text it does not match cannot
 * match the pattern, so the slow RE2 run is skipped; where it matches, RE2 decides as before.
 *
 * The subset: printable ASCII literals, `.`, classes of ASCII members and ranges, \d \s \w and
 * escaped punctuation, groups `(…)` and `(?:…)`, `|`, and `?`. Its meaning is the same in both
 * engines, case-insensitively (ASCII letters fold alike in RE2 and in JavaScript's `iu`, K and ſ
 * included), except where JavaScript is wider (\s, \w); anchors, \b, flags, negated and Unicode
 * classes are left to RE2 alone. Word boundaries are not required, which only makes it wider.
 *
 * V8 backtracks, so the subset has no repetition (`*`, `+`, `{n,m}`) and at most 6 choices in 100
 * characters: at most 2⁶ ways to try at each position of the text, each no longer than the pattern,
 * and texts longer than `prefilterMaxText` go to RE2 directly. Catastrophic backtracking cannot
 * happen: `/(a+)+b/` is left to RE2.
 */
export function regexPrefilter(body: string): RegExp | undefined {
  if (body.length > prefilterMaxBody) return undefined;
  let choices = 0;
  let source = '';
  for (let position = 0; position < body.length; position++) {
    const character = body[position]!;
    if (character === '\\') {
      const escaped = escapeSource(body[position + 1] ?? '');
      if (escaped === undefined) return undefined;
      source += escaped;
      position++;
    } else if (character === '.') {
      source += '[^\\n]';
    } else if (character === '[') {
      const found = classSource(body, position + 1);
      if (found === undefined) return undefined;
      source += found.source;
      position = found.end;
    } else if (character === '(') {
      if (body[position + 1] === '?') {
        if (body[position + 2] !== ':') return undefined;
        position += 2;
      }
      source += '(?:';
    } else if (character === '?' || character === '|') {
      // A `?` after a `?` would make it lazy: left to RE2, like every other repetition.
      if (character === '?' && body[position - 1] === '?') return undefined;
      if (++choices > prefilterMaxChoices) return undefined;
      source += character;
    } else if (character === ')') {
      source += character;
    } else if (/[ -~]/.test(character) && !'^$*+{'.includes(character)) {
      source += literalSource(character);
    } else {
      return undefined;
    }
  }
  try {
    return new RegExp(source, 'iu');
  } catch {
    return undefined;
  }
}
