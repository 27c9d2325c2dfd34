import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { parse } from 'yaml';
import { codebookYamlText } from '../../src/app/codebook.js';
import { InputError } from '../../src/errors.js';
import {
  codebookToQdc,
  formatCategoryDescription,
  formatCodeDescription,
  parseQdc,
  qdcGuid,
  splitDescription,
  uuidV5,
} from '../../src/io/qdc.js';
import { type Codebook, codebookSchema } from '../../src/schema/codebook.js';
import { repositoryRoot } from '../helpers.js';

const fixtures = path.join(repositoryRoot, 'test', 'fixtures', 'codebook');
/** The REFI-QDA reference files are read from the team's shared folder, never copied into the repository. */
const shared = process.env['REFI_QDA_DIR'] ?? path.resolve(repositoryRoot, '..', 'shared', 'refi-qda');
const codebookXsd = path.join(shared, 'Codebook.xsd');
const haveXsd = existsSync(codebookXsd);
const skipReason = `skipped: ${shared} is absent (a clone outside the team's checkout has no REFI-QDA reference files)`;
if (!haveXsd) console.warn(skipReason);

async function loadYamlCodebook(file: string): Promise<Codebook> {
  return codebookSchema.parse(parse(await fs.readFile(file, 'utf8')));
}

/** Validate XML against the REFI-QDA Codebook.xsd with libxml2 compiled to WebAssembly (no system tool needed). */
async function validateAgainstCodebookXsd(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'codebook.qdc', contents: xml }],
    schema: [{ fileName: 'Codebook.xsd', contents: await fs.readFile(codebookXsd, 'utf8') }],
  });
  return result.errors.map((error) => error.rawMessage);
}

