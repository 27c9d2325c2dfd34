/**
 * The user's acceptance test (issue 7): the bundled study reproduces the paper's κ = 0.87 through
 * `coding reproduce`, and the same study rebuilt from its raw documents in a new workspace, one
 * command at a time, arrives at the same κ and byte-identical report files.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyBundledStudy, repositoryRoot, runCli, temporaryFolder } from '../helpers.js';

/** A copy of the bundled study (its settings, codebook, corpus and annotations), without the tool. */
async function readFolder(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await fs.readdir(folder)).sort())
    files[name] = await fs.readFile(path.join(folder, name), 'utf8');
  return files;
}

let bundled: string;
let reproduced: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  bundled = await temporaryFolder('coding-bundled-');
  await copyBundledStudy(bundled);
  reproduced = await runCli(['reproduce'], { cwd: bundled });
}, 120_000);

describe('coding reproduce on the bundled study', () => {
  it("reproduces the paper's κ = 0.87 and sample, each step passing", () => {
    expect(reproduced.stderr).toBe('');
    expect(reproduced.code).toBe(0);
    for (const step of [
      'corpus',
      'codebook',
      'sample',
      'merge',
      'reliability',
      'adjudication',
      'themes',
      'report',
    ]) {
      expect(reproduced.stdout).toMatch(new RegExp(`✓ ${step}`));
    }
    expect(reproduced.stdout).toContain(
      'corpus       11 documents, 326 units; re-importing corpus/sources changes nothing',
    );
    expect(reproduced.stdout).toContain(
      'sample       65 of 326 units (19.9 %), seed 20260129; drawn again from the seed: identical',
    );
    expect(reproduced.stdout).toMatch(/κ \(pooled\)\s+0\.87\s+0\.87\s+same/);
    expect(reproduced.stdout).toMatch(/double-coded sample\s+20 %\s+20 % \(65 of 326 units\)\s+same/);
    expect(reproduced.stdout).toContain('reproduced; the report is in');
  });

  it('writes reports/ with report.html and a manifest of every file', async () => {
    const files = await readFolder(path.join(bundled, 'reports'));
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'report.html',
        'manifest.json',
        'frequencies.csv',
        'reliability.csv',
        'reliability.json',
        'rhetoric.csv',
        'triangulation.csv',
        'disagreements.csv',
        'by-actor.csv',
      ]),
    );
    const manifest = JSON.parse(files['manifest.json']!);
    expect(manifest.format).toBe('coding-report');
    expect(manifest.files.map((file: { name: string }) => file.name)).toEqual(
      Object.keys(files).filter((name) => name !== 'manifest.json'),
    );
    const reliability = JSON.parse(files['reliability.json']!);
    expect(reliability.overall.definition).toBe('pooled');
    expect(reliability.overall.kappa.toFixed(2)).toBe('0.87');
    expect(reliability.n_units).toBe(65);
  });

  it("exits 1 when a reproduced figure differs from the paper's, naming it", async () => {
    const changed = await temporaryFolder('coding-changed-');
    await copyBundledStudy(changed);
    const settings = await fs.readFile(path.join(changed, 'coding.yaml'), 'utf8');
    await fs.writeFile(path.join(changed, 'coding.yaml'), settings.replace('kappa: 0.87', 'kappa: 0.91'));
    const result = await runCli(['reproduce', '-o', 'out'], { cwd: changed });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/κ \(pooled\)\s+0\.91\s+0\.87\s+DIFFERENT/);
    expect(result.stderr).toContain('the study was not reproduced');
  });

  it('fails the corpus step when a source document changed', async () => {
    const changed = await temporaryFolder('coding-changed-');
    await copyBundledStudy(changed);
    const file = path.join(changed, 'corpus', 'sources', 'trump-truth-social-2026-01-29.md');
    await fs.writeFile(file, `${await fs.readFile(file, 'utf8')}\nOne more sentence.\n`);
    const result = await runCli(['reproduce', '-o', 'out'], { cwd: changed });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '✗ corpus       the corpus is out of date: the text of document "trump-truth-social-2026-01-29" differs from the corpus',
    );
  });

  it('fails the corpus step when a source document is new, and compares the stored corpus with the paper', async () => {
    const changed = await temporaryFolder('coding-changed-');
    await copyBundledStudy(changed);
    await fs.writeFile(
      path.join(changed, 'corpus', 'sources', 'a-new-statement.md'),
      '---\nid: a-new-statement\nactor: Someone\ndate: 2026-02-01\n---\nA new statement. It has two sentences.\n',
    );
    const result = await runCli(['reproduce', '-o', 'out'], { cwd: changed });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '✗ corpus       re-importing corpus/sources would change 1 document: the corpus is out of date',
    );
    // The figures are those of the corpus the study was computed on (11 documents, 326 units), not
    // of the corpus the import would make.
    expect(result.stdout).toMatch(/\ndocuments\s+—\s+11\s/);
    expect(result.stdout).toMatch(/\ncoding units\s+—\s+326\s/);
  });
});

