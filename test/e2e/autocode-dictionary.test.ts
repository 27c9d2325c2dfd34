/**
 * `coding autocode --method dictionary` on a copy of the bundled study: it codes every unit with
 * the codebook's patterns, is a coder like any other for reliability, never replaces a person's
 * codes, and leaves `coding reproduce` passing.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyBundledStudy, runCli, snapshot, temporaryFolder } from '../helpers.js';

let study: string;
let first: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  study = await temporaryFolder('coding-autocode-dictionary-');
  await copyBundledStudy(study);
  first = await runCli(['autocode', '--method', 'dictionary', '--as', 'dictionary'], { cwd: study });
}, 60_000);

describe('coding autocode --method dictionary', () => {
  it('codes every unit of the bundled study, recording the pattern that matched', async () => {
    expect(first.stderr).toContain('dictionary coder dictionary: 326 units reviewed');
    expect(first.code).toBe(0);
    const csv = await fs.readFile(path.join(study, 'annotations', 'dictionary.csv'), 'utf8');
    const units = new Set(
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    );
    expect(units.size).toBe(326);
    expect(csv).toContain('ap-2026-01-30:2,rhetoric.praise,"dictionary: wonderful → ""wonderful"""');
    const record = JSON.parse(
      await fs.readFile(path.join(study, 'annotations', 'dictionary.autocode.json'), 'utf8'),
    );
    expect(record).toMatchObject({ format: 'coding-autocode', method: 'dictionary', units: 326 });
  });

  it('is a coder like any other for coding reliability', async () => {
    const result = await runCli(['reliability', '--coders', 'coder1,dictionary', '--format', 'json'], {
      cwd: study,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.n_units).toBe(326);
    const tariffs = report.codes.find((code: { code: string }) => code.code === 'trade.tariffs');
    // coder1 gives trade.tariffs to 18 units; the dictionary finds 17 of them and no other.
    expect(tariffs.table).toEqual([
      [17, 1],
      [0, 308],
    ]);
  });

  it('gives byte-identical files when run again, keeping the previous ones as a backup', async () => {
    const before = await fs.readFile(path.join(study, 'annotations', 'dictionary.csv'));
    const again = await runCli(['autocode', '--method', 'dictionary', '--as', 'dictionary'], { cwd: study });
    expect(again.code).toBe(0);
    expect(await fs.readFile(path.join(study, 'annotations', 'dictionary.csv'))).toEqual(before);
    const backups = await fs.readdir(path.join(study, 'annotations', '.backup'));
    expect(backups.some((name) => name.startsWith('dictionary') && name.endsWith('.csv'))).toBe(true);
  });

  it("never replaces a person's codes", async () => {
    const before = await snapshot(study);
    const result = await runCli(['autocode', '--method', 'dictionary', '--as', 'coder2'], { cwd: study });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'annotations/coder2.csv holds the codes of coder "coder2", which no machine coder wrote',
    );
    expect(await snapshot(study)).toEqual(before);
  });

  it('leaves coding reproduce passing', async () => {
    const result = await runCli(['reproduce'], { cwd: study });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/κ \(pooled\)\s+0\.87\s+0\.87\s+same/);
  });
});

describe('patterns in the codebook', () => {
  it('refuses an unsafe or malformed pattern with its line, column and YAML path', async () => {
    const folder = await temporaryFolder('coding-autocode-patterns-');
    const codebook = [
      'version: 1',
      'name: test',
      'categories:',
      '  - id: trade',
      '    label: Trade',
      '    codes:',
      '      - id: trade.tariffs',
      '        label: Tariffs',
      '        patterns:',
      '          en: [tariff*, "/(tariff)\\\\1/"]',
      '          xx-long: [duty]',
      '',
    ].join('\n');
    await fs.writeFile(path.join(folder, 'codebook.yaml'), codebook);
    const result = await runCli(['codebook', 'check', 'codebook.yaml'], { cwd: folder });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('codebook.yaml:10:25');
    expect(result.stderr).toContain('categories[0].codes[0].patterns.en[1]');
    expect(result.stderr).toContain('backreferences and lookaround are not available');
    expect(result.stderr).toContain('codebook.yaml:11:20');
    expect(result.stderr).toContain('"xx-long" is not a language');
  });
});
