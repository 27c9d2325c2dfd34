import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixtureStudy } from '../fixtures/study.js';
import { readText, runCli, snapshot, writeFiles } from '../helpers.js';

let workspace: string;

beforeEach(async () => {
  workspace = await fixtureStudy();
});

const coder1 = [
  'unit_id,code,memo',
  'call:1,tone.positive,',
  'call:2,trade.tariffs,',
  'call:3,trade.ntb,car parts',
  'call:4,,',
  'presser:1,tone.positive,',
  'presser:2,trade.ntb,',
  'presser:3,trade.tariffs,',
  'presser:3,tone.negative,',
  'presser:4,,',
  'wire:1,trade.tariffs,',
  'wire:2,,',
  'wire:3,,',
  'wire:4,,',
].join('\n');

const coder2 = [
  'unit_id,code',
  'call:1,tone.positive',
  'call:2,trade.tariffs',
  'call:3,trade.ntb',
  'call:4,tone.negative',
  'presser:1,tone.positive',
  'presser:2,',
  'presser:3,trade.tariffs',
  'presser:3,tone.negative',
].join('\n');

describe('coding sample', () => {
  it('draws a sample of the documented size, the same for the same seed, and records how', async () => {
    const first = await runCli(['sample', '--fraction', '0.5', '--seed', '42'], { cwd: workspace });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('sample: 6 of 12 units (50.0 %), seed 42');
    const csv = await readText(workspace, 'annotations/sample.csv');
    expect(csv.trim().split('\n')).toHaveLength(7);
    const meta = JSON.parse(await readText(workspace, 'annotations/sample.meta.json'));
    expect(meta).toMatchObject({
      format: 'coding-sample',
      version: 1,
      fraction: 0.5,
      size: 6,
      population: 12,
      seed: 42,
      by: null,
    });
    const again = await runCli(['sample', '--fraction', '0.5', '--seed', '42'], { cwd: workspace });
    expect(again.stderr).toContain('already holds this sample');
    expect(await readText(workspace, 'annotations/sample.csv')).toBe(csv);
  });

  it('stratifies proportionally with the largest remainder, to exactly round(f × N) units', async () => {
    // 12 units in 3 documents of 4; 0.4 × 12 = 4.8 → 5 units; quotas 1.67 each → 1 + 1 + 1, then 2 more by remainder, ties to the first strata.
    const result = await runCli(
      ['sample', '--fraction', '0.4', '--seed', '7', '--by', 'document', '--format', 'json'],
      { cwd: workspace },
    );
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.size).toBe(5);
    expect(json.strata).toEqual([
      { name: 'call', population: 4, sample: 2 },
      { name: 'presser', population: 4, sample: 2 },
      { name: 'wire', population: 4, sample: 1 },
    ]);
    const byDocument = (json.units as string[]).map((id) => id.split(':')[0]);
    expect(byDocument.filter((id) => id === 'call')).toHaveLength(2);
    expect(byDocument.filter((id) => id === 'wire')).toHaveLength(1);
  });

  it('needs --force to replace a sample that a second coder has coded, and keeps the old one', async () => {
    await runCli(['sample', '--size', '4', '--seed', '1'], { cwd: workspace });
    const sampled = (await readText(workspace, 'annotations/sample.csv'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    await writeFiles(workspace, { 'c2.csv': `unit_id,code\n${sampled[0]},\n` });
    expect((await runCli(['import', '--coder', 'coder2', 'c2.csv'], { cwd: workspace })).code).toBe(0);
    const before = await snapshot(workspace);
    const refused = await runCli(['sample', '--size', '4', '--seed', '2'], { cwd: workspace });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('a sample exists already and coder2 has coded its units');
    expect(await snapshot(workspace)).toEqual(before);
    const forced = await runCli(['sample', '--size', '4', '--seed', '2', '--force'], { cwd: workspace });
    expect(forced.code).toBe(0);
    const backups = await fs.readdir(path.join(workspace, 'annotations', '.backup'));
    expect(backups.some((name) => name.startsWith('sample.') && name.endsWith('.csv'))).toBe(true);
  });

  const bad: Array<[string, string[], RegExp]> = [
    [
      'a fraction above 1',
      ['--fraction', '1.5', '--seed', '1'],
      /--fraction must be at most 1, received 1\.5/,
    ],
    ['a fraction of 0', ['--fraction', '0', '--seed', '1'], /--fraction must be greater than 0, received 0/],
    [
      'a seed that is not an integer',
      ['--fraction', '0.2', '--seed', '1.5'],
      /--seed must be a whole number, received "1\.5"/,
    ],
    ['neither size nor fraction', ['--seed', '3'], /give the sample size as --fraction F or --size N/],
    [
      'an unknown stratum field',
      ['--fraction', '0.2', '--seed', '1', '--by', 'colour'],
      /argument 'colour' is invalid/,
    ],
  ];
  for (const [name, args, message] of bad) {
    it(`refuses ${name}`, async () => {
      const before = await snapshot(workspace);
      const result = await runCli(['sample', ...args], { cwd: workspace });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(await snapshot(workspace)).toEqual(before);
    });
  }
});

describe('coding sheet and coding import --coder', () => {
  it('writes a sheet with context and neutralised formulas, and a filled sheet comes back in', async () => {
    await writeFiles(workspace, { 'extra.txt': '=HYPERLINK("x") is not a formula here. Plain second.' });
    await runCli(['import', 'extra.txt'], { cwd: workspace });
    const sheet = await runCli(['sheet', '--coder', 'coder2', '--bom', '-o', 'sheet.csv'], {
      cwd: workspace,
    });
    expect(sheet.code).toBe(0);
    const text = await readText(workspace, 'sheet.csv');
    expect(
      text.startsWith(
        '\uFEFFunit_id,doc_id,actor,date,context_before,text,context_after,trade.ntb (Non-tariff barriers),trade.tariffs (Tariffs),tone.positive (Positive),tone.negative (Negative),none,memo\n',
      ),
    ).toBe(true);
    expect(text).toContain(
      'call:2,call,Trump,2026-01-29,A great call on trade.,Tariffs stay on the table.,The rules on car parts must go.,,,,,,',
    );
    expect(text).toContain(`extra:1,extra,,,,"'=HYPERLINK(""x"") is not a formula here.",Plain second.`);

    // Fill it as Excel would save it: semicolons, CRLF, TRUE/FALSE, a BOM.
    const filled = [
      'unit_id;doc_id;text;trade.ntb (Non-tariff barriers);trade.tariffs (Tariffs);tone.positive (Positive);tone.negative (Negative);none;memo',
      'call:1;call;A great call on trade.;FALSE;FALSE;TRUE;FALSE;;',
      'call:2;call;Tariffs stay on the table.;;TRUE;;;;a memo; with a semicolon',
      'call:4;call;We agreed on nothing yet.;;;;;x;',
      'presser:1;presser;It is coming along very well.;;;;;;',
    ].join('\r\n');
    await fs.writeFile(
      path.join(workspace, 'filled.csv'),
      `\uFEFF${filled.replace('a memo; with a semicolon', '"a memo; with a semicolon"')}\r\n`,
    );
    const imported = await runCli(['import', '--coder', 'coder2', 'filled.csv'], { cwd: workspace });
    expect(imported.stderr).toContain('filled.csv (sheet, 4 rows) → annotations/coder2.csv');
    expect(imported.stderr).toContain(
      'units: 3 new, 0 unchanged, 0 replaced, 0 kept from before; 3 reviewed by coder2',
    );
    expect(imported.code).toBe(0);
    expect(await readText(workspace, 'annotations/coder2.csv')).toBe(
      'unit_id,code,memo\ncall:1,tone.positive,\ncall:2,trade.tariffs,a memo; with a semicolon\ncall:4,,\n',
    );
    const meta = JSON.parse(await readText(workspace, 'annotations/coder2.meta.json'));
    expect(meta).toMatchObject({
      format: 'coding-annotations',
      version: 1,
      coder: 'coder2',
      codebook: 'codebooks/codebook.yaml',
      units_reviewed: 3,
      codings: 2,
    });
    expect(meta.codebook_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('imports long files, is idempotent, and needs --replace (with a backup) to change codes', async () => {
    await writeFiles(workspace, { 'c1.csv': coder1 });
    const first = await runCli(['import', '--coder', 'coder1', 'c1.csv'], { cwd: workspace });
    expect(first.code).toBe(0);
    const stored = await readText(workspace, 'annotations/coder1.csv');
    const before = await snapshot(workspace);
    const again = await runCli(['import', '--coder', 'coder1', 'c1.csv'], { cwd: workspace });
    expect(again.stderr).toContain('units: 0 new, 12 unchanged');
    expect(await snapshot(workspace)).toEqual(before);

    await writeFiles(workspace, { 'fix.csv': 'unit_id,code\nwire:2,trade.tariffs\nwire:3,\n' });
    const snap = await snapshot(workspace);
    const refused = await runCli(['import', '--coder', 'coder1', 'fix.csv'], { cwd: workspace });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'unit wire:2 is coded (no code) in annotations/coder1.csv, and trade.tariffs here',
    );
    expect(refused.stderr).toContain('--replace');
    expect(await snapshot(workspace)).toEqual(snap);

    const replaced = await runCli(['import', '--coder', 'coder1', 'fix.csv', '--replace'], {
      cwd: workspace,
    });
    expect(replaced.code).toBe(0);
    expect(replaced.stderr).toContain(
      'units: 0 new, 1 unchanged, 1 replaced, 10 kept from before; 12 reviewed by coder1',
    );
    const backups = await fs.readdir(path.join(workspace, 'annotations', '.backup'));
    const backup = backups.find(
      (name) => name.startsWith('coder1.') && name.endsWith('.csv') && !name.includes('meta'),
    )!;
    expect(await readText(workspace, `annotations/.backup/${backup}`)).toBe(stored);
    expect(await readText(workspace, 'annotations/coder1.csv')).toContain('wire:2,trade.tariffs,\n');
  });

  it('keeps "reviewed, no code" and "not reviewed" apart through import, storage and export', async () => {
    await writeFiles(workspace, { 'c.csv': 'unit_id,code\ncall:1,\ncall:2,trade.tariffs\n' });
    await runCli(['import', '--coder', 'coder1', 'c.csv'], { cwd: workspace });
    const codes = await runCli(['codes', '--coder', 'coder1', '--format', 'csv'], { cwd: workspace });
    expect(codes.stdout).toBe(
      'unit_id,doc_id,code,source\ncall:1,call,,coder\ncall:2,call,trade.tariffs,coder\n',
    );
    const sheet = await runCli(['sheet', '--coder', 'coder1'], { cwd: workspace });
    const rows = sheet.stdout.trim().split('\n');
    expect(rows[1]!.endsWith(',,,,,1,')).toBe(true); // call:1: none marked
    expect(rows[3]!.endsWith(',,,,,,')).toBe(true); // call:3: not reviewed, nothing marked
  });

  it('reports every bad row at once, with its line, and writes nothing', async () => {
    await writeFiles(workspace, {
      'bad.csv': [
        'unit_id,code,memo',
        'call:1,trade.nbt,',
        'call:9,trade.ntb,',
        'cal:1,trade.ntb,',
        'presser:1,tone.positive,',
        'presser:1,tone.negative,',
        'presser:2,trade.ntb,',
        'presser:2,trade.ntb,',
        'wire:1,,',
        'wire:1,trade.ntb,',
      ].join('\n'),
    });
    const before = await snapshot(workspace);
    const result = await runCli(['import', '--coder', 'coder1', 'bad.csv'], { cwd: workspace });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'bad.csv:2  unit call:1: unknown code "trade.nbt" (did you mean "trade.ntb"?)',
    );
    expect(result.stderr).toContain(
      'bad.csv:3  unknown unit id "call:9" (document call has units call:1 to call:4)',
    );
    expect(result.stderr).toContain(
      'bad.csv:4  unknown unit id "cal:1" (no document "cal" (did you mean "call"?))',
    );
    expect(result.stderr).toContain(
      'bad.csv:8  unit presser:2 has code trade.ntb more than once (lines 7, 8)',
    );
    expect(result.stderr).toContain(
      'bad.csv:9  unit wire:1 has a row with an empty code ("reviewed, no code") and rows with codes (lines 9, 10)',
    );
    expect(result.stderr).toMatch(
      /bad\.csv:5 {2}unit presser:1 has two codes of the exclusive category tone: tone\.positive and tone\.negative/,
    );
    expect(await snapshot(workspace)).toEqual(before);
  });

  const badFiles: Array<[string, Record<string, string | Buffer>, string[], RegExp]> = [
    [
      'a coder name unsafe in a file name',
      { 'c.csv': 'unit_id,code\ncall:1,\n' },
      ['--coder', '../evil', 'c.csv'],
      /"\.\.\/evil" cannot be a coder name/,
    ],
    [
      'a reserved coder name',
      { 'c.csv': 'unit_id,code\ncall:1,\n' },
      ['--coder', 'sample', 'c.csv'],
      /"sample" cannot be a coder name: it is reserved/,
    ],
    [
      'a mark that is not a mark',
      { 'w.csv': 'unit_id,trade.ntb,trade.tariffs\ncall:1,1,maybe\n' },
      ['--coder', 'a', 'w.csv'],
      /w\.csv:2 {2}"maybe" in column trade\.tariffs is not a mark/,
    ],
    [
      'a column that is not a code',
      { 'w.csv': 'unit_id,trade.nbt\ncall:1,1\n' },
      ['--coder', 'a', 'w.csv'],
      /column "trade\.nbt" is neither a code of the codebook nor a known column \(did you mean "trade\.ntb"\?\)/,
    ],
    [
      'none together with a code',
      { 'w.csv': 'unit_id,trade.ntb,none\ncall:1,1,1\n' },
      ['--coder', 'a', 'w.csv'],
      /w\.csv:2 {2}the unit is marked "none" and also trade\.ntb: choose one/,
    ],
    [
      'a file without unit_id',
      { 'w.csv': 'id,code\ncall:1,\n' },
      ['--coder', 'a', 'w.csv'],
      /cannot tell the layout of this file: it has no "unit_id" column; the columns are "id", "code"/,
    ],
    [
      'a non-UTF-8 file',
      {
        'w.csv': Buffer.from([
          0x75, 0x6e, 0x69, 0x74, 0x5f, 0x69, 0x64, 0x2c, 0x63, 0x6f, 0x64, 0x65, 0x0a, 0xe9, 0x2c, 0x0a,
        ]),
      },
      ['--coder', 'a', 'w.csv'],
      /w\.csv:2: the file is not UTF-8 text \(it looks like WINDOWS-1252\)/,
    ],
    [
      'an unclosed quote',
      { 'w.csv': 'unit_id,code,memo\ncall:1,,"open\n' },
      ['--coder', 'a', 'w.csv'],
      /w\.csv:2: a quoted field opened here is never closed/,
    ],
    ['a missing file', {}, ['--coder', 'a', 'nothing.csv'], /nothing\.csv: the file does not exist/],
  ];
  for (const [name, files, args, message] of badFiles) {
    it(`refuses ${name}`, async () => {
      await writeFiles(workspace, files);
      const before = await snapshot(workspace);
      const result = await runCli(['import', ...args], { cwd: workspace });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(await snapshot(workspace)).toEqual(before);
    });
  }
});

describe('coding merge, adjudicate and codes --final', () => {
  beforeEach(async () => {
    await writeFiles(workspace, { 'c1.csv': coder1, 'c2.csv': coder2 });
    await runCli(['import', '--coder', 'coder1', 'c1.csv'], { cwd: workspace });
    await runCli(['import', '--coder', 'coder2', 'c2.csv'], { cwd: workspace });
  });

  it('merges two coders: per-code agreement and the disagreements in corpus order', async () => {
    const before = await snapshot(workspace);
    const result = await runCli(['merge', '--format', 'json'], { cwd: workspace });
    expect(result.code).toBe(0);
    const merge = JSON.parse(result.stdout);
    expect(merge).toMatchObject({
      coders: ['coder1', 'coder2'],
      n_units: 7,
      identical: 5,
      only_a: 5,
      only_b: 0,
    });
    expect(merge.codes).toEqual([
      {
        code: 'trade.ntb',
        label: 'Non-tariff barriers',
        both: 1,
        only_a: 1,
        only_b: 0,
        neither: 5,
        agreement: 6 / 7,
      },
      { code: 'trade.tariffs', label: 'Tariffs', both: 2, only_a: 0, only_b: 0, neither: 5, agreement: 1 },
      { code: 'tone.positive', label: 'Positive', both: 2, only_a: 0, only_b: 0, neither: 5, agreement: 1 },
      {
        code: 'tone.negative',
        label: 'Negative',
        both: 1,
        only_a: 0,
        only_b: 1,
        neither: 5,
        agreement: 6 / 7,
      },
    ]);
    const disagreements = (
      merge.units as Array<{ unit_id: string; agree: boolean; only_a: string[]; only_b: string[] }>
    ).filter((unit) => !unit.agree);
    expect(disagreements).toEqual([
      expect.objectContaining({ unit_id: 'call:4', only_a: [], only_b: ['tone.negative'] }),
      expect.objectContaining({ unit_id: 'presser:2', only_a: ['trade.ntb'], only_b: [] }),
    ]);
    expect(await snapshot(workspace)).toEqual(before);
    const file = await runCli(['merge', '--disagreements', '-o', 'reports/disagreements.csv'], {
      cwd: workspace,
    });
    expect(file.code).toBe(0);
    expect(await readText(workspace, 'reports/disagreements.csv')).toBe(
      'unit_id,doc_id,text,coder_a,codes_a,coder_b,codes_b,agree,only_a,only_b\n' +
        'call:4,call,We agreed on nothing yet.,coder1,,coder2,tone.negative,0,,tone.negative\n' +
        'presser:2,presser,Customs procedures will be simplified.,coder1,trade.ntb,coder2,,0,trade.ntb,\n',
    );
  });

  it('merges explicit files outside a workspace, with the codes found in them', async () => {
    const outside = path.dirname(workspace);
    await writeFiles(outside, {
      'pair.csv': 'unit_id,coder,code\nu1,ann,x\nu1,bob,x\nu2,ann,\nu2,bob,y\nu3,ann,y\n',
    });
    const result = await runCli(['merge', '--annotations', 'pair.csv', '--format', 'json'], { cwd: outside });
    expect(result.code).toBe(0);
    const merge = JSON.parse(result.stdout);
    expect(merge).toMatchObject({ coders: ['ann', 'bob'], n_units: 2, identical: 1, only_a: 1, only_b: 0 });
    expect(merge.codes.map((code: { code: string }) => code.code)).toEqual(['x', 'y']);
  });

  it('adjudicates interactively from stdin, saving each decision as it is made, and resumes', async () => {
    const first = await runCli(['adjudicate', '--by', 'Ana'], {
      cwd: workspace,
      input: 'b\ncoder2 saw the negative tone\n',
    });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(
      '1 decision saved to annotations/adjudication.csv; 1 of 2 disagreements still open',
    );
    const saved = await readText(workspace, 'annotations/adjudication.csv');
    expect(saved).toMatch(
      /^unit_id,decision,codes,coder_a,coder_b,decided_by,decided_at,rationale\ncall:4,b,tone.negative,coder1,coder2,Ana,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,coder2 saw the negative tone\n$/,
    );
    const second = await runCli(['adjudicate', '--by', 'Ana'], {
      cwd: workspace,
      input: 'e\ntrade.ntb tone.positive tone.negative\ne\ntrade.ntb\nprocedures are an NTB\n',
    });
    expect(second.stderr).toContain('[1/1] presser:2');
    expect(second.stderr).toContain(
      'not saved: tone.positive and tone.negative are both in the exclusive category tone',
    );
    expect(second.stderr).toContain('0 of 2 disagreements still open');
    const status = await runCli(['adjudicate', '--status'], { cwd: workspace });
    expect(status.stdout).toContain('2 disagreements between coder1 and coder2: 2 decided, 0 open');

    const final = await runCli(['codes', '--final', '--format', 'csv'], { cwd: workspace });
    expect(final.stdout.trim().split('\n')).toEqual([
      'unit_id,doc_id,code,source',
      'call:1,call,tone.positive,agreed',
      'call:2,call,trade.tariffs,agreed',
      'call:3,call,trade.ntb,agreed',
      'call:4,call,tone.negative,adjudicated',
      'presser:1,presser,tone.positive,agreed',
      'presser:2,presser,trade.ntb,adjudicated',
      'presser:3,presser,trade.tariffs,agreed',
      'presser:3,presser,tone.negative,agreed',
      'presser:4,presser,,single',
      'wire:1,wire,trade.tariffs,single',
      'wire:2,wire,,single',
      'wire:3,wire,,single',
      'wire:4,wire,,single',
    ]);
  });

  it('takes decisions from a file, checking them all first, and needs --replace to change one', async () => {
    await writeFiles(workspace, {
      'decisions.csv':
        'unit_id,decision,codes,rationale\ncall:4,coder1,,no tone\npresser:2,edit,trade.ntb tone.positive,both apply\n',
      'bad-decisions.csv': 'unit_id,decision,codes\ncall:1,a,\npresser:2,edit,trade.nbt\ncall:4,maybe,\n',
    });
    const before = await snapshot(workspace);
    const bad = await runCli(['adjudicate', '--from', 'bad-decisions.csv', '--by', 'Ana'], {
      cwd: workspace,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'bad-decisions.csv:2  unit call:1 is not a disagreement between coder1 and coder2',
    );
    expect(bad.stderr).toContain(
      'bad-decisions.csv:3  unit presser:2: unknown code "trade.nbt" (did you mean "trade.ntb"?)',
    );
    expect(bad.stderr).toContain(
      'bad-decisions.csv:4  decision "maybe" is not one of a (coder1), b (coder2), both, neither, edit',
    );
    expect(await snapshot(workspace)).toEqual(before);

    const good = await runCli(['adjudicate', '--from', 'decisions.csv', '--by', 'Ana'], { cwd: workspace });
    expect(good.code).toBe(0);
    expect(good.stderr).toContain('2 new decisions, 0 replaced, 0 unchanged');
    const again = await runCli(['adjudicate', '--from', 'decisions.csv', '--by', 'Ana'], { cwd: workspace });
    expect(again.stderr).toContain('0 new decisions, 0 replaced, 2 unchanged');

    await writeFiles(workspace, { 'change.csv': 'unit_id,decision\ncall:4,b\n' });
    const refused = await runCli(['adjudicate', '--from', 'change.csv', '--by', 'Ana'], { cwd: workspace });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unit call:4 was decided already (a: no code, by Ana)');
    const replaced = await runCli(['adjudicate', '--from', 'change.csv', '--by', 'Ana', '--replace'], {
      cwd: workspace,
    });
    expect(replaced.code).toBe(0);
    expect(replaced.stderr).toContain('1 replaced');
    expect(
      (await fs.readdir(path.join(workspace, 'annotations', '.backup'))).some((name) =>
        name.startsWith('adjudication.'),
      ),
    ).toBe(true);
  });

  it('refuses --coders naming a coder without annotations, and a single coder', async () => {
    const absent = await runCli(['merge', '--coders', 'coder1,coder3'], { cwd: workspace });
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain(
      'coder "coder3" has no annotations in this workspace (did you mean "coder1"?)',
    );
    const single = await runCli(['merge', '--coders', 'coder1'], { cwd: workspace });
    expect(single.code).toBe(2);
    expect(single.stderr).toContain('only one coder (coder1): agreement needs at least 2 coders');
  });

  it('warns when the codebook changed after the annotations were made, and refuses a removed code', async () => {
    const codebook = await readText(workspace, 'codebooks/codebook.yaml');
    await writeFiles(workspace, {
      'codebooks/codebook.yaml': codebook.replace('Taxes on imports.', 'Taxes on imported goods.'),
    });
    const changed = await runCli(['merge'], { cwd: workspace });
    expect(changed.code).toBe(0);
    expect(changed.stderr).toContain(
      'annotations/coder1.csv  warning: these annotations were made with another version of the codebook',
    );
    // Importing the same codes again checks them against the new codebook and records its hash.
    const rechecked = await runCli(['import', '--coder', 'coder1', 'c1.csv'], { cwd: workspace });
    expect(rechecked.stderr).toContain(
      'the codes were checked against the changed codebook; its hash is now recorded',
    );
    const after = await runCli(['merge'], { cwd: workspace });
    expect(after.stderr).not.toContain('coder1.csv  warning');
    expect(after.stderr).toContain('coder2.csv  warning');
    await writeFiles(workspace, {
      'codebooks/codebook.yaml': codebook.replace('trade.ntb', 'trade.barriers'),
    });
    const removed = await runCli(['merge'], { cwd: workspace });
    expect(removed.code).toBe(2);
    expect(removed.stderr).toContain('annotations/coder1.csv uses codes that the codebook no longer has');
    expect(removed.stderr).toContain('annotations/coder1.csv:4  unit call:3: unknown code "trade.ntb"');
    expect(removed.stderr).toContain('annotations/coder1.csv:7  unit presser:2: unknown code "trade.ntb"');
  });
});