describe('the bundled study rebuilt from its raw documents', () => {
  it('arrives at the same κ and the same report files through the individual commands', async () => {
    const fresh = await temporaryFolder('coding-fresh-');
    const run = async (...args: string[]) => {
      const result = await runCli(args, { cwd: fresh });
      expect(result.code, `coding ${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result;
    };
    await run('init', '.');
    // The study's settings and codebook; its documents as raw Markdown files.
    await fs.copyFile(path.join(repositoryRoot, 'coding.yaml'), path.join(fresh, 'coding.yaml'));
    await fs.copyFile(
      path.join(repositoryRoot, 'codebooks', 'usmca-2026.yaml'),
      path.join(fresh, 'codebooks', 'usmca-2026.yaml'),
    );
    await fs.cp(path.join(repositoryRoot, 'corpus', 'sources'), path.join(fresh, 'corpus', 'sources'), {
      recursive: true,
    });
    const imported = await run('import', 'corpus/sources');
    expect(imported.stderr).toContain('documents: 11 new, 0 unchanged; 11 in the corpus');
    expect(imported.stderr).toContain('units: 326 new, 0 unchanged; 326 in the corpus');
    await run('codebook', 'check');
    const sample = await run('sample', '--fraction', '0.2', '--seed', '20260129');
    expect(sample.stderr).toContain('sample: 65 of 326 units (19.9 %), seed 20260129');
    // Each coder's work, as they handed it in (the bundled files are in the importable long layout).
    await run('import', '--coder', 'coder1', path.join(repositoryRoot, 'annotations', 'coder1.csv'));
    await run('import', '--coder', 'coder2', path.join(repositoryRoot, 'annotations', 'coder2.csv'));
    const merge = await run('merge', '--format', 'json');
    expect(JSON.parse(merge.stdout).n_units).toBe(65);
    const reliability = JSON.parse((await run('reliability', '--format', 'json')).stdout);
    expect(reliability.overall.kappa.toFixed(2)).toBe('0.87');
    // The adjudicator's record of decisions, as kept with the study.
    await fs.copyFile(
      path.join(repositoryRoot, 'annotations', 'adjudication.csv'),
      path.join(fresh, 'annotations', 'adjudication.csv'),
    );
    const status = await run('adjudicate', '--status');
    expect(status.stdout).toContain('13 decided, 0 open');
    await run('themes');
    await run('report');
    // Every file of the workspace equals the bundled one, and so does every report file.
    for (const file of [
      'corpus/documents.jsonl',
      'corpus/units.csv',
      'corpus/corpus.json',
      'annotations/sample.csv',
      'annotations/sample.meta.json',
      'annotations/coder1.csv',
      'annotations/coder1.meta.json',
      'annotations/coder2.csv',
      'annotations/coder2.meta.json',
    ]) {
      expect(await fs.readFile(path.join(fresh, file), 'utf8'), file).toBe(
        await fs.readFile(path.join(repositoryRoot, file), 'utf8'),
      );
    }
    expect(await readFolder(path.join(fresh, 'reports'))).toEqual(
      await readFolder(path.join(bundled, 'reports')),
    );
  });
});
