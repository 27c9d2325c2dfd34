import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureStudy } from '../fixtures/study.js';
import {
  copyBundledStudy,
  runCli,
  snapshot,
  temporaryFolder,
  temporaryWorkspace,
  writeFiles,
} from '../helpers.js';

/**
 * The fixture study: 3 documents of 4 units (call: Trump, primary; presser: Sheinbaum, primary;
 * wire: Reuters, secondary). coder1 codes all 12 units, coder2 eight; they disagree on call:4 and
 * presser:2, nobody adjudicates, and coder1 is the primary coder, so the final codes are coder1's:
 *
 *   call:1 tone.positive     presser:1 tone.positive                 wire:1 trade.tariffs
 *   call:2 trade.tariffs     presser:2 trade.ntb                     wire:2 –
 *   call:3 trade.ntb         presser:3 trade.tariffs, tone.negative  wire:3 –
 *   call:4 –                 presser:4 –                             wire:4 –
 *
 * Every expected number below is counted by hand from this table.
 */
let workspace: string;

beforeAll(async () => {
  workspace = await fixtureStudy();
  await writeFiles(workspace, {
    'c1.csv':
      'unit_id,code\ncall:1,tone.positive\ncall:2,trade.tariffs\ncall:3,trade.ntb\ncall:4,\npresser:1,tone.positive\npresser:2,trade.ntb\npresser:3,trade.tariffs\npresser:3,tone.negative\npresser:4,\nwire:1,trade.tariffs\nwire:2,\nwire:3,\nwire:4,\n',
    'c2.csv':
      'unit_id,code\ncall:1,tone.positive\ncall:2,trade.tariffs\ncall:3,trade.ntb\ncall:4,tone.negative\npresser:1,tone.positive\npresser:2,\npresser:3,trade.tariffs\npresser:3,tone.negative\n',
  });
  for (const coder of ['coder1', 'coder2']) {
    const result = await runCli(['import', '--coder', coder, `c${coder.at(-1)}.csv`], { cwd: workspace });
    if (result.code !== 0) throw new Error(result.stderr);
  }
});

const json = async (args: string[]) => {
  const result = await runCli(['themes', ...args, '--format', 'json'], { cwd: workspace });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
};

