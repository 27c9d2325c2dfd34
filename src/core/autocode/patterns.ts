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
