/**
 * The dictionary coder: a code applies to a unit when one of its patterns matches the unit's text
 * (folded: case, optionally accents) and that match does not overlap a match of one of the code's
 * `not` patterns. Patterns are chosen by the unit's language.
 */
import type { RE2JS } from 're2js';
import { type FoldOptions, foldText, removeAccents } from './fold.js';
import {
  compileRegex,
  parsePattern,
  prefilterMaxText,
  regexPrefilter,
  wordCharacterClass,
  wordsSource,
} from './patterns.js';

/** The key of patterns that apply to every language. */
export const anyLanguage = 'any';

/** A code's patterns as the codebook gives them: by language (`any` for all), and exclusions likewise. */
export interface CodePatterns {
  codeIndex: number;
  positive: ReadonlyMap<string, readonly string[]>;
  negative: ReadonlyMap<string, readonly string[]>;
}

/** Why a code was given: the pattern, as written in the codebook, and the text it matched (folded). */
export interface DictionaryMatch {
  codeIndex: number;
  pattern: string;
  matched: string;
}

interface Span {
  start: number;
  end: number;
}

/** One code's patterns for one language, compiled. */
interface CompiledCode {
  codeIndex: number;
  /** Every words pattern in one regular expression; group i + 1 is pattern i. */
  words: { regex: RegExp; patterns: string[] } | undefined;
  regexes: RegexPattern[];
  notWords: RegExp[];
  notRegexes: RegexPattern[];
}

/**
 * A regular expression of the codebook on RE2, with a JavaScript regular expression that matches
 * wherever RE2 can (patterns.ts, regexPrefilter): a text it does not match is not given to RE2,
 * which is about a hundred times slower.
 */
interface RegexPattern {
  engine: RE2JS;
  pattern: string;
  prefilter: RegExp | undefined;
}

/** The primary language subtag, lower case: `es-MX` → `es`; '' when unknown. */
export function languageKey(language: string | undefined): string {
  if (language === undefined) return '';
  return (language.split(/[-_]/)[0] ?? '').toLowerCase();
}

function patternsFor(byLanguage: ReadonlyMap<string, readonly string[]>, language: string): string[] {
  const result = [...(byLanguage.get(anyLanguage) ?? [])];
  if (language === '') {
    for (const [key, list] of byLanguage) if (key !== anyLanguage) result.push(...list);
  } else {
    result.push(...(byLanguage.get(language) ?? []));
  }
  return [...new Set(result)];
}

function wordsRegex(sources: string[]): RegExp {
  const alternatives = sources.map((source) => `(${source})`).join('|');
  return new RegExp(`(?<!${wordCharacterClass})(?:${alternatives})(?!${wordCharacterClass})`, 'gu');
}

/** How a dictionary runs: `plain` leaves out the prefilters (for tests that compare both). */
export interface DictionaryOptions {
  plain?: boolean;
}

function regexPattern(
  body: string,
  pattern: string,
  fold: FoldOptions,
  options: DictionaryOptions,
): RegexPattern {
  const folded = fold.ignoreAccents ? removeAccents(body) : body;
  return {
    engine: compileRegex(body, fold),
    pattern,
    prefilter: options.plain ? undefined : regexPrefilter(folded),
  };
}

function compileCode(
  code: CodePatterns,
  language: string,
  fold: FoldOptions,
  options: DictionaryOptions,
): CompiledCode {
  const wordPatterns: string[] = [];
  const wordSources: string[] = [];
  const regexes: CompiledCode['regexes'] = [];
  for (const text of patternsFor(code.positive, language)) {
    const parsed = parsePattern(text);
    if ('problem' in parsed) throw new Error(`pattern "${text}" was not checked: ${parsed.problem}`);
    if (parsed.kind === 'words') {
      wordPatterns.push(text);
      wordSources.push(wordsSource(parsed, fold));
    } else {
      regexes.push(regexPattern(parsed.body, text, fold, options));
    }
  }
  const notWords: RegExp[] = [];
  const notRegexes: RegexPattern[] = [];
  for (const text of patternsFor(code.negative, language)) {
    const parsed = parsePattern(text);
    if ('problem' in parsed) throw new Error(`pattern "${text}" was not checked: ${parsed.problem}`);
    if (parsed.kind === 'words') notWords.push(wordsRegex([wordsSource(parsed, fold)]));
    else notRegexes.push(regexPattern(parsed.body, text, fold, options));
  }
  return {
    codeIndex: code.codeIndex,
    words: wordSources.length > 0 ? { regex: wordsRegex(wordSources), patterns: wordPatterns } : undefined,
    regexes,
    notWords,
    notRegexes,
  };
}

/** Every match of a words regex, overlapping ones included (each start position is tried). */
function* wordMatches(regex: RegExp, text: string): Generator<RegExpExecArray> {
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    yield match;
    regex.lastIndex = match.index + 1;
  }
  regex.lastIndex = 0;
}

