import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderTable, visibleBlock, visibleLine } from '../../src/cli/output.js';
import { ControlCharacterWarnings, controlCharactersOf } from '../../src/core/control-characters.js';
import { jsonNestingDepth } from '../../src/core/json-depth.js';
import { InputError } from '../../src/errors.js';

const ESC = '\u001b';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the table renderer', () => {
  it('shows control characters of cells and headers visibly, and white space as one space', () => {
    const table = renderTable(
      ['unit', `text${ESC}[2J`],
      [
        ['a:1', `x${ESC}]0;owned\u0007y`],
        ['a:2', 'one\nline\ttab \u202eevil'],
      ],
    );
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(table).toContain('text␛[2J');
    expect(table).toContain('a:1   x␛]0;owned␇y');
    expect(table).toContain('a:2   one line tab ⟨U+202E⟩evil');
  });

  it('lines and blocks: visibleLine shows line feeds, visibleBlock keeps them', () => {
    expect(visibleLine(`a\nb${ESC}`)).toBe('a␊b␛');
    expect(visibleBlock(`a\nb\t${ESC}`)).toBe('a\nb\t␛');
    expect(visibleLine(undefined)).toBe('');
  });

  it('error messages and hints quoting input are printed with their controls visible', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const { printError } = await import('../../src/cli/output.js');
    printError(
      new InputError(`unknown code "${ESC}]0;x\u0007"`, {
        location: { file: `f${ESC}.csv`, line: 2 },
        hint: `try "${ESC}[2J"`,
        findings: [{ code: 'X', severity: 'error', file: 'f.csv', line: 3, message: `bad "${ESC}[31m"` }],
      }),
    );
    const text = written.join('');
    expect(text).not.toContain(ESC);
    expect(text).toContain('f␛.csv:2: unknown code "␛]0;x␇"');
    expect(text).toContain('f.csv:3  bad "␛[31m"');
    expect(text).toContain('try "␛[2J"');
  });
});

describe('control characters at import', () => {
  it('counts them and names the units (by position) and the metadata fields holding them', () => {
    const text = `One.${ESC}[2J Two.\n\nThree \u202e.`;
    const spans = [
      { start: 0, end: 4 },
      { start: 4, end: 13 },
      { start: 15, end: 23 },
    ];
    expect(controlCharactersOf({ text, title: `t${ESC}`, attributes: { note: 'ok' } }, spans)).toEqual({
      count: 3,
      units: [2, 3],
      fields: ['title'],
      betweenUnits: false,
    });
    expect(controlCharactersOf({ text: 'plain\ttext\r\n' }, [{ start: 0, end: 10 }])).toBeUndefined();
  });

  it('names 20 documents and counts the rest', () => {
    const warnings = new ControlCharacterWarnings();
    for (let index = 0; index < 25; index++)
      warnings.add({ id: `d${index}`, text: `${ESC}x` }, [{ start: 0, end: 2 }], {
        file: 'f.csv',
        line: index + 2,
      });
    const findings = warnings.findings();
    expect(findings).toHaveLength(21);
    expect(findings[0]).toMatchObject({ file: 'f.csv', line: 2, severity: 'warning' });
    expect(findings[0]!.message).toContain('document d0 holds 1 control character (');
    expect(findings[20]!.message).toBe(
      '… and 5 more documents with control characters (25 in all 25 documents)',
    );
  });
});

describe('JSON nesting depth', () => {
  it('counts brackets outside strings, linearly, and stops past the limit', () => {
    expect(jsonNestingDepth('{"a":[1,{"b":"[[\\"["}]}')).toBe(3);
    expect(jsonNestingDepth('"[[[["')).toBe(0);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(jsonNestingDepth(deep)).toBe(100_000);
    expect(jsonNestingDepth(deep, 64)).toBe(65);
  });
});
