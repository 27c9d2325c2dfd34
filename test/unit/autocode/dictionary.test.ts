/** The dictionary coder's matcher: folding, word boundaries, wildcards, regexes, exclusions, languages. */
import { describe, expect, it } from 'vitest';
import { type CodePatterns, Dictionary, resolveExclusive } from '../../../src/core/autocode/dictionary.js';
import { foldCase, removeAccents } from '../../../src/core/autocode/fold.js';
import { patternProblem } from '../../../src/core/autocode/patterns.js';

function code(
  codeIndex: number,
  positive: Record<string, string[]>,
  negative: Record<string, string[]> = {},
): CodePatterns {
  return {
    codeIndex,
    positive: new Map(Object.entries(positive)),
    negative: new Map(Object.entries(negative)),
  };
}

function matchOne(patterns: Record<string, string[]>, text: string, options = { ignoreAccents: false }) {
  return new Dictionary([code(0, patterns)], options).match(text, 'en')[0];
}

describe('folding', () => {
  it('folds case fully (ß, final sigma) and composes accents', () => {
    expect(foldCase('Straße ΣΟΦΌΣ')).toBe('strasse σοφόσ');
    expect(foldCase('Me\u0301xico')).toBe('méxico');
    expect(removeAccents('México, año, Łódź')).toBe('Mexico, ano, Łodz');
  });
});

describe('words and phrases', () => {
  it('matches whole words only, ignoring case', () => {
    expect(matchOne({ any: ['tariff'] }, 'TARIFF threats')).toMatchObject({
      pattern: 'tariff',
      matched: 'tariff',
    });
    expect(matchOne({ any: ['tariff'] }, 'Tariffs again')).toBeUndefined();
    expect(matchOne({ any: ['tariff'] }, 'pretariff era')).toBeUndefined();
    expect(matchOne({ any: ['tariff'] }, 'a tariff-free zone')).toMatchObject({ matched: 'tariff' });
  });

  it('takes a trailing * as any continuation of the word', () => {
    expect(matchOne({ any: ['tariff*'] }, 'tariffed goods')).toMatchObject({ matched: 'tariffed' });
    expect(matchOne({ any: ['tariff*'] }, 'the tariff')).toMatchObject({ matched: 'tariff' });
    expect(matchOne({ any: ['tariff*'] }, 'pretariffs')).toBeUndefined();
  });

  it('matches a phrase across any white space', () => {
    expect(matchOne({ any: ['rules of origin'] }, 'stricter Rules\n of  origin now')).toMatchObject({
      matched: 'rules\n of  origin',
    });
    expect(matchOne({ any: ['rules of origin'] }, 'rules of originality')).toBeUndefined();
  });

  it('treats regular-expression characters in words literally', () => {
    expect(matchOne({ any: ['u.s.'] }, 'the U.S. side')).toMatchObject({ matched: 'u.s.' });
    expect(matchOne({ any: ['u.s.'] }, 'the uxsx side')).toBeUndefined();
  });

  it('ignores accents only when asked', () => {
    expect(matchOne({ any: ['mexico'] }, 'México dijo')).toBeUndefined();
    expect(matchOne({ any: ['mexico'] }, 'México dijo', { ignoreAccents: true })).toMatchObject({
      matched: 'mexico',
    });
    expect(matchOne({ any: ['soberanía'] }, 'la SOBERANIA', { ignoreAccents: true })).toBeDefined();
  });

  it('reports the pattern of the first match in the text', () => {
    expect(matchOne({ any: ['cartel*', 'fentanyl'] }, 'Fentanyl and cartels')).toMatchObject({
      pattern: 'fentanyl',
      matched: 'fentanyl',
    });
  });
});

describe('regular expressions (RE2)', () => {
  it('matches case-insensitively on word boundaries', () => {
    expect(matchOne({ any: ['/sanction(s|ed)?/'] }, 'They were SANCTIONED.')).toMatchObject({
      pattern: '/sanction(s|ed)?/',
      matched: 'sanctioned',
    });
    expect(matchOne({ any: ['/sanction(s|ed)?/'] }, 'sanctionable')).toBeUndefined();
    expect(matchOne({ any: ['/f\\.?b\\.?i/'] }, 'the F.B.I. said')).toMatchObject({ matched: 'f.b.i' });
  });

  it('takes the earlier of a word match and a regex match', () => {
    expect(matchOne({ any: ['cartel', '/fent\\pL+/'] }, 'fentanyl from the cartel')).toMatchObject({
      pattern: '/fent\\pL+/',
    });
  });

  it('refuses backreferences, lookaround, bad syntax and empty matches', () => {
    expect(patternProblem('/(a)\\1/')).toMatch(/backreferences and lookaround/);
    expect(patternProblem('/(?=tariff)/')).toMatch(/backreferences and lookaround/);
    expect(patternProblem('/(unclosed/')).toMatch(/not a valid regular expression/);
    expect(patternProblem('/a*/')).toMatch(/matches the empty text/);
    expect(patternProblem('/x')).toMatch(/between two slashes/);
    expect(patternProblem('ta*riff')).toMatch(/may only end a word/);
    expect(patternProblem('  ')).toMatch(/cannot be empty/);
    expect(patternProblem('/(a+)+b/')).toBeUndefined();
  });

  it('runs a pattern that backtracks catastrophically in V8 in linear time', () => {
    // (a+)+b on "aaa…a!" takes exponential time in a backtracking engine (about 2^n steps): with n =
    // 5000, V8 would not finish. RE2 answers at once.
    const text = `${'a'.repeat(5000)}!`;
    const started = performance.now();
    expect(matchOne({ any: ['/(a+)+b/'] }, text)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('exclusions and languages', () => {
  const tariffs = code(1, { en: ['tariff*'], es: ['arancel*'] }, { en: ['non-tariff barrier*'] });

  it('skips a match that an exclusion overlaps, but keeps another one', () => {
    const dictionary = new Dictionary([tariffs], { ignoreAccents: false });
    expect(dictionary.match('Non-tariff barriers remain.', 'en')).toEqual([]);
    expect(dictionary.match('Non-tariff barriers and tariffs remain.', 'en')).toEqual([
      { codeIndex: 1, pattern: 'tariff*', matched: 'tariffs' },
    ]);
  });

  it("uses the patterns of the unit's language, and every language's when it is unknown", () => {
    const dictionary = new Dictionary([tariffs], { ignoreAccents: false });
    expect(dictionary.match('Los aranceles', 'en')).toEqual([]);
    expect(dictionary.match('Los aranceles', 'es-MX')).toEqual([
      { codeIndex: 1, pattern: 'arancel*', matched: 'aranceles' },
    ]);
    expect(dictionary.match('tariffs', 'es')).toEqual([]);
    expect(dictionary.match('Los aranceles', undefined)).toHaveLength(1);
  });

  it('keeps the first code of an exclusive category and names the others', () => {
    const matches = [
      { codeIndex: 3, pattern: 'b', matched: 'b' },
      { codeIndex: 2, pattern: 'a', matched: 'a' },
      { codeIndex: 5, pattern: 'c', matched: 'c' },
    ];
    const { kept, dropped } = resolveExclusive(
      matches,
      new Map([
        [2, 0],
        [3, 0],
      ]),
    );
    expect(kept.map((match) => match.codeIndex)).toEqual([2, 5]);
    expect(dropped.get(2)?.map((match) => match.codeIndex)).toEqual([3]);
  });
});