/** One file of a ZIP archive (stored or deflated), enough to read project.qde out of a .qdpx. */
function readZipEntry(archive: Buffer, name: string): Buffer {
  const endOfDirectory = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0) throw new Error('not a ZIP archive');
  const entries = archive.readUInt16LE(endOfDirectory + 10);
  let offset = archive.readUInt32LE(endOfDirectory + 16);
  for (let index = 0; index < entries; index++) {
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localHeader = archive.readUInt32LE(offset + 42);
    const entryName = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (entryName === name) {
      const dataStart =
        localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
      const data = archive.subarray(dataStart, dataStart + compressedSize);
      return method === 0 ? Buffer.from(data) : inflateRawSync(data);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} is not in the archive`);
}

/** A .qdc made by hand from the <CodeBook> element of a REFI-QDA project (as `unzip -p FILE project.qde` would give). */
async function codebookFromProject(qdpx: string): Promise<string> {
  const project = readZipEntry(await fs.readFile(path.join(shared, qdpx)), 'project.qde').toString('utf8');
  const element = /<CodeBook>[\s\S]*?<\/CodeBook>/.exec(project)?.[0];
  if (element === undefined) throw new Error(`${qdpx} has no <CodeBook>`);
  return `<?xml version="1.0" encoding="utf-8"?>\n${element.replace('<CodeBook>', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">')}\n`;
}

function allCodes(codebook: Codebook): Array<{ id: string; label: string; depth: number }> {
  const result: Array<{ id: string; label: string; depth: number }> = [];
  const visit = (codes: Codebook['categories'][number]['codes'], depth: number): void => {
    for (const code of codes) {
      result.push({ id: code.id, label: code.label, depth });
      visit(code.codes ?? [], depth + 1);
    }
  };
  for (const category of codebook.categories) visit(category.codes, 0);
  return result;
}

describe('GUIDs', () => {
  it('are UUID version 5 of the id in a fixed namespace, lower case', () => {
    // Expected values from Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com') and
    // uuid.uuid5(uuid.UUID('ef4f859d-b746-5488-8178-e08d7177d8dd'), 'trade.ntb').
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(qdcGuid('trade.ntb')).toBe('42425f62-0e45-540f-af6c-7d2a1cdf57db');
    expect(qdcGuid('trade.ntb')).toBe(qdcGuid('trade.ntb'));
    expect(qdcGuid('trade.ntb')).not.toBe(qdcGuid('trade.tariffs'));
  });
});

describe('the Description layout', () => {
  it('writes the definition, a blank line, then Include/Exclude/Example/Id lines', () => {
    expect(
      formatCodeDescription({
        id: 'trade.ntb',
        label: 'NTB',
        definition: 'Rules that are not duties.',
        include: 'Standards.',
        exclude: 'Duties:\nuse trade.tariffs.',
        examples: ['One.', 'Two.'],
      }),
    ).toBe(
      'Rules that are not duties.\n\nInclude: Standards.\nExclude: Duties:\n  use trade.tariffs.\nExample: One.\nExample: Two.\nId: trade.ntb',
    );
    expect(formatCategoryDescription({ id: 'trade', label: 'Trade', exclusive: true, codes: [] })).toBe(
      'Exclusive: yes\nId: trade',
    );
  });

  it('reads it back, and leaves text alone that only looks like a field', () => {
    expect(splitDescription('Def.\n\nInclude: a\n  b\nId: x', ['Include', 'Id'])).toEqual({
      body: 'Def.',
      fields: [
        { label: 'Include', value: 'a\nb' },
        { label: 'Id', value: 'x' },
      ],
    });
    // No blank line before the block: all of it is free text.
    expect(splitDescription('Def.\nInclude: a', ['Include'])).toEqual({
      body: 'Def.\nInclude: a',
      fields: [],
    });
    // An unknown label breaks the block.
    expect(splitDescription('Def.\n\nNote: a\nInclude: b', ['Include'])).toEqual({
      body: 'Def.\n\nNote: a\nInclude: b',
      fields: [],
    });
    // Labels are matched without regard to case, and a field-only text has no body.
    expect(splitDescription('include: a', ['Include'])).toEqual({
      body: undefined,
      fields: [{ label: 'Include', value: 'a' }],
    });
  });

  it('round-trips awkward values: trailing newlines, empty strings, field-like paragraphs', () => {
    const awkward = {
      id: 'a.b',
      label: 'B',
      definition: 'Para one.\n\nExample: not a field\n',
      include: '',
      exclude: '\nstarts with a newline',
      examples: ['ends with a newline\n', '  indented'],
    };
    const { body, fields } = splitDescription(formatCodeDescription(awkward), [
      'Include',
      'Exclude',
      'Example',
      'Id',
    ]);
    expect(body).toBe(awkward.definition);
    expect(fields).toEqual([
      { label: 'Include', value: '' },
      { label: 'Exclude', value: '\nstarts with a newline' },
      { label: 'Example', value: 'ends with a newline\n' },
      { label: 'Example', value: '  indented' },
      { label: 'Id', value: 'a.b' },
    ]);
  });
});

describe('export to .qdc', () => {
  it('writes categories as non-codable parents and codes as codable children, with GUIDs and colours', async () => {
    const codebook = await loadYamlCodebook(path.join(repositoryRoot, 'codebooks', 'usmca-2026.yaml'));
    const xml = codebookToQdc(codebook, 'coding 0.1.0');
    expect(xml.split('\n').slice(0, 5)).toEqual([
      '<?xml version="1.0" encoding="utf-8"?>',
      expect.stringMatching(
        /^<!-- coding codebook: \{"name":"usmca-2026","title":.*"exclusive":false\} -->$/,
      ),
      '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="coding 0.1.0">',
      '  <Codes>',
      `    <Code guid="${qdcGuid('trade')}" name="Trade" isCodable="false" color="#1F77B4">`,
    ]);
    expect(xml).toContain(
      `      <Code guid="42425f62-0e45-540f-af6c-7d2a1cdf57db" name="Non-tariff barriers" isCodable="true" color="#1F77B4">`,
    );
    expect(xml).not.toContain('<Sets');
    expect(xml.match(/isCodable="false"/g)).toHaveLength(3);
    expect(xml.match(/isCodable="true"/g)).toHaveLength(9);
    expect(codebookToQdc(codebook, 'coding 0.1.0')).toBe(xml);
  });

  it('escapes XML specials and keeps "--" out of the metadata comment', async () => {
    const codebook = await loadYamlCodebook(path.join(fixtures, 'nested.yaml'));
    const xml = codebookToQdc({ ...codebook, title: 'A -- B --> C' }, 'coding <test>');
    expect(xml).toContain('name="Topic &lt;&amp; &quot;quoted&quot;&gt;"');
    expect(xml).toContain('origin="coding &lt;test&gt;"');
    const comment = xml.split('\n')[1]!;
    expect(comment.slice(4, -3)).not.toContain('--');
  });

  it('refuses a control character that XML cannot carry, naming where it is', async () => {
    const codebook = await loadYamlCodebook(path.join(fixtures, 'nested.yaml'));
    codebook.categories[1]!.codes[0]!.label = 'bell\u0007';
    expect(() => codebookToQdc(codebook, 'coding')).toThrow(
      /categories\[1\]\.codes\[0\] \(code tone\.positive\) holds the character U\+0007/,
    );
  });

  it.skipIf(!haveXsd)(
    'validates against Codebook.xsd (bundled codebook and the nested fixture)',
    async () => {
      for (const file of [
        path.join(repositoryRoot, 'codebooks', 'usmca-2026.yaml'),
        path.join(fixtures, 'nested.yaml'),
      ]) {
        const xml = codebookToQdc(await loadYamlCodebook(file), 'coding 0.1.0');
        expect(await validateAgainstCodebookXsd(xml), file).toEqual([]);
      }
    },
  );

  it.skipIf(!haveXsd)(
    'the XSD check itself rejects what it should (a Code without guid, an empty <Sets/>)',
    async () => {
      const errors = await validateAgainstCodebookXsd(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="a" isCodable="true"/></Codes><Sets/></CodeBook>',
      );
      expect(errors.join('\n')).toMatch(/guid.*required/);
      expect(errors.join('\n')).toMatch(/Sets.*Missing child element/);
    },
  );
});

/** Dictionary patterns have no place in REFI-QDA: they do not travel; everything else must. */
function withoutPatterns<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, field) => (key === 'patterns' ? undefined : field)));
}