/** Every match of an RE2 pattern (group 1), overlapping ones included. */
function* regexMatches({ engine, prefilter }: RegexPattern, text: string): Generator<Span> {
  if (prefilter !== undefined && text.length <= prefilterMaxText && !prefilter.test(text)) return;
  const matcher = engine.matcher(text);
  let from = 0;
  while (from <= text.length && matcher.find(from)) {
    const start = matcher.start(1);
    const end = matcher.end(1);
    const boundaryConsumed = start > matcher.start(0);
    yield { start, end };
    // From the match's own start, the boundary class cannot take the match's first word character
    // again, so the next match starts later; a match at the text's start (`^`) moves on by one.
    from = boundaryConsumed ? start : start + 1;
  }
}

function exclusionSpans(code: CompiledCode, text: string): Span[] {
  const spans: Span[] = [];
  for (const regex of code.notWords)
    for (const match of wordMatches(regex, text))
      spans.push({ start: match.index, end: match.index + match[0].length });
  for (const regex of code.notRegexes) for (const span of regexMatches(regex, text)) spans.push(span);
  return spans;
}

function excluded(span: Span, spans: readonly Span[]): boolean {
  return spans.some((other) => other.start < span.end && span.start < other.end);
}

/** The first match of a code in a folded text that no exclusion overlaps, or undefined. */
function matchCode(code: CompiledCode, text: string): DictionaryMatch | undefined {
  let spans: Span[] | undefined;
  const allowed = (span: Span): boolean => {
    if (code.notWords.length === 0 && code.notRegexes.length === 0) return true;
    spans ??= exclusionSpans(code, text);
    return !excluded(span, spans);
  };
  let best: { start: number; pattern: string; matched: string } | undefined;
  if (code.words) {
    // wordMatches without a generator: this runs for every code on every unit.
    const regex = code.words.regex;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      const span = { start: match.index, end: match.index + match[0].length };
      if (allowed(span)) {
        let group = 1;
        while (match[group] === undefined) group++;
        best = { start: span.start, pattern: code.words.patterns[group - 1]!, matched: match[0] };
        break;
      }
      regex.lastIndex = match.index + 1;
    }
    regex.lastIndex = 0;
  }
  for (const regex of code.regexes) {
    const pattern = regex.pattern;
    for (const span of regexMatches(regex, text)) {
      if (best !== undefined && span.start >= best.start) break;
      if (!allowed(span)) continue;
      best = { start: span.start, pattern, matched: text.slice(span.start, span.end) };
      break;
    }
  }
  return best && { codeIndex: code.codeIndex, pattern: best.pattern, matched: best.matched };
}

/** A dictionary ready to code units: compiled once per language met. */
export class Dictionary {
  readonly #codes: readonly CodePatterns[];
  readonly #fold: FoldOptions;
  readonly #options: DictionaryOptions;
  readonly #byLanguage = new Map<string, CompiledCode[]>();

  constructor(codes: readonly CodePatterns[], fold: FoldOptions, options: DictionaryOptions = {}) {
    this.#codes = codes;
    this.#fold = fold;
    this.#options = options;
  }

  #compiled(language: string): CompiledCode[] {
    let compiled = this.#byLanguage.get(language);
    if (!compiled) {
      compiled = this.#codes.map((code) => compileCode(code, language, this.#fold, this.#options));
      this.#byLanguage.set(language, compiled);
    }
    return compiled;
  }

  /**
   * The codes whose patterns match a unit, in the order of `codes`, each with the pattern that
   * matched first in the text.
   * @param language the unit's language (BCP 47); undefined: the patterns of every language
   */
  match(text: string, language: string | undefined): DictionaryMatch[] {
    const folded = foldText(text, this.#fold);
    const result: DictionaryMatch[] = [];
    for (const code of this.#compiled(languageKey(language))) {
      const match = matchCode(code, folded);
      if (match) result.push(match);
    }
    return result;
  }
}

/**
 * Keep at most one code of each exclusive group (a category marked exclusive): the first in
 * codebook order. The others are returned as `dropped`, to be named in the memo.
 */
export function resolveExclusive(
  matches: readonly DictionaryMatch[],
  groupOfCode: ReadonlyMap<number, number>,
): { kept: DictionaryMatch[]; dropped: Map<number, DictionaryMatch[]> } {
  // Most units match one code or none: nothing to resolve.
  if (matches.length < 2) return { kept: [...matches], dropped: new Map() };
  const kept: DictionaryMatch[] = [];
  const dropped = new Map<number, DictionaryMatch[]>();
  const winnerOfGroup = new Map<number, number>();
  for (const match of [...matches].sort((left, right) => left.codeIndex - right.codeIndex)) {
    const group = groupOfCode.get(match.codeIndex);
    if (group === undefined) {
      kept.push(match);
      continue;
    }
    const winner = winnerOfGroup.get(group);
    if (winner === undefined) {
      winnerOfGroup.set(group, match.codeIndex);
      kept.push(match);
    } else {
      const list = dropped.get(winner) ?? [];
      list.push(match);
      dropped.set(winner, list);
    }
  }
  return { kept, dropped };
}
