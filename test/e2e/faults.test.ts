/**
 * Issue 12, class 2: a full disk, a read-only study, a folder where a file belongs, a pipe given
 * as a file. The faults are made for real: a small tmpfs filled up (ENOSPC), a read-only bind
 * mount (EROFS), /dev/full. Each failure exits 2 with one line naming the file and the cause,
 * never a stack trace or "internal error", and leaves every workspace file byte-identical.
 * Mounting needs root (CI runs as root); where it fails, the tests say why and are skipped.
 */
import { execFileSync, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureStudy } from '../fixtures/study.js';
import { type CliResult, cliPath, copyBundledStudy, runCli, snapshot, temporaryFolder } from '../helpers.js';

/** Run a command; undefined when it worked, else why not. */
function attempt(command: string, args: readonly string[]): string | undefined {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `${command} ${args.join(' ')} failed: ${stderr || (error as Error).message}`;
  }
}

const mounted: string[] = [];
afterAll(() => {
  for (const folder of mounted.reverse()) {
    if (attempt('umount', [folder]) !== undefined) attempt('umount', ['-l', folder]);
  }
});

/** A copy of the bundled study (settings, codebook, corpus with sources, two coders, sample, adjudication). */
// A small tmpfs to fill up.
const tmpfs = await temporaryFolder('coding-full-');
const tmpfsProblem = attempt('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', tmpfs]);
if (tmpfsProblem === undefined) mounted.push(tmpfs);
else console.warn(`skipping the full-disk tests: ${tmpfsProblem}`);

// A read-only bind mount of a study.
const readOnlySource = await temporaryFolder('coding-archive-src-');
await copyBundledStudy(readOnlySource);
const readOnly = await temporaryFolder('coding-archive-');
let readOnlyProblem = attempt('mount', ['--bind', readOnlySource, readOnly]);
if (readOnlyProblem === undefined) {
  mounted.push(readOnly);
  readOnlyProblem = attempt('mount', ['-o', 'remount,ro,bind', readOnly]);
}
if (readOnlyProblem !== undefined) console.warn(`skipping the read-only tests: ${readOnlyProblem}`);

/** Exit 2, one error line with its hint, no stack trace, no internal error. */
function expectCleanFailure(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/internal error|Unhandled|\n\s+at [^\n]+:\d+:\d+/);
  expect(result.stderr).toMatch(/\nhint: /);
}

/** Fill the file system of `folder` up, then free `pages` pages of 4 KiB. */
async function fillUp(folder: string, pages: number): Promise<string> {
  const filler = path.join(folder, 'filler');
  attempt('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k']); // stops at ENOSPC
  attempt('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k', 'oflag=append', 'conv=notrunc']);
  const { size } = await fs.stat(filler);
  await fs.truncate(filler, Math.max(0, size - pages * 4096));
  return filler;
}

async function leftovers(folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await fs.readdir(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.coding-tmp-') || entry.name.endsWith('.lock')) found.push(entry.name);
      if (entry.isDirectory()) await walk(path.join(current, entry.name));
    }
  };
  await walk(folder);
  return found;
}

/** Run the CLI with its standard output going to `file` (a device such as /dev/full). */
function runWithStdout(args: readonly string[], cwd: string, file: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', openSync(file, 'w'), 'pipe'],
    });
    const stderr: Buffer[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout: '', stderr: Buffer.concat(stderr).toString('utf8') }),
    );
  });
}

