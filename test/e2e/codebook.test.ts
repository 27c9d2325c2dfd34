import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { parse } from 'yaml';
import { codebookSchema } from '../../src/schema/codebook.js';
import {
  readText,
  repositoryRoot,
  runCli,
  snapshot,
  temporaryFolder,
  temporaryWorkspace,
  writeFiles,
} from '../helpers.js';

const bundled = path.join(repositoryRoot, 'codebooks', 'usmca-2026.yaml');
const fixtures = path.join(repositoryRoot, 'test', 'fixtures', 'codebook');
const codebookXsd = path.resolve(repositoryRoot, '..', 'shared', 'refi-qda', 'Codebook.xsd');
const haveXsd = existsSync(codebookXsd);
if (!haveXsd)
  console.warn(`XSD checks skipped: ${codebookXsd} is absent (a clone outside the team's checkout)`);

let workspace: string;

beforeAll(async () => {
  workspace = await temporaryWorkspace();
  await fs.copyFile(bundled, path.join(workspace, 'usmca.yaml'));
  await fs.copyFile(path.join(fixtures, 'nested.yaml'), path.join(workspace, 'nested.yaml'));
  await fs.copyFile(path.join(fixtures, 'taguette-style.qdc'), path.join(workspace, 'taguette.qdc'));
});

function run(args: string[], cwd = workspace) {
  return runCli(['codebook', ...args], { cwd });
}

