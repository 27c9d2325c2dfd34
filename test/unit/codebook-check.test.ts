import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkCodebook } from '../../src/app/codebook.js';
import { codebookPatterns } from '../../src/core/autocode/codebook-patterns.js';
import { buildCodebookModel } from '../../src/core/codebook.js';
import { checkCodebookRules, countCodebook } from '../../src/core/codebook-check.js';
import { codebookJsonSchemaFile, codebookJsonSchemaText, codebookSchema } from '../../src/schema/codebook.js';
import { repositoryRoot, temporaryFolder, writeFiles } from '../helpers.js';

const bundled = path.join(repositoryRoot, 'codebooks', 'usmca-2026.yaml');

function code(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, label: id, definition: 'd', include: 'i', exclude: 'e', ...extra };
}

describe('checkCodebookRules', () => {
  it('finds nothing in a codebook that follows every rule', () => {
    const data = {
      categories: [
        { id: 'trade', label: 'Trade', codes: [code('trade.ntb', { codes: [code('trade.ntb.sps')] })] },
        { id: 'security', label: 'Security', codes: [code('security.drugs')] },
      ],
    };
    expect(checkCodebookRules(data)).toEqual([]);
  });

  it('reports duplicate ids anywhere, across categories and codes, at the second use', () => {
    const data = {
      categories: [
        { id: 'trade', label: 'Trade', codes: [code('trade.ntb'), code('trade.tariffs')] },
        { id: 'security', label: 'Security', codes: [code('security.x', { codes: [code('security.x.y')] })] },
        { id: 'trade.ntb', label: 'Again', codes: [code('trade.ntb.z')] },
      ],
    };
    const duplicates = checkCodebookRules(data).filter((finding) => finding.code === 'DUPLICATE_ID');
    expect(duplicates).toEqual([
      {
        code: 'DUPLICATE_ID',
        severity: 'error',
        path: ['categories', 2, 'id'],
        message:
          'id "trade.ntb" is used twice: this category and the code at categories[0].codes[0].id; ids must be unique across categories and codes',
      },
    ]);
  });

  it('reports a code id without its category prefix and a sub-code id without its parent prefix', () => {
    const data = {
      categories: [
        {
          id: 'trade',
          label: 'Trade',
          codes: [code('tariffs'), code('trade.ntb', { codes: [code('trade.sps'), code('trade.ntb.ok')] })],
        },
      ],
    };
    const findings = checkCodebookRules(data);
    expect(findings.map((finding) => [finding.code, finding.path.join('/')])).toEqual([
      ['CODE_ID_PREFIX', 'categories/0/codes/0/id'],
      ['SUBCODE_ID_PREFIX', 'categories/0/codes/1/codes/0/id'],
    ]);
    expect(findings[0]!.message).toContain('"trade." (for example trade.tariffs)');
    expect(findings[1]!.message).toContain('"trade.ntb." (for example trade.ntb.sps)');
  });

  it('does not take a longer id with the same start for the prefix ("trade2.x" is not in "trade")', () => {
    const findings = checkCodebookRules({ categories: [{ id: 'trade', codes: [code('trade2.x')] }] });
    expect(findings.map((finding) => finding.code)).toEqual(['CODE_ID_PREFIX']);
  });

  it('reports an empty category as an error, and missing definitions and rules as warnings', () => {
    const data = {
      categories: [
        { id: 'empty', label: 'Empty', codes: [] },
        {
          id: 'topic',
          label: 'Topic',
          codes: [
            { id: 'topic.a', label: 'A' },
            { id: 'topic.b', label: 'B', definition: '  ', include: 'x' },
            { id: 'topic.c', label: 'C', definition: 'd', exclude: 'x' },
          ],
        },
      ],
    };
    expect(checkCodebookRules(data).map((finding) => [finding.code, finding.severity])).toEqual([
      ['EMPTY_CATEGORY', 'error'],
      ['MISSING_DEFINITION', 'warning'],
      ['MISSING_RULES', 'warning'],
      ['MISSING_DEFINITION', 'warning'],
      ['MISSING_EXCLUDE', 'warning'],
      ['MISSING_INCLUDE', 'warning'],
    ]);
  });

  it('warns that patterns on a grouping code (codable: false) are not used, and builds no dictionary entry for it', () => {
    const data = {
      version: 1,
      name: 'grouped',
      categories: [
        {
          id: 'trade',
          label: 'Trade',
          codes: [
            {
              id: 'trade.ntb',
              label: 'Non-tariff barriers',
              definition: 'd',
              include: 'i',
              exclude: 'e',
              codable: false,
              patterns: { en: ['barrier'] },
              codes: [
                {
                  id: 'trade.ntb.rules',
                  label: 'Rules of origin',
                  definition: 'd',
                  include: 'i',
                  exclude: 'e',
                  patterns: { en: ['rules of origin'] },
                },
              ],
            },
          ],
        },
      ],
    };
    expect(checkCodebookRules(data).map((finding) => [finding.code, finding.path.join('/')])).toEqual([
      ['PATTERNS_NOT_CODABLE', 'categories/0/codes/0/patterns'],
    ]);
    const model = buildCodebookModel(codebookSchema.parse(data));
    expect(codebookPatterns(model).map((entry) => model.codes[entry.codeIndex]!.id)).toEqual([
      'trade.ntb.rules',
    ]);
  });

  it('warns when two siblings share a label (case and spaces aside), not when cousins do', () => {
    const data = {
      categories: [
        {
          id: 't',
          label: 'T',
          codes: [
            code('t.a', { label: 'Prices', codes: [code('t.a.x', { label: 'Other' })] }),
            code('t.b', { label: ' prices ', codes: [code('t.b.x', { label: 'Other' })] }),
          ],
        },
      ],
    };
    const findings = checkCodebookRules(data);
    expect(findings.map((finding) => [finding.code, finding.path.join('/')])).toEqual([
      ['DUPLICATE_LABEL', 'categories/0/codes/1/label'],
    ]);
  });

  it('skips values of the wrong shape (the schema reports them) instead of failing', () => {
    const malformed = {
      categories: [
        null,
        'text',
        { id: 5, codes: 'none' },
        { id: 'ok', codes: [null, { id: 7 }, code('ok.a')] },
      ],
    };
    expect(() => checkCodebookRules(malformed)).not.toThrow();
    expect(checkCodebookRules(42)).toEqual([]);
    expect(countCodebook(malformed)).toEqual({ categories: 2, codes: 2 });
  });
});

