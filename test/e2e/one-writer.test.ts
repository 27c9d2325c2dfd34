/**
 * Issue 12, class 1: one writer at a time. Two real processes of the built CLI write one workspace
 * at once, several times; each either succeeds (one after the other) or refuses with exit 2, and
 * whatever a successful run reported is in the files at the end. A held lock makes a writer wait
 * and then refuse, naming the holder; a stale one is taken over; a coder's coding session keeps
 * out other writers of that coder's file; a stopped writer leaves no temporary files.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureStudy } from '../fixtures/study.js';
import { type CliResult, cliPath, runCli, snapshot, temporaryWorkspace, writeFiles } from '../helpers.js';

/** A table of `count` statements with ids `prefix1…`. */
function statements(prefix: string, count: number): string {
  let text = 'id,text\n';
  for (let index = 1; index <= count; index++)
    text += `${prefix}${index},Statement ${index} of ${prefix} about tariffs and trade.\n`;
  return text;
}

async function documentIds(workspace: string): Promise<Set<string>> {
  const text = await fs.readFile(path.join(workspace, 'corpus', 'documents.jsonl'), 'utf8');
  return new Set(
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { id: string }).id),
  );
}

async function leftovers(workspace: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.coding-tmp-') || entry.name === '.coding.lock') found.push(entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.coding-tmp-'))
        await walk(path.join(folder, entry.name));
    }
  };
  await walk(workspace);
  return found;
}

/** Exit 0, or exit 2 refusing because the other writer holds the lock: nothing else. */
function expectSucceededOrRefused(result: CliResult): void {
  if (result.code === 0) return;
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/the workspace is being changed by another command: coding /);
}

describe('two writers at once', () => {
  it('two imports into one empty corpus: every document a successful run reported is kept (4 trials)', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const workspace = await temporaryWorkspace();
      await writeFiles(workspace, { 'a.csv': statements('a', 400), 'b.csv': statements('b', 400) });
      const [first, second] = await Promise.all([
        runCli(['import', 'a.csv'], { cwd: workspace }),
        runCli(['import', 'b.csv'], { cwd: workspace }),
      ]);
      expectSucceededOrRefused(first);
      expectSucceededOrRefused(second);
      expect([first.code, second.code]).toContain(0);
      const ids = await documentIds(workspace);
      let expected = 0;
      for (const [result, prefix] of [
        [first, 'a'],
        [second, 'b'],
      ] as const) {
        if (result.code !== 0) continue;
        expect(result.stderr).toContain('documents: 400 new');
        for (let index = 1; index <= 400; index++) expect(ids.has(`${prefix}${index}`)).toBe(true);
        expected += 400;
      }
      expect(ids.size).toBe(expected);
      const manifest = JSON.parse(await fs.readFile(path.join(workspace, 'corpus', 'corpus.json'), 'utf8'));
      expect(manifest.documents).toBe(expected);
      expect(manifest.units).toBe(expected);
      expect(await leftovers(workspace)).toEqual([]);
    }
  }, 240_000);

  it('two import --coder at once, on different coders and on halves of one coder: the union stays (3 trials each)', async () => {
    const workspace = await fixtureStudy();
    const units = (await fs.readFile(path.join(workspace, 'corpus', 'units.csv'), 'utf8'))
      .split('\n')
      .slice(1)
      .filter((line) => line !== '')
      .map((line) => line.split(',')[0]!);
    expect(units).toHaveLength(12);
    const sheet = (ids: readonly string[], code: string): string =>
      `unit_id,code\n${ids.map((id) => `${id},${code}`).join('\n')}\n`;
    await writeFiles(workspace, {
      'ana.csv': sheet(units, 'trade.tariffs'),
      'ben.csv': sheet(units, 'trade.ntb'),
      'half1.csv': sheet(units.slice(0, 6), 'trade.ntb'),
      'half2.csv': sheet(units.slice(6), 'trade.tariffs'),
    });
    const codedUnits = async (coder: string): Promise<string[]> =>
      (await fs.readFile(path.join(workspace, 'annotations', `${coder}.csv`), 'utf8'))
        .split('\n')
        .slice(1)
        .filter((line) => line !== '')
        .map((line) => line.split(',')[0]!);
    for (let trial = 0; trial < 3; trial++) {
      await fs.rm(path.join(workspace, 'annotations'), { recursive: true, force: true });
      const [ana, ben] = await Promise.all([
        runCli(['import', '--coder', 'ana', 'ana.csv'], { cwd: workspace }),
        runCli(['import', '--coder', 'ben', 'ben.csv'], { cwd: workspace }),
      ]);
      expectSucceededOrRefused(ana);
      expectSucceededOrRefused(ben);
      if (ana.code === 0) expect(await codedUnits('ana')).toEqual(units);
      if (ben.code === 0) expect(await codedUnits('ben')).toEqual(units);
      const [first, second] = await Promise.all([
        runCli(['import', '--coder', 'cc', 'half1.csv'], { cwd: workspace }),
        runCli(['import', '--coder', 'cc', 'half2.csv'], { cwd: workspace }),
      ]);
      expectSucceededOrRefused(first);
      expectSucceededOrRefused(second);
      const expected = [
        ...(first.code === 0 ? units.slice(0, 6) : []),
        ...(second.code === 0 ? units.slice(6) : []),
      ];
      expect(await codedUnits('cc')).toEqual(expected);
      expect(await leftovers(workspace)).toEqual([]);
    }
  }, 240_000);
});