describe.skipIf(tmpfsProblem !== undefined)(
  `on a full disk${tmpfsProblem === undefined ? '' : ` (skipped: ${tmpfsProblem})`}`,
  () => {
    const study = path.join(tmpfs, 'study');
    const bigTable = async (): Promise<string> => {
      const outside = await temporaryFolder();
      let text = 'id,text\n';
      for (let index = 1; index <= 3000; index++)
        text += `s${index},A statement on tariffs and the border number ${index} and long enough to fill a page.\n`;
      await fs.writeFile(path.join(outside, 'big.csv'), text);
      return path.join(outside, 'big.csv');
    };

    it('import, import --coder, report and sample exit 2 naming the file, and change nothing', async () => {
      await fs.rm(study, { recursive: true, force: true });
      await fs.rm(path.join(tmpfs, 'filler'), { force: true });
      await copyBundledStudy(study);
      expect((await runCli(['report'], { cwd: study })).code).toBe(0);
      const big = await bigTable();
      const changed = path.join(path.dirname(big), 'coder1-changed.csv');
      await fs.writeFile(
        changed,
        (await fs.readFile(path.join(study, 'annotations', 'coder1.csv'), 'utf8')).replace(
          'ap-2026-01-30:1,rhetoric.framing,',
          'ap-2026-01-30:1,trade.tariffs,',
        ),
      );
      const filler = await fillUp(tmpfs, 3);
      const before = await snapshot(study);
      for (const [args, file] of [
        [['import', big], /corpus\/(documents\.jsonl|units\.csv|new-[a-z]+\.[a-z]+|corpus\.json)/],
        [['import', '--coder', 'zed', path.join(study, 'annotations', 'coder1.csv')], /annotations\/zed/],
        [['import', '--coder', 'coder1', '--replace', changed], /annotations\/(coder1|\.backup)/],
        [['report'], /reports/],
      ] as const) {
        const result = await runCli(args, { cwd: study });
        expectCleanFailure(result, /: no space left on the device \(ENOSPC\)\n/);
        expect(result.stderr).toMatch(file);
        expect(await snapshot(study)).toEqual(before);
        expect(await leftovers(study)).toEqual([]);
      }
      await fillUp(tmpfs, 0);
      const sample = await runCli(['sample', '--fraction', '0.3', '--seed', '9', '--force'], { cwd: study });
      expectCleanFailure(sample, /no space left on the device \(ENOSPC\)/);
      expect(await snapshot(study)).toEqual(before);
      expect(await leftovers(study)).toEqual([]);
      await fs.rm(filler);
    }, 120_000);

    it('export -o and standard output on a full device exit 2 and say so', async () => {
      await fs.rm(study, { recursive: true, force: true });
      await fs.rm(path.join(tmpfs, 'filler'), { force: true });
      await copyBundledStudy(study);
      const filler = await fillUp(tmpfs, 1);
      const before = await snapshot(study);
      const onTmpfs = await runCli(['export', '-o', 'export.csv'], { cwd: study });
      expectCleanFailure(
        onTmpfs,
        /^error: cannot write export\.csv: no space left on the device \(ENOSPC\)$/m,
      );
      expect(onTmpfs.stderr).not.toContain('wrote');
      expect(await snapshot(study)).toEqual(before);
      expect(await leftovers(study)).toEqual([]);
      await fs.rm(filler);

      const device = await runCli(['export', '-o', '/dev/full', '--force'], { cwd: study });
      expectCleanFailure(
        device,
        /^error: cannot write \/dev\/full: no space left on the device \(ENOSPC\)$/m,
      );
      expect(device.stderr).not.toContain('wrote');
      expect((await fs.stat('/dev/full')).isCharacterDevice()).toBe(true);
      for (const args of [['export'], ['corpus', 'units']]) {
        const piped = await runWithStdout(args, study, '/dev/full');
        expect(piped.code).toBe(2);
        expect(piped.stderr).toContain(
          'error: cannot write to standard output: no space left on the device (ENOSPC)',
        );
      }
    }, 120_000);

    it('coding code never shows "saved" for a decision that is not on disk, and names the one that was not saved', async () => {
      await fs.rm(study, { recursive: true, force: true });
      await fs.rm(path.join(tmpfs, 'filler'), { force: true });
      await copyBundledStudy(study);
      const filler = await fillUp(tmpfs, 3);
      const before = await snapshot(study);
      const script = `${'0\nn\n'.repeat(200)}q\n`;
      const result = await runCli(['code', '--coder', 'zed'], { cwd: study, input: script });
      expectCleanFailure(
        result,
        /error: the decision on (\S+) \(no code applies\) was NOT saved: cannot write annotations\/zed\.journal: no space left on the device \(ENOSPC\)/,
      );
      const notSaved = /the decision on (\S+) \(no code applies\) was NOT saved/.exec(result.stderr)![1]!;
      const shownSaved = new Set(
        [...result.stderr.matchAll(/^saved (\S+): no code applies$/gm)].map((match) => match[1]!),
      );
      expect(shownSaved.size).toBeGreaterThan(10);
      expect(shownSaved.has(notSaved)).toBe(false);
      // Everything else is as it was; the journal holds whole lines, one for each decision shown as saved.
      const { ['annotations/zed.journal']: _journal, ...rest } = await snapshot(study);
      expect(rest).toEqual(before);
      const journal = await fs.readFile(path.join(study, 'annotations', 'zed.journal'), 'utf8');
      expect(journal.endsWith('\n')).toBe(true);
      const inJournal = new Set(
        journal
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { unit?: string })
          .flatMap((entry) => (entry.unit ? [entry.unit] : [])),
      );
      expect(inJournal).toEqual(shownSaved);
      // With space again, the next session folds every saved decision into the coder's file.
      await fs.rm(filler);
      const resumed = await runCli(['code', '--coder', 'zed'], { cwd: study, input: 'q\n' });
      expect(resumed.code).toBe(0);
      const csv = await fs.readFile(path.join(study, 'annotations', 'zed.csv'), 'utf8');
      for (const unit of shownSaved) expect(csv).toContain(`${unit},`);
      expect(csv).not.toContain(`${notSaved},`);
    }, 120_000);
  },
);