describe('coding codebook check', () => {
  it('passes the bundled codebook with no warnings and prints a one-line summary to stderr', async () => {
    const result = await run(['check', bundled]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${bundled}: ok, 3 categories, 9 codes, 0 warnings\n`);
    expect(result.code).toBe(0);
  });

  it("checks the workspace's codebook when no file is given", async () => {
    const result = await run(['check']);
    expect(result.stderr).toBe('codebooks/codebook.yaml: ok, 1 category, 1 code, 0 warnings\n');
    expect(result.code).toBe(0);
    const below = path.join(workspace, 'corpus');
    expect((await run(['check'], below)).stderr).toContain('../codebooks/codebook.yaml: ok');
  });

  it('says what to do when there is neither a file nor a workspace', async () => {
    const result = await run(['check'], await temporaryFolder());
    expect(result.stderr).toContain('no codebook file given, and no workspace here to take one from');
    expect(result.stderr).toContain('coding init');
    expect(result.code).toBe(2);
  });

  it('prints warnings but exits 0; --strict makes them fail with exit 1', async () => {
    const plain = await run(['check', 'nested.yaml']);
    expect(plain.stderr).toMatch(
      /^nested\.yaml:\d+:\d+ {2}categories\[0\]\.codes\[0\]\.codes\[0\]\.definition {2}warning: code "topic\.economy\.jobs" has no definition/m,
    );
    expect(plain.stderr).toMatch(/nested\.yaml: ok, 2 categories, 6 codes, \d+ warnings\n$/);
    expect(plain.code).toBe(0);
    const strict = await run(['check', 'nested.yaml', '--strict']);
    expect(strict.stderr).toMatch(/error: nested\.yaml: \d+ warnings, and --strict makes warnings fail/);
    expect(strict.code).toBe(1);
  });

  it('--format json prints every finding with its position, as data', async () => {
    const result = await run(['check', 'nested.yaml', '--format', 'json']);
    const findings = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(findings[0]).toEqual({
      code: 'MISSING_DEFINITION',
      severity: 'warning',
      file: 'nested.yaml',
      line: 30,
      column: 13,
      path: 'categories[0].codes[0].codes[0].definition',
      message:
        'code "topic.economy.jobs" has no definition; say what the code means, so that coders apply it alike',
    });
    expect(result.code).toBe(0);
  });

  it('reads the codebook from stdin with -', async () => {
    const result = await runCli(['codebook', 'check', '-'], {
      cwd: workspace,
      input: await fs.readFile(bundled),
    });
    expect(result.stderr).toBe('<stdin>: ok, 3 categories, 9 codes, 0 warnings\n');
    expect(result.code).toBe(0);
  });
});

describe('coding codebook check: bad input gets a located message, exit code 2, and nothing written', () => {
  const good = (categories: string): string => `version: 1\nname: demo\ncategories:\n${categories}`;
  const cases: Array<{ name: string; file: string | Buffer; message: RegExp }> = [
    {
      name: 'invalid YAML, with its line',
      file: good('  - id: a\n    label: [unclosed\n    codes: []\n'),
      message:
        /^book\.yaml:6:5 {2}Flow sequence in block collection must be sufficiently indented and end with a \]$/m,
    },
    {
      name: 'a value of the wrong type, saying what was received',
      file: 'version: 1\nname: demo\nexclusive: "yes"\ncategories: []\n',
      message: /^book\.yaml:3:12 {2}exclusive {2}expected boolean, received "yes"$/m,
    },
    {
      name: 'an unknown key, with "did you mean"',
      file: good(
        '  - id: a\n    lable: A\n    codes:\n      - {id: a.b, label: B, definition: d, include: i, exclude: e}\n',
      ),
      message:
        /^book\.yaml:5:5 {2}categories\[0\]\.lable {2}unknown key "lable" \(did you mean "label"\?\)$/m,
    },
    {
      name: 'duplicate ids, naming both places',
      file: good(
        '  - id: a\n    label: A\n    codes:\n      - {id: a.b, label: B, definition: d, include: i, exclude: e}\n      - {id: a.b, label: C, definition: d, include: i, exclude: e}\n',
      ),
      message:
        /^book\.yaml:8:14 {2}categories\[0\]\.codes\[1\]\.id {2}id "a\.b" is used twice: this code and the code at categories\[0\]\.codes\[0\]\.id/m,
    },
    {
      name: "a code id without its category's prefix",
      file: good(
        '  - id: trade\n    label: T\n    codes:\n      - {id: tariffs, label: B, definition: d, include: i, exclude: e}\n',
      ),
      message:
        /^book\.yaml:7:14 {2}categories\[0\]\.codes\[0\]\.id {2}code id "tariffs" must start with its category's id and a dot, "trade\." \(for example trade\.tariffs\)$/m,
    },
    {
      name: 'an empty category',
      file: good('  - id: a\n    label: A\n    codes: []\n'),
      message: /^book\.yaml:6:12 {2}categories\[0\]\.codes {2}category "a" has no codes/m,
    },
    {
      name: 'an alias bomb',
      file: `version: 1\nname: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${Array.from(
        { length: 9 },
        (_, level) => `a${level + 1}: &a${level + 1} [${Array(9).fill(`*a${level}`).join(', ')}]`,
      ).join('\n')}\ncategories: []\n`,
      message:
        /error: book\.yaml: a YAML alias bomb: resolving its aliases \(\*name\) takes more than 1000 expansions, the limit; refused/,
    },
    {
      name: 'an unknown format version',
      file: 'version: 2\nname: demo\ncategories: []\n',
      message: /error: book\.yaml:1:10: unknown codebook format version: expected 1, received 2/,
    },
    {
      name: 'a file that is not UTF-8',
      file: Buffer.concat([
        Buffer.from('version: 1\nname: caf'),
        Buffer.from([0xe9]),
        Buffer.from('\ncategories: []\n'),
      ]),
      message: /book\.yaml:2: the file is not UTF-8 text/,
    },
  ];

  for (const testCase of cases) {
    // Each case in a folder of its own, so that the cases can run at the same time.
    it.concurrent(testCase.name, async ({ expect }) => {
      const folder = await temporaryFolder();
      await writeFiles(folder, { 'book.yaml': testCase.file });
      const before = await snapshot(folder);
      const result = await run(['check', 'book.yaml'], folder);
      expect(result.stderr).toMatch(testCase.message);
      expect(result.code).toBe(2);
      expect(await snapshot(folder)).toEqual(before);
    });
  }

  it('reports every problem of a file at once', async () => {
    await writeFiles(workspace, {
      'book.yaml': good(
        '  - id: a\n    lable: A\n    codes:\n      - {id: b.c, label: C}\n  - id: a\n    label: Again\n    codes: []\n',
      ),
    });
    const result = await run(['check', 'book.yaml']);
    const located = result.stderr.split('\n').filter((line) => line.startsWith('book.yaml:'));
    expect(located.map((line) => line.split('  ')[1])).toEqual([
      'categories[0].label',
      'categories[0].lable',
      'categories[0].codes[0].definition',
      'categories[0].codes[0].include',
      'categories[0].codes[0].id',
      'categories[1].id',
      'categories[1].codes',
    ]);
    expect(result.stderr).toContain('error: book.yaml: the codebook has 5 errors and 2 warnings');
    expect(result.code).toBe(2);
  });

  it('refuses a 50 MB file by its size, quickly, without reading it', async () => {
    const folder = await temporaryFolder();
    // A sparse file: 50 MB long, nothing to read; a reader that read it whole would still be slow.
    await fs.writeFile(path.join(folder, 'huge.yaml'), '');
    await fs.truncate(path.join(folder, 'huge.yaml'), 50 * 1024 * 1024);
    const started = Date.now();
    const result = await run(['check', 'huge.yaml'], folder);
    expect(result.stderr).toContain(
      'error: huge.yaml: the file is 50.0 MiB; codebooks over 5 MiB are refused',
    );
    expect(result.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('names a codebook file that does not exist', async () => {
    const result = await run(['check', 'nowhere.yaml']);
    expect(result.stderr).toContain('error: nowhere.yaml: the codebook file does not exist');
    expect(result.code).toBe(2);
  });
});

describe('coding codebook show', () => {
  it('prints the tree of categories and codes', async () => {
    const result = await run(['show', 'usmca.yaml']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^USMCA review 2026: .* \(usmca-2026\)$/);
    expect(lines[1]).toMatch(/^trade {2,}Trade$/);
    expect(lines[2]).toMatch(/^ {2}trade\.ntb {2,}Non-tariff barriers$/);
    expect(lines.filter((line) => /^\S/.test(line) && line !== '')).toHaveLength(4);
  });

  it('writes a Markdown appendix with -o, atomically, and refuses to overwrite it without --force', async () => {
    const first = await run(['show', 'usmca.yaml', '--format', 'md', '-o', 'appendix.md']);
    expect(first.stderr).toBe('wrote appendix.md\n');
    expect(first.code).toBe(0);
    const markdown = await readText(workspace, 'appendix.md');
    expect(markdown).toMatch(/^# USMCA review 2026/);
    expect(markdown.match(/^\| Code \| Definition \| Include \| Exclude \| Example \|$/gm)).toHaveLength(3);

    const before = await snapshot(workspace);
    const refused = await run(['show', 'usmca.yaml', '--format', 'csv', '-o', 'appendix.md']);
    expect(refused.stderr).toContain('error: appendix.md exists already; nothing was written');
    expect(refused.stderr).toContain('--force');
    expect(refused.code).toBe(2);
    expect(await snapshot(workspace)).toEqual(before);

    const forced = await run(['show', 'usmca.yaml', '--format', 'csv', '-o', 'appendix.md', '--force']);
    expect(forced.code).toBe(0);
    expect((await readText(workspace, 'appendix.md')).split('\n')[0]).toBe(
      'category,code,label,definition,include,exclude,examples',
    );
    expect(await fs.readdir(workspace)).not.toContainEqual(expect.stringMatching(/^\.coding-tmp/));
  });

  it('prints CSV with one row per code, byte-identical across runs', async () => {
    const first = await run(['show', 'nested.yaml', '--format', 'csv']);
    const second = await run(['show', 'nested.yaml', '--format', 'csv']);
    expect(first.stdout).toBe(second.stdout);
    expect(first.stdout).toContain("'=1+1 looks like a formula | An example over\ntwo lines.\n");
    expect(first.stderr).toMatch(
      /note: the codebook has \d+ warnings; see them with: coding codebook check nested\.yaml/,
    );
  });

  it('refuses a codebook with errors, listing them', async () => {
    await writeFiles(workspace, {
      'broken.yaml': 'version: 1\nname: x\ncategories:\n  - id: a\n    label: A\n    codes: []\n',
    });
    const result = await run(['show', 'broken.yaml']);
    expect(result.stderr).toContain('error: broken.yaml: the codebook has 1 error');
    expect(result.stderr).toContain('broken.yaml:6:12  categories[0].codes  category "a" has no codes');
    expect(result.code).toBe(2);
  });

  it('will not write over its own input, even with --force', async () => {
    const before = await snapshot(workspace);
    const result = await run(['show', 'nested.yaml', '--format', 'md', '-o', 'nested.yaml', '--force']);
    expect(result.stderr).toContain('nested.yaml is the input of this command');
    expect(result.code).toBe(2);
    expect(await snapshot(workspace)).toEqual(before);
  });
});

describe('coding codebook export and import (REFI-QDA .qdc)', () => {
  it.skipIf(!haveXsd)(
    'exports a .qdc that validates against Codebook.xsd, the same bytes each time',
    async () => {
      const first = await run(['export', 'usmca.yaml', '--format', 'qdc', '-o', 'usmca.qdc']);
      expect(first.stderr.split('\n')[0]).toBe('wrote usmca.qdc');
      expect(first.code).toBe(0);
      const xml = await readText(workspace, 'usmca.qdc');
      const validation = await validateXML({
        xml: [{ fileName: 'usmca.qdc', contents: xml }],
        schema: [{ fileName: 'Codebook.xsd', contents: await fs.readFile(codebookXsd, 'utf8') }],
      });
      expect(validation.errors).toEqual([]);
      expect(validation.valid).toBe(true);
      const again = await run(['export', 'usmca.yaml']);
      expect(again.stdout).toBe(xml);
    },
  );

  it('imports its own export back to the same codebook (YAML → QDC → YAML)', async () => {
    for (const name of ['usmca', 'nested']) {
      const exported = await run(['export', `${name}.yaml`, '-o', `${name}-trip.qdc`, '--force']);
      // What does not travel is said, never dropped silently.
      if (name === 'usmca')
        expect(exported.stderr).toMatch(/note: the dictionary patterns of \d+ codes are not in the \.qdc/);
      else expect(exported.stderr).not.toContain('dictionary patterns');
      const imported = await run(['import', `${name}-trip.qdc`, '-o', `${name}-trip.yaml`, '--force']);
      expect(imported.code).toBe(0);
      expect(imported.stderr).toContain(`wrote ${name}-trip.yaml`);
      // Dictionary patterns have no place in REFI-QDA: they do not travel, and the rest must.
      const original = codebookSchema.parse(
        parse((await readText(workspace, `${name}.yaml`)).replace(/^ {8}patterns:\n(?: {10}.*\n)+/gm, '')),
      );
      const roundTrip = codebookSchema.parse(parse(await readText(workspace, `${name}-trip.yaml`)));
      expect(roundTrip).toEqual(original);
    }
    const check = await run(['check', 'usmca-trip.yaml']);
    expect(check.stderr).toContain('usmca-trip.yaml: ok, 3 categories, 9 codes, 0 warnings');
  });

  it('imports a codebook written by another program, reporting what it adapted', async () => {
    const result = await run(['import', 'taguette.qdc']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^# Codebook imported by coding [\d.]+ from taguette\.qdc \(written by Taguette 1\.4\.1\)\./,
    );
    const codebook = codebookSchema.parse(parse(result.stdout));
    expect(codebook.name).toBe('taguette');
    expect(codebook.categories[0]!.codes.map((code) => code.id)).toEqual([
      'codes.interesting',
      'codes.people-quotes',
      'codes.interesting-2',
    ]);
    expect(result.stderr).toContain('taguette.qdc  warning: <CodeBook> has no namespace');
    expect(result.stderr).toContain('imported 1 category and 3 codes written by Taguette 1.4.1');
  });

  const defaultArgs = ['import', 'bad.qdc', '-o', 'out.yaml'];
  const badImports: Array<{ name: string; file: string; args?: string[]; message: RegExp }> = [
    {
      name: 'a .qdc that is not XML, with the line and column of the problem',
      file: '<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n  <Codes>\n</CodeBook>\n',
      message: /error: bad\.qdc:4:\d+: the file is not well-formed XML: /,
    },
    {
      name: 'a .qdc that is a YAML file',
      file: 'version: 1\nname: x\n',
      message: /error: bad\.qdc:1:1: the file is not well-formed XML/,
    },
    {
      name: 'XML that is not a REFI-QDA codebook, saying what was expected and received',
      file: '<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>\n',
      message:
        /error: bad\.qdc: this is not a REFI-QDA codebook: expected the root element <CodeBook> in namespace urn:QDA-XML:codebook:1\.0, received <Project> in namespace urn:QDA-XML:project:1\.0\nhint: this is a REFI-QDA project/,
    },
    {
      name: 'a REFI-QDA codebook in a foreign namespace',
      file: '<CodeBook xmlns="http://example.org/other"><Codes/></CodeBook>',
      message: /received <CodeBook> in namespace http:\/\/example\.org\/other/,
    },
    {
      name: 'an existing output without --force',
      file: '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{0A5C0F4E-77B1-4B0A-8E5B-9E8A0C9D2B22}" name="c" isCodable="true"/></Codes></CodeBook>',
      args: ['import', 'bad.qdc', '-o', 'usmca.yaml'],
      message: /error: usmca\.yaml exists already; nothing was written\nhint: pass --force to replace it/,
    },
    {
      name: 'a .qdc that does not exist',
      file: '',
      args: ['import', 'missing.qdc', '-o', 'out.yaml'],
      message: /error: missing\.qdc: the file does not exist/,
    },
  ];

  for (const testCase of badImports) {
    it.concurrent(`refuses ${testCase.name}: exit 2, nothing written`, async ({ expect }) => {
      const folder = await temporaryFolder();
      await writeFiles(folder, { 'bad.qdc': testCase.file, 'usmca.yaml': 'an existing file\n' });
      const before = await snapshot(folder);
      const result = await run(testCase.args ?? defaultArgs, folder);
      expect(result.stderr).toMatch(testCase.message);
      expect(result.code).toBe(2);
      expect(await snapshot(folder)).toEqual(before);
    });
  }

  it('refuses an existing export target without --force', async () => {
    const before = await snapshot(workspace);
    const result = await run(['export', 'nested.yaml', '-o', 'usmca.yaml']);
    expect(result.stderr).toContain('error: usmca.yaml exists already; nothing was written');
    expect(result.code).toBe(2);
    expect(await snapshot(workspace)).toEqual(before);
  });
});

describe('coding codebook diff', () => {
  it('lists what changed between two versions, as text, JSON and CSV, and exits 0', async () => {
    const edited = (await readText(workspace, 'usmca.yaml'))
      .replace('label: Tariffs', 'label: Tariffs and duties')
      .replace(/ {6}- id: rhetoric\.domestic[\s\S]*$/, '')
      .replace('name: usmca-2026', 'name: usmca-2026b');
    await writeFiles(workspace, { 'edited.yaml': edited });
    const text = await run(['diff', 'usmca.yaml', 'edited.yaml']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        '~ codebook usmca-2026b  name: "usmca-2026" → "usmca-2026b"',
        '~ code trade.tariffs  renamed: "Tariffs" → "Tariffs and duties"',
        '- code rhetoric.domestic  removed  "Domestic signalling"',
        '',
      ].join('\n'),
    );
    expect(text.stderr).toBe('3 changes: 1 removed, 1 renamed, 1 changed\n');

    const json = JSON.parse((await run(['diff', 'usmca.yaml', 'edited.yaml', '--format', 'json'])).stdout);
    expect(json[1]).toEqual({
      change: 'renamed',
      kind: 'code',
      id: 'trade.tariffs',
      field: 'label',
      old: 'Tariffs',
      new: 'Tariffs and duties',
    });
    const csv = (await run(['diff', 'usmca.yaml', 'edited.yaml', '--format', 'csv'])).stdout;
    expect(csv.split('\n')[0]).toBe('change,kind,id,field,old,new');
    expect(csv).toContain('removed,code,rhetoric.domestic,,Domestic signalling,\n');
  });

  it('compares .qdc files by GUID', async () => {
    await run(['export', 'usmca.yaml', '-o', 'a.qdc', '--force']);
    const renamed = (await readText(workspace, 'a.qdc')).replace('name="Tariffs"', 'name="Duties"');
    await writeFiles(workspace, { 'b.qdc': renamed });
    const result = await run(['diff', 'a.qdc', 'b.qdc', '--format', 'json']);
    expect(JSON.parse(result.stdout)).toEqual([
      { change: 'renamed', kind: 'code', id: 'trade.tariffs', field: 'label', old: 'Tariffs', new: 'Duties' },
    ]);
    expect(result.code).toBe(0);
  });

  it('exits 2 on a bad input', async () => {
    await writeFiles(workspace, { 'broken.yaml': 'version: 1\nname: [\n' });
    const result = await run(['diff', 'usmca.yaml', 'broken.yaml']);
    expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+/);
    expect(result.code).toBe(2);
  });
});