/** A process that runs until killed, to hold a lock with a pid that is alive. */
function sleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
}

function lockText(pid: number, command: string, host = os.hostname()): string {
  return `${JSON.stringify({ format: 'coding-workspace-lock', version: 1, command, pid, host, started: '2026-05-01T10:00:00Z' }, null, 2)}\n`;
}

describe('the workspace lock', () => {
  it('makes a writer wait, then refuse with exit 2 naming the holder; readers do not wait', async () => {
    const workspace = await fixtureStudy();
    await writeFiles(workspace, { 'more.csv': statements('m', 3) });
    const holder = sleeper();
    try {
      await fs.writeFile(
        path.join(workspace, '.coding.lock'),
        lockText(holder.pid!, 'coding import big.csv'),
      );
      const before = await snapshot(workspace);
      const started = Date.now();
      const refused = await runCli(['import', 'more.csv'], {
        cwd: workspace,
        env: { CODING_LOCK_WAIT: '1' },
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        `error: the workspace is being changed by another command: coding import big.csv (process ${holder.pid} on ${os.hostname()}, since 2026-05-01T10:00:00Z)`,
      );
      expect(refused.stderr).toContain('hint: wait for it to finish, then run this command again');
      for (const args of [
        ['sample', '--fraction', '0.5', '--seed', '1'],
        ['report'],
        ['import', '--coder', 'ana', 'more.csv'],
      ]) {
        const result = await runCli(args, { cwd: workspace, env: { CODING_LOCK_WAIT: '0' } });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('coding import big.csv');
      }
      expect(await snapshot(workspace)).toEqual(before);
      // Readers take no lock.
      const list = await runCli(['corpus', 'list', '--format', 'csv'], { cwd: workspace });
      expect(list.code).toBe(0);
      expect(list.stdout).toContain('presser');
      const dryRun = await runCli(['import', '--dry-run', 'more.csv'], { cwd: workspace });
      expect(dryRun.code).toBe(0);
      expect(await snapshot(workspace)).toEqual(before);
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock of a process that no longer runs, with a note, and removes its temporary files', async () => {
    const workspace = await fixtureStudy();
    await writeFiles(workspace, { 'more.csv': statements('m', 3) });
    const gone = sleeper();
    const pid = gone.pid!;
    gone.kill();
    await new Promise((resolve) => gone.on('exit', resolve));
    await fs.writeFile(path.join(workspace, '.coding.lock'), lockText(pid, 'coding import killed.csv'));
    const stale = path.join(workspace, 'corpus', `.coding-tmp-documents.jsonl-${pid}-0123abcd`);
    await fs.writeFile(stale, 'x'.repeat(5000));
    const result = await runCli(['import', 'more.csv'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `note: took over .coding.lock: coding import killed.csv (process ${pid}, since 2026-05-01T10:00:00Z) no longer runs`,
    );
    expect(result.stderr).toContain(
      'note: removed 1 temporary file (5000 bytes) left by interrupted commands',
    );
    expect(await leftovers(workspace)).toEqual([]);
    expect((await documentIds(workspace)).has('m3')).toBe(true);
  });

  it('a lock from another computer is never taken over', async () => {
    const workspace = await fixtureStudy();
    await fs.writeFile(path.join(workspace, '.coding.lock'), lockText(1, 'coding report', 'elsewhere'));
    const result = await runCli(['report'], { cwd: workspace, env: { CODING_LOCK_WAIT: '0' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('coding report (process 1 on elsewhere');
    expect(result.stderr).toContain(
      'If it is not running any more (its computer crashed), delete .coding.lock',
    );
  });
});

/** Start `coding code --coder NAME` reading commands from a pipe; resolves once its lock exists. */
async function startSession(
  workspace: string,
  coder: string,
): Promise<{ child: ChildProcess; done: Promise<CliResult> }> {
  const child = spawn(process.execPath, [cliPath, 'code', '--coder', coder], {
    cwd: workspace,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    ),
  );
  const lock = path.join(workspace, 'annotations', `${coder}.lock`);
  for (let waited = 0; ; waited += 100) {
    try {
      await fs.access(lock);
      // The session has folded and opened its journal once the first screen is out.
      if (Buffer.concat(stderr).toString('utf8').includes('coder ')) break;
    } catch {
      // not yet
    }
    if (waited > 30_000) throw new Error(`the session did not start: ${Buffer.concat(stderr).toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, done };
}

describe("a coder's coding session", () => {
  it('keeps out every other writer of that coder’s file, and only that coder’s', async () => {
    const workspace = await fixtureStudy();
    await writeFiles(workspace, {
      'ana.csv': 'unit_id,code\ncall:1,trade.tariffs\n',
      'ben.csv': 'unit_id,code\ncall:1,trade.ntb\n',
    });
    const session = await startSession(workspace, 'ana');
    try {
      const before = await snapshot(path.join(workspace, 'annotations'));
      for (const args of [
        ['import', '--coder', 'ana', 'ana.csv'],
        ['import', '--coder', 'ana', '--replace', 'ana.csv'],
      ]) {
        const refused = await runCli(args, { cwd: workspace });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(
          /error: coder "ana" is coding in a coding code session \(process \d+ on .*\); annotations\/ana\.csv cannot be changed under it/,
        );
      }
      expect(await snapshot(path.join(workspace, 'annotations'))).toEqual(before);
      const other = await runCli(['import', '--coder', 'ben', 'ben.csv'], { cwd: workspace });
      expect(other.code).toBe(0);
    } finally {
      session.child.stdin!.end('trade.tariffs\nn\nq\n');
    }
    const ended = await session.done;
    expect(ended.code).toBe(0);
    // The session's decision is in ana's file; the import after it is refused as a change, not lost.
    const csv = await fs.readFile(path.join(workspace, 'annotations', 'ana.csv'), 'utf8');
    expect(csv).toContain('call:1');
    const after = await runCli(['import', '--coder', 'ana', 'ana.csv'], { cwd: workspace });
    expect(after.code).toBe(0);
  }, 90_000);
});

describe('a stopped writer', () => {
  it('removes its temporary files and its lock on SIGTERM, and the corpus stays as it was', async () => {
    const workspace = await fixtureStudy();
    await writeFiles(workspace, { 'big.csv': statements('big', 150_000) });
    const before = await snapshot(path.join(workspace, 'corpus'));
    const child = spawn(process.execPath, [cliPath, 'import', 'big.csv'], {
      cwd: workspace,
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let sawTemporary = false;
    for (let waited = 0; waited < 60_000 && !sawTemporary; waited += 50) {
      sawTemporary = (await fs.readdir(path.join(workspace, 'corpus'))).some((name) =>
        name.startsWith('.coding-tmp-'),
      );
      if (!sawTemporary) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(sawTemporary).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(await leftovers(workspace)).toEqual([]);
    expect(await snapshot(path.join(workspace, 'corpus'))).toEqual(before);
  }, 120_000);
});