describe('coding themes on a study counted by hand', () => {
  it('counts units and documents per code and per category', async () => {
    const { frequencies } = await json([]);
    const row = (code: string, category = '') =>
      frequencies.find(
        (entry: { code: string; category: string }) =>
          entry.code === code && (code !== '' || entry.category === category),
      );
    expect(row('trade.ntb')).toEqual({
      category: 'trade',
      code: 'trade.ntb',
      label: 'Non-tariff barriers',
      units: 2,
      documents: 2,
      unit_share: 2 / 12,
      document_share: 2 / 3,
    });
    expect(row('trade.tariffs')).toMatchObject({
      units: 3,
      documents: 3,
      unit_share: 3 / 12,
      document_share: 1,
    });
    expect(row('', 'trade')).toMatchObject({ label: 'Trade', units: 5, documents: 3 });
    expect(row('tone.negative')).toMatchObject({ units: 1, documents: 1 });
    expect(row('', 'tone')).toMatchObject({ units: 3, documents: 2, document_share: 2 / 3 });
    expect(frequencies.map((entry: { code: string }) => entry.code)).toEqual([
      'trade.ntb',
      'trade.tariffs',
      '',
      'tone.positive',
      'tone.negative',
      '',
    ]);
  });

  it('builds the code × actor table with row and column totals', async () => {
    const { by_actor: table } = await json(['--by', 'actor']);
    expect(table.groups).toEqual(['Reuters', 'Sheinbaum', 'Trump']);
    const cell = (code: string, group: string) =>
      table.rows.find((row: { code: string; group: string }) => row.code === code && row.group === group);
    expect(cell('trade.ntb', 'Reuters')).toMatchObject({ units: 0, group_units: 4, share: 0 });
    expect(cell('trade.ntb', 'Sheinbaum')).toMatchObject({ units: 1, group_units: 4, share: 0.25 });
    expect(cell('trade.ntb', '(all)')).toMatchObject({ units: 2, group_units: 12 });
    expect(cell('(any code)', 'Reuters')).toMatchObject({ units: 1, group_units: 4 });
    expect(cell('(any code)', 'Trump')).toMatchObject({ units: 3 });
    expect(cell('(any code)', '(all)')).toMatchObject({ units: 7, group_units: 12 });
    const csv = await runCli(['themes', '--by', 'actor', '--format', 'csv'], { cwd: workspace });
    expect(csv.stdout.split('\n').slice(0, 3)).toEqual([
      'code,label,group,units,group_units,share',
      'trade.ntb,Non-tariff barriers,Reuters,0,4,0.0000',
      'trade.ntb,Non-tariff barriers,Sheinbaum,1,4,0.2500',
    ]);
  });

  it('groups by date per day, week and month', async () => {
    expect((await json(['--by', 'date', '--period', 'day'])).by_date.groups).toEqual([
      '2026-01-27',
      '2026-01-29',
      '2026-01-30',
    ]);
    // 27 January 2026 is a Tuesday of ISO week 5; 29 and 30 January are in the same week.
    expect((await json(['--by', 'date', '--period', 'week'])).by_date.groups).toEqual(['2026-W05']);
    expect((await json(['--by', 'date'])).by_date.groups).toEqual(['2026-01']);
  });

  it('counts co-occurrence and the Jaccard index', async () => {
    const { cooccurrence } = await json(['--cooccurrence']);
    const pair = (a: string, b: string) =>
      cooccurrence.find((row: { code_a: string; code_b: string }) => row.code_a === a && row.code_b === b);
    // Only presser:3 carries both; tariffs alone 3 units, negative 1: 1 / (3 + 1 − 1).
    expect(pair('trade.tariffs', 'tone.negative')).toEqual({
      code_a: 'trade.tariffs',
      code_b: 'tone.negative',
      units: 1,
      jaccard: 1 / 3,
    });
    expect(pair('tone.negative', 'trade.tariffs')).toMatchObject({ units: 1 });
    expect(pair('trade.ntb', 'trade.ntb')).toMatchObject({ units: 2, jaccard: 1 });
    expect(pair('trade.ntb', 'tone.positive')).toMatchObject({ units: 0, jaccard: 0 });
  });

  it('chooses exemplars the coders agreed on first, one per document first', async () => {
    const { exemplars } = await json(['--exemplars', '2']);
    const of = (code: string) =>
      exemplars
        .filter((row: { code: string }) => row.code === code)
        .map((row: { unit_id: string; basis: string }) => `${row.unit_id} ${row.basis}`);
    expect(of('trade.ntb')).toEqual(['call:3 agreed', 'presser:2 primary']);
    expect(of('trade.tariffs')).toEqual(['call:2 agreed', 'presser:3 agreed']);
    expect(exemplars.find((row: { unit_id: string }) => row.unit_id === 'call:3').text).toBe(
      'The rules on car parts must go.',
    );
  });

  it('triangulates primary against secondary sources', async () => {
    const { triangulation } = await json(['--triangulation']);
    expect(triangulation.find((row: { code: string }) => row.code === 'trade.tariffs')).toEqual({
      code: 'trade.tariffs',
      label: 'Tariffs',
      primary_units: 2,
      secondary_units: 1,
      primary_documents: 2,
      secondary_documents: 1,
      unknown_role_units: 0,
      status: 'converge',
    });
    expect(triangulation.find((row: { code: string }) => row.code === 'trade.ntb').status).toBe(
      'primary-only',
    );
  });

  it('makes the per-actor table of a category, and refuses a category that does not exist', async () => {
    const { rhetoric } = await json(['--rhetoric', 'tone']);
    expect(
      rhetoric.map((row: { actor: string; code: string; units: number; exemplar_unit: string }) => [
        row.actor,
        row.code,
        row.units,
        row.exemplar_unit,
      ]),
    ).toEqual([
      ['Sheinbaum', 'tone.positive', 1, 'presser:1'],
      ['Sheinbaum', 'tone.negative', 1, 'presser:3'],
      ['Trump', 'tone.positive', 1, 'call:1'],
    ]);
    const missing = await runCli(['themes', '--rhetoric', 'rethoric'], { cwd: workspace });
    expect(missing.code).toBe(2);
    const none = await runCli(['themes', '--rhetoric'], { cwd: workspace });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('the codebook has no category "rhetoric"');
  });

  it("uses one coder's codes with --coder", async () => {
    const { frequencies } = await json(['--coder', 'coder2']);
    // coder2 reviewed 7 units (call:1–4, presser:1–3); tone.negative on call:4 and presser:3.
    expect(frequencies.find((row: { code: string }) => row.code === 'tone.negative')).toMatchObject({
      units: 2,
      unit_share: 2 / 7,
    });
  });

  it('refuses a --by field no document has, naming those that exist, and a coder without annotations', async () => {
    const result = await runCli(['themes', '--by', 'source'], { cwd: workspace });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no document has a source');
    expect(result.stderr).toContain('actor, genre, document, role, date');
    const coder = await runCli(['themes', '--coder', 'coder9'], { cwd: workspace });
    expect(coder.code).toBe(2);
    expect(coder.stderr).toContain('coder "coder9" has no annotations');
  });
});