describe('YAML → QDC → YAML is lossless for our own files (but for dictionary patterns)', () => {
  for (const file of [
    path.join(repositoryRoot, 'codebooks', 'usmca-2026.yaml'),
    path.join(fixtures, 'nested.yaml'),
  ]) {
    it(path.relative(repositoryRoot, file), async () => {
      const original = withoutPatterns(await loadYamlCodebook(file));
      const imported = parseQdc(codebookToQdc(original, 'coding 0.1.0'), 'x.qdc', { name: 'other-name' });
      expect(imported.codebook).toEqual(original);
      expect(imported.warnings).toEqual([]);
      expect(imported.writtenByUs).toBe(true);
      // And through our YAML writer: the text parses back to the same codebook, byte-identically each time.
      const yamlText = codebookYamlText(imported.codebook);
      expect(codebookSchema.parse(parse(yamlText))).toEqual(original);
      expect(codebookYamlText(imported.codebook)).toBe(yamlText);
    });
  }
});

describe('import of .qdc written by other programs', () => {
  it('MAXQDA-like: braces and upper-case GUIDs, hand-written fields, sets, odd colours, codable parents', async () => {
    const text = await fs.readFile(path.join(fixtures, 'maxqda-style.qdc'), 'utf8');
    const { codebook, warnings, origin, guids } = parseQdc(text, 'maxqda-style.qdc', {
      name: 'maxqda-style',
    });
    expect(origin).toBe('MAXQDA 2022 (Release 22.7.0)');
    expect(codebook.name).toBe('maxqda-style');
    expect(codebook.categories.map((category) => [category.id, category.label])).toEqual([
      ['economic-issues', 'Economic issues'],
      ['zolle-tariffs', 'Zölle / Tariffs!'],
      ['codes', 'Codes'],
    ]);
    const economy = codebook.categories[0]!;
    expect(economy.description).toBe('Everything about the economy.');
    expect(economy.color).toBe('#FF0000');
    expect(economy.codes).toEqual([
      {
        id: 'economic-issues.jobs-wages',
        label: 'Jobs & wages',
        definition: 'Employment and pay.',
        include: 'layoffs, hiring, wages',
        exclude: 'prices (use Prices)',
        examples: ['The plant will hire 300 workers.'],
        color: '#00aa00',
        // The file's GUIDs are kept (bare, lower case), so that an export gives them back.
        guid: '0a5c0f4e-77b1-4b0a-8e5b-9e8a0c9d2b22',
        codes: [
          {
            id: 'economic-issues.jobs-wages.wages',
            label: 'Wages',
            guid: '1b6d1f5f-88c2-4c1b-9f6c-af9b1dae3c33',
          },
        ],
      },
      { id: 'economic-issues.prices', label: 'Prices', guid: '2c7e206f-99d3-4d2c-a07d-b0ac2ebf4d44' },
      { id: 'economic-issues.prices-2', label: 'Prices', guid: '3d8f3170-aae4-4e3d-b18e-c1bd3fc05e55' },
    ]);
    // "Economic issues" is not codable in the file (a category as usual); "Zölle / Tariffs!" is a
    // codable parent: the category says so, and exports write isCodable="true" back.
    expect(economy.codable).toBeUndefined();
    expect(codebook.categories[1]).toMatchObject({
      codable: true,
      guid: '4e904281-bbf5-4f4e-829f-d2ce40d16f66',
    });
    expect(codebook.categories[1]!.codes).toEqual([
      {
        id: 'zolle-tariffs.export-duties',
        label: 'Export duties',
        guid: '5fa15392-cc06-405f-93a0-e3df51e27077',
      },
    ]);
    expect(codebook.categories[2]!.codes).toEqual([
      { id: 'codes.memo-worthy', label: 'Memo-worthy', guid: '6ab264a3-dd17-4160-a4b1-f4e062f38188' },
    ]);
    expect(guids.get('economic-issues.jobs-wages')).toBe('0a5c0f4e-77b1-4b0a-8e5b-9e8a0c9d2b22');
    expect(warnings.map((warning) => warning.code).sort()).toEqual([
      'QDC_CODABLE_CATEGORY',
      'QDC_COLOR',
      'QDC_EMPTY_CATEGORY',
      'QDC_LOOSE_CODES',
    ]);
    // The MAXQDA set (member GUID in braces, upper case) is kept as a set of the codebook.
    expect(codebook.sets).toEqual([
      {
        id: 'economy-set',
        label: 'Economy set',
        codes: ['economic-issues.jobs-wages'],
        guid: '8cd486c5-ff39-4382-86d3-16a28415a3aa',
      },
    ]);
    expect(warnings.find((warning) => warning.code === 'QDC_COLOR')).toMatchObject({
      path: 'Codes/Code[1]/Code[2]',
      message: '<Code name="Prices"> has color="red", not #RRGGBB; the colour is left out',
    });
  });

  it('Taguette-like: no namespace, an empty <Sets>, flat codable codes, names that are not ids', async () => {
    const text = await fs.readFile(path.join(fixtures, 'taguette-style.qdc'), 'utf8');
    const { codebook, warnings } = parseQdc(text, 'taguette-style.qdc', { name: 'tags' });
    expect(codebook.categories).toEqual([
      {
        id: 'codes',
        label: 'Codes',
        description: 'Codes that stood at the top level of the imported codebook, outside any group.',
        exclusive: false,
        gathered: true,
        codes: [
          { id: 'codes.interesting', label: 'interesting', guid: '0f6f2b7c-2d3b-5e1a-9c55-3b1f0e6d7a88' },
          {
            id: 'codes.people-quotes',
            label: 'people.quotes',
            definition: 'Quotes from people.',
            guid: '1a7a3c8d-3e4c-5f2b-8d66-4c2a1f7e8b99',
          },
          { id: 'codes.interesting-2', label: 'Interesting', guid: '2b8b4d9e-4f5d-503c-9e77-5d3b2a8f9caa' },
        ],
      },
    ]);
    expect(warnings.map((warning) => warning.code)).toEqual([
      'QDC_NO_NAMESPACE',
      'QDC_EMPTY_SETS',
      'QDC_LOOSE_CODES',
    ]);
    expect(warnings[1]!.message).toContain(
      'wrote an empty <Sets/> (Taguette does; the standard needs at least one <Set>)',
    );
    // The category "Codes" was made here to hold them: an export puts the three codes back at the
    // top level, each with its own GUID, and reading that export gives the same codebook again.
    const exported = codebookToQdc(codebook, 'coding test');
    const topLevel = [...exported.matchAll(/^ {4}<Code guid="([^"]+)" name="([^"]+)"/gm)].map((match) => [
      match[1],
      match[2],
    ]);
    expect(topLevel).toEqual([
      ['0f6f2b7c-2d3b-5e1a-9c55-3b1f0e6d7a88', 'interesting'],
      ['1a7a3c8d-3e4c-5f2b-8d66-4c2a1f7e8b99', 'people.quotes'],
      ['2b8b4d9e-4f5d-503c-9e77-5d3b2a8f9caa', 'Interesting'],
    ]);
    expect(exported).not.toContain('name="Codes"');
    expect(parseQdc(exported, 'exported.qdc', { name: 'tags' }).codebook.categories).toEqual(
      codebook.categories,
    );
  });

  it('an Id line that does not fit its place is replaced by one made from the name, with a warning', () => {
    const xml = `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
      <Code guid="${qdcGuid('a')}" name="A" isCodable="false"><Description>Id: a</Description>
        <Code guid="${qdcGuid('b.x')}" name="X" isCodable="true"><Description>Id: b.x</Description></Code>
        <Code guid="${qdcGuid('a.y')}" name="Y" isCodable="true"><Description>Id: Not An Id</Description></Code>
      </Code></Codes></CodeBook>`;
    const { codebook, warnings } = parseQdc(xml, 'x.qdc', { name: 'x' });
    expect(codebook.categories[0]!.codes.map((code) => code.id)).toEqual(['a.x', 'a.y']);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'the id "b.x" in the description of "X" does not start with "a."; an id is made from the name instead',
      'the id "Not An Id" in the description of "Y" is not a valid id; an id is made from the name instead',
    ]);
  });

  it('accepts a prefixed namespace and the project namespace (with a warning)', () => {
    const prefixed = parseQdc(
      '<q:CodeBook xmlns:q="urn:QDA-XML:codebook:1.0"><q:Codes><q:Code guid="1" name="G" isCodable="false"><q:Code guid="2" name="C" isCodable="true"/></q:Code></q:Codes></q:CodeBook>',
      'p.qdc',
      { name: 'p' },
    );
    expect(allCodes(prefixed.codebook)).toEqual([{ id: 'g.c', label: 'C', depth: 0 }]);
    expect(prefixed.warnings).toEqual([]);
    const project = parseQdc(
      '<CodeBook xmlns="urn:QDA-XML:project:1.0"><Codes><Code guid="1" name="G" isCodable="false"><Code guid="2" name="C" isCodable="true"/></Code></Codes></CodeBook>',
      'p.qdc',
      { name: 'p' },
    );
    expect(project.warnings.map((warning) => warning.code)).toEqual(['QDC_PROJECT_NAMESPACE']);
  });

  describe.skipIf(!existsSync(shared))(
    'the codebooks inside the real projects in ../shared/refi-qda (skipped when it is absent)',
    () => {
      it('qc 1.3.2 demo: nested codable codes, top-level parents as categories', async () => {
        const xml = await codebookFromProject('qc-1.3.2-demo.qdpx');
        const { codebook, warnings } = parseQdc(xml, 'qc-demo.qdc', { name: 'qc-demo' });
        expect(codebook.categories.map((category) => category.id)).toEqual([
          'rq1_definition',
          'rq2_curriculum_and_instruction',
          'rq3_process',
        ]);
        const codes = allCodes(codebook);
        const count = (xml.match(/<Code /g) ?? []).length;
        expect(codes).toHaveLength(count - 3);
        expect(new Set(codes.map((code) => code.id)).size).toBe(codes.length);
        expect(codes).toContainEqual({
          id: 'rq1_definition.defining_education.restructuring_high_school.restructure_curriculum',
          label: 'restructure_curriculum',
          depth: 2,
        });
        expect(warnings.map((warning) => warning.code)).toEqual(['QDC_CODABLE_CATEGORY']);
        expect(codebookSchema.safeParse(codebook).success).toBe(true);
      });

      it('NVivo for Mac 15: the same three-level codebook, ids unique although names repeat', async () => {
        const xml = await codebookFromProject('nvivo-mac-15-sample.qdpx');
        const { codebook } = parseQdc(xml, 'nvivo.qdc', { name: 'nvivo' });
        const codes = allCodes(codebook);
        expect(codes.filter((code) => code.label === 'programming').map((code) => code.id)).toEqual([
          'rq1_definition.competencies.programming',
          'rq1_definition.framings.cs_as_programming.programming',
        ]);
        expect(Math.max(...codes.map((code) => code.depth))).toBeGreaterThanOrEqual(2);
        // What we export from it validates in turn.
        if (haveXsd) expect(await validateAgainstCodebookXsd(codebookToQdc(codebook, 'coding'))).toEqual([]);
      });
    },
  );
});

