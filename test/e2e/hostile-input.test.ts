/**
 * Issue 12, classes 5 and 6 (and class 4's deep JSONL): wrong answers said with confidence, and
 * messages a person stumbles on. Each failure is checked for exit code 2, its message, and every
 * workspace file left byte-identical.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { restoreFormula } from '../../src/io/csv-write.js';
import { fixtureStudy } from '../fixtures/study.js';
import { readText, runCli, snapshot, writeFiles } from '../helpers.js';

let workspace: string;

beforeEach(async () => {
  workspace = await fixtureStudy();
});

/** Run a command that must fail: exit 2, the message, and no file of the workspace changed. */
async function expectRefused(args: string[], message: string | RegExp, input?: string): Promise<string> {
  const before = await snapshot(workspace);
  const result = await runCli(args, { cwd: workspace, ...(input === undefined ? {} : { input }) });
  expect(result.stderr).toMatch(typeof message === 'string' ? new RegExp(escapeRegExp(message)) : message);
  expect(result.code).toBe(2);
  expect(await snapshot(workspace)).toEqual(before);
  return result.stderr;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('formulas neutralised, reversibly (class 5)', () => {
  const memos = ["'=literal apostrophe", '=SUM(A1)', "''+x", '-x', '-0.25', '@cmd', "it's '=fine'", "'"];

  it('keeps every memo exactly through annotations → sheet → import → annotations → sheet', async () => {
    const units = [
      'call:1',
      'call:2',
      'call:3',
      'call:4',
      'presser:1',
      'presser:2',
      'presser:3',
      'presser:4',
    ];
    // The first file is written as the tool writes files: memos neutralised (a quote more before quotes and =+-@).
    const lines = units.map((unit, index) => `${unit},,"${neutralised(memos[index]!).replace(/"/g, '""')}"`);
    await writeFiles(workspace, { 'c1.csv': `unit_id,code,memo\n${lines.join('\n')}\n` });
    expect((await runCli(['import', '--coder', 'coder1', 'c1.csv'], { cwd: workspace })).code).toBe(0);
    const stored = parse(await readText(workspace, 'annotations/coder1.csv'), { columns: true }) as Array<{
      memo: string;
    }>;
    expect(stored.map((row) => restoreFormula(row.memo))).toEqual(memos);
    // What a spreadsheet opens never starts with a formula character.
    for (const row of stored) expect(row.memo).not.toMatch(/^[=@+]|^-(?!0\.25$)/);

    const first = await runCli(['sheet', '--coder', 'coder1', '-o', 'sheet1.csv'], { cwd: workspace });
    expect(first.code).toBe(0);
    const imported = await runCli(['import', '--coder', 'coder2', 'sheet1.csv'], { cwd: workspace });
    expect(imported.code).toBe(0);
    expect(await readText(workspace, 'annotations/coder2.csv')).toBe(
      await readText(workspace, 'annotations/coder1.csv'),
    );
    await runCli(['sheet', '--coder', 'coder2', '-o', 'sheet2.csv'], { cwd: workspace });
    expect(await readText(workspace, 'sheet2.csv')).toBe(await readText(workspace, 'sheet1.csv'));
  });

  it('neutralises corpus list/units CSV, stored annotations, adjudication and export, and reads its own files back exactly', async () => {
    await writeFiles(workspace, {
      'formula.csv': 'id,text,actor,=cmd\nf1,"=1+1 is maths.","=HYPERLINK(""http://x"")",@a\n',
      'c1.csv': 'unit_id,code,memo\nf1:1,trade.ntb,"\'\'=memo"\n',
      'c2.csv': 'unit_id,code\nf1:1,trade.tariffs\n',
      'decisions.csv': 'unit_id,decision,rationale\nf1:1,a,=SUM(1)\n',
    });
    expect((await runCli(['import', 'formula.csv'], { cwd: workspace })).code).toBe(0);
    const list = await runCli(['corpus', 'list', '--format', 'csv'], { cwd: workspace });
    expect(list.stdout).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(list.stdout.split('\n')[0]).toContain(",'=cmd");
    expect(list.stdout).toContain(",'@a");
    const units = await runCli(['corpus', 'units', '--doc', 'f1', '--format', 'csv'], { cwd: workspace });
    expect(units.stdout).toContain(",'=1+1 is maths.\n");

    await runCli(['import', '--coder', 'coder1', 'c1.csv'], { cwd: workspace });
    await runCli(['import', '--coder', 'coder2', 'c2.csv'], { cwd: workspace });
    expect(await readText(workspace, 'annotations/coder1.csv')).toContain("f1:1,trade.ntb,''=memo\n");
    const decided = await runCli(['adjudicate', '--coders', 'coder1,coder2', '--from', 'decisions.csv'], {
      cwd: workspace,
    });
    expect(decided.code).toBe(0);
    expect(await readText(workspace, 'annotations/adjudication.csv')).toContain(",'=SUM(1)\n");
    // Read back, the rationale is exactly what was decided: the same file again changes nothing.
    const again = await runCli(['adjudicate', '--coders', 'coder1,coder2', '--from', 'decisions.csv'], {
      cwd: workspace,
    });
    expect(again.stderr).toContain('0 new decisions, 0 replaced, 1 unchanged');

    const exported = await runCli(['export', '--layout', 'wide'], { cwd: workspace });
    expect(exported.stdout.split('\n')[0]).toContain(",'=cmd,");
    expect(exported.stdout).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});

/** The guard as csv-write applies it, written out here independently for the test's input. */
function neutralised(text: string): string {
  if (/^[=@\t\r]/.test(text) || /^'+[=+\-@\t\r]/.test(text)) return `'${text}`;
  if (/^[+-]/.test(text) && !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return `'${text}`;
  return text;
}

describe('wrong answers refused (class 5)', () => {
  it('refuses a CSV header that names a column twice, for documents and for annotations', async () => {
    await writeFiles(workspace, {
      'dup.csv': 'id,text,text\ns1,One.,Two.\n',
      'dup-codes.csv': 'unit_id,code,Code\ncall:1,trade.ntb,\n',
    });
    await expectRefused(
      ['import', 'dup.csv'],
      'error: dup.csv:1:3: the header names the column "text" twice (columns 2 and 3)',
    );
    await expectRefused(
      ['import', '--coder', 'coder1', 'dup-codes.csv'],
      'error: dup-codes.csv:1:3: the header names the column "Code" twice (columns 2 and 3)',
    );
  });

  it('refuses an update that drops a unit decided in the pending journal of a crashed session', async () => {
    await writeFiles(workspace, {
      'annotations/ana.journal': `${JSON.stringify({ format: 'coding-journal', version: 1, coder: 'ana', codebook_hash: 'x' })}\n{"unit":"call:4","codes":["trade.ntb"],"memo":"","time":"2026-01-01T00:00:00Z"}\n`,
    });
    const call = await readText(workspace, 'docs/call.md');
    await writeFiles(workspace, { 'docs/call.md': call.replace(' We agreed on nothing yet.', '') });
    const stderr = await expectRefused(
      ['import', 'docs', '--update'],
      "annotations/ana.journal:2  unit call:4 would disappear from the corpus, but this file refers to it: a decision of ana's coding session not yet stored in annotations/ana.csv (fold it first: run coding code --coder ana and quit)",
    );
    expect(stderr).toContain('nothing imported: the update would drop units that annotations refer to');
  });

  it('validates the paths of coding.yaml: a file where the corpus folder belongs, a folder for the codebook', async () => {
    const config = await readText(workspace, 'coding.yaml');
    await writeFiles(workspace, {
      'coding.yaml': `${config.replace(/^corpus:.*\n/m, '')}corpus: coding.yaml\n`,
    });
    const line = (await readText(workspace, 'coding.yaml')).split('\n').indexOf('corpus: coding.yaml') + 1;
    await expectRefused(
      ['corpus', 'list'],
      `coding.yaml:${line}:9  corpus  "coding.yaml" is a file; corpus names the folder of the corpus store (documents.jsonl, units.csv), such as "corpus"`,
    );
    await expectRefused(['import', 'docs'], 'error: coding.yaml: coding.yaml names a wrong path');
    await writeFiles(workspace, {
      'coding.yaml': `${config.replace(/^codebook:.*\n/m, '')}codebook: codebooks\n`,
    });
    await expectRefused(
      ['codebook', 'show'],
      'codebook  "codebooks" is a folder; codebook names the codebook',
    );
  });
});

describe('messages a person understands (class 6)', () => {
  it('reads a CSV with CR-only line ends (classic Mac) as its rows', async () => {
    await writeFiles(workspace, {
      'mac.csv': 'id,text,actor\rs1,First statement.,Ana\rs2,"Second,\rquoted.",Bo\r',
    });
    const result = await runCli(['import', 'mac.csv'], { cwd: workspace });
    expect(result.stderr).toContain('documents: 2 new');
    expect(result.code).toBe(0);
    const list = JSON.parse(
      (await runCli(['corpus', 'list', '--format', 'json'], { cwd: workspace })).stdout,
    );
    expect(list.find((document: { id: string }) => document.id === 's2')).toMatchObject({ actor: 'Bo' });
    const shown = await runCli(['corpus', 'units', '--doc', 's2', '--format', 'json'], { cwd: workspace });
    expect(JSON.parse(shown.stdout).map((unit: { text: string }) => unit.text)).toEqual(['Second,\nquoted.']);
  });

  it('says what --workspace names when it is given a file, instead of suggesting coding init FILE', async () => {
    const stderr = await expectRefused(
      ['corpus', 'list', '--workspace', 'coding.yaml'],
      'error: coding.yaml is a file; --workspace names the folder that holds coding.yaml\nhint: pass its folder: --workspace .',
    );
    expect(stderr).not.toContain('coding init');
  });

  it('accepts coder names in any alphabet, and says exactly what is allowed', async () => {
    await writeFiles(workspace, { 'c.csv': 'unit_id,code\ncall:1,trade.ntb\n' });
    const accepted = await runCli(['import', '--coder', 'Ana-Müller', 'c.csv'], { cwd: workspace });
    expect(accepted.code).toBe(0);
    expect(await readText(workspace, 'annotations/Ana-Müller.csv')).toBe(
      'unit_id,code,memo\ncall:1,trade.ntb,\n',
    );
    await expectRefused(
      ['import', '--coder', 'Ana Müller', 'c.csv'],
      'error: "Ana Müller" cannot be a coder name: spaces are not allowed (the name is typed on the command line and becomes a file name); write it as "Ana-Müller"',
    );
    await expectRefused(
      ['import', '--coder', 'ana/../x', 'c.csv'],
      '"ana/../x" cannot be a coder name: use 1–64 letters (of any alphabet, accents included), digits, "-" or "_", starting with a letter or digit',
    );
    await expectRefused(['import', '--coder', 'NUL', 'c.csv'], 'the name is a device name on Windows');
    // A name read from a coder column follows the same rule (it is printed, and may become a file name).
    await writeFiles(workspace, { 'both.csv': 'unit_id,coder,code\ncall:1,"x\u001b]0;t\u0007",trade.ntb\n' });
    await expectRefused(
      ['merge', '--annotations', 'both.csv', '--codes', 'trade.ntb'],
      'both.csv:2  "x␛]0;t␇" in the coder column cannot be a coder name: use 1–64 letters',
    );
    const config = await readText(workspace, 'coding.yaml');
    await writeFiles(workspace, {
      'coding.yaml': config.replace(/names: \[coder1, coder2\]/, 'names: [Łukasz, Ana Müller]'),
    });
    await expectRefused(
      ['corpus', 'list'],
      'coders.names[1]  not a coder name: spaces are not allowed (the name is typed on the command line and becomes a file name); write it as "Ana-Müller"',
    );
  });

  it('calls a YAML alias bomb in front matter what it is, with the limit', async () => {
    const bomb = [
      'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...Array.from(
        { length: 8 },
        (_, level) => `a${level + 1}: &a${level + 1} [${Array(9).fill(`*a${level}`).join(', ')}]`,
      ),
    ].join('\n');
    await writeFiles(workspace, { 'bomb/bomb.md': `---\ntitle: Bomb\n${bomb}\n---\nText.\n` });
    const stderr = await expectRefused(
      ['import', 'bomb'],
      'error: bomb/bomb.md: the front matter: a YAML alias bomb: resolving its aliases (*name) takes more than 1000 expansions, the limit; refused',
    );
    expect(stderr).not.toContain('not valid YAML');
  });

  it('refuses sample --fraction --size before saying anything was recorded', async () => {
    const stderr = await expectRefused(
      ['sample', '--fraction', '0.5', '--size', '3'],
      'error: give the sample size as --fraction F or --size N (one of them)',
    );
    expect(stderr).not.toContain('recorded');
    expect(stderr).not.toContain('no --seed given');
    const drawn = await runCli(['sample', '--fraction', '0.5'], { cwd: workspace });
    expect(drawn.code).toBe(0);
    expect(drawn.stderr).toMatch(
      /no --seed given: drew with seed \d+ \(recorded in annotations\/sample\.meta\.json\)/,
    );
  });
});

describe('deep nesting (class 4, JSONL; and YAML front matter)', () => {
  it('refuses front matter nested 50,000 deep as too deep, not as a crash', async () => {
    const depth = 50_000;
    await writeFiles(workspace, {
      'deep/deep.md': `---\nx: ${'['.repeat(depth)}${']'.repeat(depth)}\n---\nText.\n`,
    });
    await expectRefused(['import', 'deep'], 'the YAML nests lists or mappings too deeply to be read');
  });

  it('refuses a JSONL line nested 100,000 deep with the depth limit', async () => {
    const depth = 100_000;
    await fs.writeFile(
      path.join(workspace, 'deep.jsonl'),
      `{"text":"fine","id":"ok"}\n{"text":"deep","meta":${'['.repeat(depth)}${']'.repeat(depth)}}\n`,
    );
    await expectRefused(
      ['import', 'deep.jsonl'],
      'error: deep.jsonl:2: this line nests arrays or objects more than 64 levels deep, the limit; refused',
    );
  });
});