describe('coding themes on explicit files', () => {
  it("counts the codes of a file on the workspace's corpus, choosing a coder of a multi-coder file", async () => {
    await writeFiles(workspace, {
      'codes.csv':
        'unit_id,coder,code\ncall:1,x,trade.ntb\ncall:2,x,trade.ntb\ncall:2,y,\nwire:1,y,trade.tariffs\n',
    });
    const chosen = await runCli(
      ['themes', '--annotations', 'codes.csv', '--coder', 'x', '--format', 'json'],
      { cwd: workspace },
    );
    expect(chosen.code).toBe(0);
    const { frequencies } = JSON.parse(chosen.stdout);
    expect(frequencies.find((row: { code: string }) => row.code === 'trade.ntb')).toMatchObject({
      units: 2,
      documents: 1,
      unit_share: 1,
    });
    const ambiguous = await runCli(['themes', '--annotations', 'codes.csv'], { cwd: workspace });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      'codes.csv holds the codes of 2 coders (x, y): choose one with --coder',
    );
    await writeFiles(workspace, { 'bad.csv': 'unit_id,code\ncall:9,trade.ntb\n' });
    const bad = await runCli(['themes', '--annotations', 'bad.csv'], { cwd: workspace });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.csv:2  unknown unit id "call:9"');
  });
});

describe('coding themes and coding report: bad input', () => {
  it('refuses an empty corpus', async () => {
    const empty = await temporaryWorkspace();
    for (const command of [['themes'], ['report']]) {
      const result = await runCli(command, { cwd: empty });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('the corpus is empty');
    }
  });

  it('refuses an output folder that is a file, writing nothing', async () => {
    await writeFiles(workspace, { 'taken.txt': 'a file' });
    const before = await snapshot(workspace);
    const result = await runCli(['report', '-o', 'taken.txt'], { cwd: workspace });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('taken.txt is a file, not a folder');
    expect(await snapshot(workspace)).toEqual(before);
  });
});

describe('a corpus whose unit index names a document it does not have', () => {
  it('refuses themes, report and the wide export (exit 2), instead of counting the units under another document', async () => {
    const damaged = await temporaryFolder('coding-damaged-');
    await copyBundledStudy(damaged);
    const file = path.join(damaged, 'corpus', 'documents.jsonl');
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    const removed = JSON.parse(lines[2]!).id as string;
    await fs.writeFile(file, lines.filter((_, index) => index !== 2).join('\n'));
    for (const command of [['themes'], ['report', '-o', 'out'], ['export', '--layout', 'wide']]) {
      const result = await runCli(command, { cwd: damaged });
      expect(result.code, command.join(' ')).toBe(2);
      expect(result.stderr).toContain(
        `corpus/units.csv: the corpus is damaged: unit ${removed}:1 belongs to document "${removed}", which corpus/documents.jsonl does not have`,
      );
      expect(result.stderr).toContain('hint: restore corpus/ from version control');
    }
  });
});

describe('coding export', () => {
  it('writes the final codes long and wide', async () => {
    const long = await runCli(['export'], { cwd: workspace });
    // basis: both coders gave the same codes (agreed), they disagreed and coder1 is primary
    // (primary), or only coder1 reviewed the unit (single).
    expect(long.stdout.split('\n').slice(0, 5)).toEqual([
      'unit_id,doc_id,coder,code,basis',
      'call:1,call,final,tone.positive,agreed',
      'call:2,call,final,trade.tariffs,agreed',
      'call:3,call,final,trade.ntb,agreed',
      'call:4,call,final,,primary',
    ]);
    const wide = await runCli(['export', '--layout', 'wide'], { cwd: workspace });
    const lines = wide.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'unit_id,doc_id,actor,source,genre,date,role,language,title,language_detected,coder,basis,trade.ntb,trade.tariffs,tone.positive,tone.negative',
    );
    // coding init detects each document's language (segmentation.language: auto), and says it was detected.
    expect(lines[7]).toBe(
      'presser:3,presser,Sheinbaum,,press conference,2026-01-27,primary,en,,true,final,agreed,0,1,0,1',
    );
    expect(lines).toHaveLength(13);
    const basis = Object.fromEntries(lines.slice(1).map((line) => [line.split(',')[0], line.split(',')[11]]));
    expect(basis).toEqual({
      'call:1': 'agreed',
      'call:2': 'agreed',
      'call:3': 'agreed',
      'call:4': 'primary',
      'presser:1': 'agreed',
      'presser:2': 'primary',
      'presser:3': 'agreed',
      'presser:4': 'single',
      'wire:1': 'single',
      'wire:2': 'single',
      'wire:3': 'single',
      'wire:4': 'single',
    });
    // One coder's codes: basis coder.
    const one = await runCli(['export', '--coder', 'coder2'], { cwd: workspace });
    expect(one.stdout.split('\n')[1]).toBe('call:1,call,coder2,tone.positive,coder');
  });
});