describe.skipIf(readOnlyProblem !== undefined)(
  `a study on a read-only file system${readOnlyProblem === undefined ? '' : ` (skipped: ${readOnlyProblem})`}`,
  () => {
    it('works for every command that only reads, and reproduce -o DIR writes elsewhere', async () => {
      const before = await snapshot(readOnly);
      for (const args of [
        ['corpus', 'list'],
        ['corpus', 'units', '--format', 'csv'],
        ['codebook', 'check'],
        ['reliability'],
        ['merge'],
        ['themes'],
        ['codes'],
        ['export'],
        ['adjudicate', '--status'],
        ['sample', '--fraction', '0.2', '--seed', '1', '--dry-run'],
        ['import', '--dry-run', 'corpus/sources'],
      ]) {
        const result = await runCli(args, { cwd: readOnly });
        expect({ args, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
      }
      const elsewhere = path.join(await temporaryFolder(), 'reports');
      const reproduced = await runCli(['reproduce', '-o', elsewhere], { cwd: readOnly });
      expect(reproduced.code).toBe(0);
      expect(reproduced.stdout).toContain('reproduced; the report is in');
      const manifest = JSON.parse(await fs.readFile(path.join(elsewhere, 'manifest.json'), 'utf8'));
      expect(manifest.files.length).toBeGreaterThan(5);
      expect(await snapshot(readOnly)).toEqual(before);
    }, 180_000);

    it('commands that must write say the workspace is read-only, exit 2, and change nothing', async () => {
      const before = await snapshot(readOnly);
      const decisions = path.join(await temporaryFolder(), 'decisions.csv');
      await fs.writeFile(decisions, 'unit_id,decision\n');
      for (const args of [
        ['import', 'corpus/sources'],
        ['import', '--coder', 'coder1', '--replace', 'annotations/coder1.csv'],
        ['sample', '--fraction', '0.2', '--seed', '1', '--force'],
        ['report'],
        ['reproduce'],
        ['adjudicate', '--from', decisions],
      ]) {
        const result = await runCli(args, { cwd: readOnly });
        expectCleanFailure(result, /it is on a read-only file system \(EROFS\)/);
        expect(result.stderr).toContain('copy the study to a writable folder');
      }
      const code = await runCli(['code', '--coder', 'coder1'], { cwd: readOnly, input: 'q\n' });
      expectCleanFailure(code, /annotations\/coder1\.lock: the file system is read-only \(EROFS\)/);
      expect(await snapshot(readOnly)).toEqual(before);
    }, 180_000);
  },
);

describe('a path that is not what it should be', () => {
  it('a missing folder, a folder where a file belongs, a file where a folder belongs: exit 2 naming it', async () => {
    const workspace = await temporaryFolder();
    await copyBundledStudy(workspace);
    const before = await snapshot(workspace);
    const cases: Array<[string[], RegExp]> = [
      [
        ['merge', '-o', 'missing/dir/x.csv'],
        /^error: cannot write missing\/dir\/x\.csv: no such file or folder \(ENOENT\)$/m,
      ],
      [
        ['export', '-o', 'corpus', '--force'],
        /^error: cannot write corpus: it is a folder, where a file is expected \(EISDIR\)$/m,
      ],
      [
        ['export', '-o', 'coding.yaml/x.csv'],
        /^error: cannot write coding\.yaml\/x\.csv: a part of the path is a file, where a folder is expected \(ENOTDIR\)$/m,
      ],
      [['report', '-o', 'coding.yaml'], /coding\.yaml is a file, not a folder/],
    ];
    for (const [args, message] of cases) {
      expectCleanFailure(await runCli(args, { cwd: workspace }), message);
      expect(await snapshot(workspace)).toEqual(before);
    }
  }, 60_000);

  it('a named pipe given as an input file is refused, not read forever', async () => {
    const workspace = await fixtureStudy();
    const fifo = path.join(workspace, 'statements.csv');
    execFileSync('mkfifo', [fifo]);
    const before = await snapshot(path.join(workspace, 'corpus'));
    for (const args of [
      ['import', 'statements.csv'],
      ['import', '--coder', 'ana', 'statements.csv'],
    ]) {
      const result = await runCli(args, { cwd: workspace });
      expectCleanFailure(result, /^error: statements\.csv: this is a named pipe \(FIFO\), not a file$/m);
    }
    expect(await snapshot(path.join(workspace, 'corpus'))).toEqual(before);
  }, 60_000);
});

describe('coding report', () => {
  it('switches a fresh folder in: the manifest always lists exactly the files beside it', async () => {
    const workspace = await temporaryFolder();
    await copyBundledStudy(workspace);
    expect((await runCli(['report'], { cwd: workspace })).code).toBe(0);
    const reports = path.join(workspace, 'reports');
    const stale = path.join(reports, 'by-nothing.csv');
    const manifestPath = path.join(reports, 'manifest.json');
    // A file a previous report listed but this one does not write goes with the old folder.
    const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
    manifest.files.push({ name: 'by-nothing.csv', sha256: '0', bytes: 0 });
    await fs.writeFile(manifestPath, JSON.stringify(manifest));
    await fs.writeFile(stale, '');
    expect((await runCli(['report'], { cwd: workspace })).code).toBe(0);
    const listed = JSON.parse(await fs.readFile(manifestPath, 'utf8')).files.map(
      (file: { name: string }) => file.name,
    );
    expect([...listed, 'manifest.json'].sort()).toEqual((await fs.readdir(reports)).sort());
    expect((await fs.readdir(workspace)).filter((name) => name.startsWith('.coding-tmp-'))).toEqual([]);
    // A file the report never wrote is kept (the folder is then replaced in place, manifest last).
    await fs.writeFile(path.join(reports, 'notes.md'), 'mine');
    expect((await runCli(['report'], { cwd: workspace })).code).toBe(0);
    expect(await fs.readFile(path.join(reports, 'notes.md'), 'utf8')).toBe('mine');
  }, 60_000);
});