describe('bad .qdc input', () => {
  const attempt = (text: string): InputError => {
    try {
      parseQdc(text, 'bad.qdc', { name: 'bad' });
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error('no error');
  };

  it('text that is not XML: the parser message with line and column', () => {
    const error = attempt('<?xml version="1.0"?>\n<CodeBook>\n  <Codes>\n</CodeBook>\n');
    expect(error.message).toMatch(/^the file is not well-formed XML: /);
    expect(error.location).toMatchObject({ file: 'bad.qdc', line: 4 });
    expect(attempt('version: 1\nname: yaml\n').message).toMatch(/not well-formed XML/);
  });

  it('XML with another root or namespace: what was expected and what was received', () => {
    expect(attempt('<Project xmlns="urn:QDA-XML:project:1.0"/>').message).toBe(
      'this is not a REFI-QDA codebook: expected the root element <CodeBook> in namespace urn:QDA-XML:codebook:1.0, received <Project> in namespace urn:QDA-XML:project:1.0',
    );
    expect(attempt('<CodeBook xmlns="urn:example"><Codes/></CodeBook>').message).toBe(
      'this is not a REFI-QDA codebook: expected the root element <CodeBook> in namespace urn:QDA-XML:codebook:1.0, received <CodeBook> in namespace urn:example',
    );
    expect(attempt('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>').message).toMatch(/no <Codes> element/);
  });

  it('a DOCTYPE (the way of XML entity bombs) is refused with its position', () => {
    const error = attempt(
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<CodeBook/>',
    );
    expect(error.message).toMatch(/declares a DOCTYPE/);
    expect(error.location).toMatchObject({ line: 2, column: 1 });
  });
});