describe('the codebook schema and its JSON Schema', () => {
  it('schemas/codebook.schema.json is what the zod schema generates now (run `npm run schemas` after a change)', async () => {
    const committed = await fs.readFile(path.join(repositoryRoot, codebookJsonSchemaFile), 'utf8');
    expect(committed).toBe(codebookJsonSchemaText());
    const schema = JSON.parse(committed) as Record<string, unknown>;
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['required']).toEqual(['version', 'name', 'categories']);
    expect(Object.keys((schema['$defs'] as Record<string, unknown>) ?? {})).toEqual(['code']);
  });

  it('the bundled codebook names the JSON Schema for editors and passes the schema and every rule', async () => {
    const text = await fs.readFile(bundled, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/codebook.schema.json');
    const data = parse(text) as unknown;
    expect(codebookSchema.safeParse(data).success).toBe(true);
    expect(checkCodebookRules(data)).toEqual([]);
    expect(countCodebook(data)).toEqual({ categories: 3, codes: 9 });
  });
});

describe('the bundled codebook usmca-2026', () => {
  it('has the categories and codes of the paper, none exclusive', async () => {
    const codebook = codebookSchema.parse(parse(await fs.readFile(bundled, 'utf8')));
    expect(codebook.exclusive).toBe(false);
    expect(
      codebook.categories.map((category) => [
        category.id,
        category.exclusive,
        category.codes.map((item) => item.id),
      ]),
    ).toEqual([
      ['trade', false, ['trade.ntb', 'trade.tariffs', 'trade.sectoral']],
      ['security', false, ['security.drugs', 'security.sovereignty', 'security.fbi']],
      ['rhetoric', false, ['rhetoric.praise', 'rhetoric.framing', 'rhetoric.domestic']],
    ]);
  });

  it('quotes its examples verbatim as whole sentences from the bundled corpus', async () => {
    const codebook = codebookSchema.parse(parse(await fs.readFile(bundled, 'utf8')));
    const folder = path.join(repositoryRoot, 'corpus', 'sources');
    const names = (await fs.readdir(folder)).filter((name) => name.endsWith('.md'));
    expect(names.length).toBeGreaterThanOrEqual(11);
    const bodies = await Promise.all(
      names.map(async (name) =>
        (await fs.readFile(path.join(folder, name), 'utf8')).replace(/^---\n[\s\S]*?\n---\n/, ''),
      ),
    );
    const examples = codebook.categories.flatMap((category) =>
      category.codes.flatMap((item) => (item.examples ?? []).map((example) => [item.id, example] as const)),
    );
    expect(examples).toHaveLength(18);
    for (const [id, example] of examples) {
      expect(example, id).toMatch(/^[A-Z].*[.!?]"?$/);
      // A whole sentence: at the start of the text or after whitespace, and followed by whitespace or the end.
      const pattern = new RegExp(`(^|\\s)${example.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`);
      expect(
        bodies.some((body) => pattern.test(body)),
        `${id}: "${example}" is not a sentence of corpus/sources/*.md`,
      ).toBe(true);
    }
  });
});

describe('checkCodebook (located findings)', () => {
  it('locates rule findings and schema findings at 1-based line:column, all at once, in file order', async () => {
    const folder = await temporaryFolder();
    await writeFiles(folder, {
      'book.yaml': [
        'version: 1',
        'name: demo',
        'categories:',
        '  - id: trade',
        '    label: Trade',
        '    codes:',
        '      - id: tariffs',
        '        label: Tariffs',
        '        definiton: typo',
        '        include: i',
        '        exclude: e',
        '  - id: trade',
        '    label: Again',
        '    codes: []',
        '',
      ].join('\n'),
    });
    const result = await checkCodebook({ cwd: folder, file: 'book.yaml' });
    expect(
      result.findings.map((finding) => `${finding.line}:${finding.column} ${finding.path} ${finding.code}`),
    ).toEqual([
      '7:9 categories[0].codes[0].definition MISSING_DEFINITION',
      '7:13 categories[0].codes[0].id CODE_ID_PREFIX',
      '9:9 categories[0].codes[0].definiton UNKNOWN_KEY',
      '12:9 categories[1].id DUPLICATE_ID',
      '14:12 categories[1].codes EMPTY_CATEGORY',
    ]);
    expect(result.findings.find((finding) => finding.code === 'UNKNOWN_KEY')?.message).toBe(
      'unknown key "definiton" (did you mean "definition"?)',
    );
    expect(result.errors).toBe(4);
    expect(result.warnings).toBe(1);
    expect(result.codebook).toBeUndefined();
  });
});
