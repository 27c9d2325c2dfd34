/**
 * `coding code` end to end: the built CLI driven through piped lines (the non-interactive mode),
 * killed with signals, and on a real terminal through tmux.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildCodebookModel } from '../../src/core/codebook.js';
import { codebookSchema } from '../../src/schema/codebook.js';
import { fixtureCodebook, fixtureStudy } from '../fixtures/study.js';
import {
  bundledCodeIds,
  cliPath,
  readText,
  repositoryRoot,
  runCli,
  snapshot,
  temporaryFolder,
  writeFiles,
} from '../helpers.js';

let template: string;
let workspace: string;

// One fixture study, imported once and copied for each test (an import per test would take most of the time).
beforeAll(async () => {
  template = await fixtureStudy();
});

beforeEach(async () => {
  workspace = await temporaryFolder();
  await fs.cp(template, workspace, { recursive: true });
});

const exists = (file: string): Promise<boolean> =>
  fs.access(file).then(
    () => true,
    () => false,
  );

async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  what: string,
  options: { timeout?: number; show?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeout ?? 10_000);
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${options.show ? `; the screen:\n${options.show()}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

/** The CLI running with stdin kept open, so that it can be killed in the middle of a session. */
function startCli(
  args: string[],
  cwd: string,
): { child: ChildProcessWithoutNullStreams; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => stderr, exit };
}

const journalOf = (coder: string): Promise<string> =>
  readText(workspace, `annotations/${coder}.journal`).catch(() => '');

describe('coding code, one key or command a line (stdin not a terminal)', () => {
  it('codes units, skips on n, keeps memos, and stores them through the journal', async () => {
    const result = await runCli(['code', '--coder', 'ana'], {
      cwd: workspace,
      input: '1\nn\n0\nn\n\nm sounds, "ironic"\n3\nn\n?\nq\n',
    });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(await readText(workspace, 'annotations/ana.csv')).toBe(
      'unit_id,code,memo\ncall:1,trade.ntb,\ncall:2,,\ncall:4,tone.positive,"sounds, ""ironic"""\n',
    );
    const meta = JSON.parse(await readText(workspace, 'annotations/ana.meta.json'));
    expect(meta).toMatchObject({ coder: 'ana', units_reviewed: 3, codings: 2 });
    expect(meta.codebook_hash).toMatch(/^[0-9a-f]{64}$/);
    // Folded: only the header and where the session stopped are left; the lock is gone.
    const journal = (await journalOf('ana')).trim().split('\n');
    expect(journal).toHaveLength(2);
    expect(JSON.parse(journal[0]!)).toEqual({
      format: 'coding-journal',
      version: 1,
      coder: 'ana',
      codebook_hash: meta.codebook_hash,
    });
    expect(JSON.parse(journal[1]!)).toMatchObject({ at: 'presser:1' });
    expect(await exists(path.join(workspace, 'annotations/ana.lock'))).toBe(false);
    expect(result.stderr).toContain('call:3 skipped, not reviewed');
    expect(result.stderr).toContain('Taxes on imports.'); // ? shows the definitions
    expect(result.stderr).toContain(
      '3 decisions this session → annotations/ana.csv (3 units added, 0 changed)',
    );
    expect(result.stderr).toContain('3 of 12 units in corpus reviewed, 9 left');
  });

  it('shows the unit with its context, its document and the codes, and never another coder’s codes', async () => {
    await writeFiles(workspace, { 'ben.csv': 'unit_id,code\ncall:2,trade.tariffs\ncall:2,tone.negative\n' });
    expect((await runCli(['import', '--coder', 'ben', 'ben.csv'], { cwd: workspace })).code).toBe(0);
    const result = await runCli(['code', '--coder', 'ana', '--from', 'call:2'], {
      cwd: workspace,
      input: 'q\n',
    });
    expect(result.code).toBe(0);
    const screen = result.stderr.slice(result.stderr.indexOf('call:2  '));
    expect(screen).toMatch(/^call:2 {2}2 \/ 12 in corpus, 12 left +coder ana$/m);
    expect(screen).toContain('call — Trump · 2026-01-29 · primary');
    expect(screen).toContain(
      '  A great call on trade.\n│ Tariffs stay on the table.\n  The rules on car parts must go.',
    );
    expect(screen).toContain('2 [ ] Tariffs  trade.tariffs');
    expect(screen).toContain('4 [ ] Negative  tone.negative');
    expect(screen).not.toContain('[x]');
    expect(screen).toContain('not reviewed');
  });

  it('replaces the first code of an exclusive category by a second, and keeps codes of other categories', async () => {
    const result = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: '1\n2\n3\n4\nn\nq\n' });
    expect(result.code).toBe(0);
    expect(await readText(workspace, 'annotations/ana.csv')).toBe(
      'unit_id,code,memo\ncall:1,trade.ntb,\ncall:1,trade.tariffs,\ncall:1,tone.negative,\n',
    );
  });

  it('goes back (p), jumps (g), goes to the next unit not reviewed (u), and resumes where it stopped', async () => {
    const first = await runCli(['code', '--coder', 'ana'], {
      cwd: workspace,
      input: 'g wire:2\n1\nn\np\np\ntrade.tariffs\nn\nu\n0\nq\n',
    });
    expect(first.code).toBe(0);
    expect(await readText(workspace, 'annotations/ana.csv')).toBe(
      'unit_id,code,memo\nwire:1,trade.tariffs,\nwire:2,trade.ntb,\nwire:3,,\n',
    );
    const again = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: 'q\n' });
    // q saved wire:3: the next session begins after it.
    expect(again.stderr).toMatch(/^wire:4 {2}12 \/ 12 in corpus, 9 left/m);
    const uncoded = await runCli(['code', '--coder', 'ana', '--uncoded'], {
      cwd: workspace,
      input: 'g wire:1\n',
    });
    expect(uncoded.stderr).toMatch(/^wire:4 {2}9 \/ 9 in corpus, not reviewed at start, 9 left/m);
    expect(uncoded.stderr).toContain(
      'unit wire:1 was reviewed before this session began (leave out --uncoded to revisit it)',
    );
    expect(uncoded.code).toBe(2);
  });

  it('re-coding units replaces them, with one backup of the old file per fold', async () => {
    await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: '1\nn\n2\nn\nq\n' });
    const before = await readText(workspace, 'annotations/ana.csv');
    const result = await runCli(['code', '--coder', 'ana', '--from', 'call:1'], {
      cwd: workspace,
      input: '1\n3\nn\n2\n0\nn\nq\n',
    });
    expect(result.code).toBe(0);
    expect(await readText(workspace, 'annotations/ana.csv')).toBe(
      'unit_id,code,memo\ncall:1,tone.positive,\ncall:2,,\n',
    );
    expect(result.stderr).toContain('(0 units added, 2 changed)');
    const backups = await fs.readdir(path.join(workspace, 'annotations/.backup'));
    expect(backups.filter((name) => name.endsWith('.csv'))).toHaveLength(1);
    expect(
      await readText(workspace, `annotations/.backup/${backups.find((name) => name.endsWith('.csv'))}`),
    ).toBe(before);
  });

  it('stops at a line it cannot carry out, so no code lands on the wrong unit, and keeps what came before', async () => {
    const result = await runCli(['code', '--coder', 'ana'], {
      cwd: workspace,
      input: '1\nn\ng nowhere:1\n2\nn\nq\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: <stdin>:3: no unit "nowhere:1" in the corpus');
    expect(result.stderr).toContain('the session stopped there so that no code lands on the wrong unit');
    expect(await readText(workspace, 'annotations/ana.csv')).toBe('unit_id,code,memo\ncall:1,trade.ntb,\n');
    const memoOnly = await runCli(['code', '--coder', 'ana'], {
      cwd: workspace,
      input: 'm just a note\nn\n',
    });
    expect(memoOnly.code).toBe(2);
    expect(memoOnly.stderr).toContain(
      'call:2 has a memo but no code: press a code\'s key, or 0 for "no code applies"',
    );
  });

  it('stdin closing before q: saved decisions are kept; unsaved changes on screen make it an error', async () => {
    const clean = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: '1\nn\n' });
    expect(clean.code).toBe(0);
    expect(clean.stderr).toContain('the input ended: stopped as with q');
    const cut = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: '0\nn\n2' });
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain(
      'error: the input ended (after line 3) with changes to call:3 that were not saved',
    );
    expect(await readText(workspace, 'annotations/ana.csv')).toBe(
      'unit_id,code,memo\ncall:1,trade.ntb,\ncall:2,,\n',
    );
    expect(await exists(path.join(workspace, 'annotations/ana.lock'))).toBe(false);
  });
});

describe('coding code: nothing lost', () => {
  it('recovers a killed session: folds its journal (ignoring a cut-off last line), takes over its stale lock, resumes on its screen', async () => {
    const hash = buildCodebookModel(codebookSchema.parse(parse(fixtureCodebook))).hash;
    await writeFiles(workspace, {
      'annotations/ana.journal': [
        JSON.stringify({ format: 'coding-journal', version: 1, coder: 'ana', codebook_hash: hash }),
        '{"at":"call:1","time":"2026-02-01T10:00:00.000Z"}',
        '{"unit":"call:1","codes":["trade.ntb"],"memo":"","time":"2026-02-01T10:00:01.000Z"}',
        '{"at":"call:2","time":"2026-02-01T10:00:01.000Z"}',
        '{"unit":"call:2","codes":["tone.positive"],"memo":"","time":"2026-02-01T10:00:02.000Z"}',
        '{"unit":"call:2","codes":["tone.negative"],"memo":"changed my mind","time":"2026-02-01T10:00:03.000Z"}',
        '{"at":"call:3","time":"2026-02-01T10:00:03.000Z"}',
        '{"unit":"call:3","codes":["trade.t',
      ].join('\n'),
      // A session that crashed: its process (an id no process has) no longer runs on this host.
      'annotations/ana.lock': `${JSON.stringify({ format: 'coding-lock', version: 1, coder: 'ana', pid: 99999999, host: os.hostname(), started: '2026-02-01T09:59:00Z' })}\n`,
    });
    const result = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: 'q\n' });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'note: took over annotations/ana.lock: the session of process 99999999 (started 2026-02-01T09:59:00Z) no longer runs',
    );
    expect(result.stderr).toContain(
      'note: recovered 2 decisions from annotations/ana.journal into annotations/ana.csv (2 added, 0 changed)',
    );
    expect(result.stderr).toContain(
      'annotations/ana.journal:8  warning: the last line was cut off (the session was killed while writing it) and is ignored',
    );
    expect(result.stderr).toMatch(/^call:3 {2}3 \/ 12 in corpus, 10 left/m);
    expect(await readText(workspace, 'annotations/ana.csv')).toBe(
      'unit_id,code,memo\ncall:1,trade.ntb,\ncall:2,tone.negative,changed my mind\n',
    );
    expect(await exists(path.join(workspace, 'annotations/ana.lock'))).toBe(false);
  });

  it('refuses a second session for the same coder while the first runs, changing nothing', async () => {
    const first = startCli(['code', '--coder', 'ana'], workspace);
    await waitUntil(() => first.stderr().includes('call:1  1 / 12'), 'the first session');
    const lock = JSON.parse(await readText(workspace, 'annotations/ana.lock'));
    expect(lock).toMatchObject({
      format: 'coding-lock',
      version: 1,
      coder: 'ana',
      pid: first.child.pid,
      host: os.hostname(),
    });
    const before = await snapshot(workspace);
    const second = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: '1\nn\nq\n' });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(
      `error: coder "ana" is coding in another session (process ${first.child.pid} on ${os.hostname()}, since ${lock.started})`,
    );
    expect(second.stderr).toContain('hint: finish that session first (q)');
    expect(await snapshot(workspace)).toEqual(before);
    // Another coder is not held up.
    expect((await runCli(['code', '--coder', 'ben'], { cwd: workspace, input: 'q\n' })).code).toBe(0);
    first.child.stdin.end('q\n');
    expect(await first.exit).toBe(0);
  });

  it('refuses to fold a journal that names a code the codebook no longer has, naming the line and changing nothing', async () => {
    await writeFiles(workspace, {
      'annotations/ana.journal': `${JSON.stringify({ format: 'coding-journal', version: 1, coder: 'ana', codebook_hash: 'old' })}\n{"unit":"call:1","codes":["trade.ntb"],"memo":"","time":"t"}\n{"unit":"call:2","codes":["trade.quota"],"memo":"","time":"t"}\n`,
    });
    const before = await snapshot(workspace);
    const result = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: 'q\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: cannot fold annotations/ana.journal into annotations/ana.csv');
    expect(result.stderr).toContain('annotations/ana.journal:3  unit call:2: unknown code "trade.quota"');
    expect(result.stderr).toContain('hint: put the codes back in the codebook');
    expect(await snapshot(workspace)).toEqual(before);
  });

  it('says there is nothing to code when --uncoded leaves no unit', async () => {
    await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: '0\nn\n'.repeat(12) + 'q\n' });
    const result = await runCli(['code', '--coder', 'ana', '--uncoded'], { cwd: workspace, input: '1\nn\n' });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('nothing to code: every unit in the corpus is reviewed already');
    expect((await readText(workspace, 'annotations/ana.csv')).trim().split('\n')).toHaveLength(13);
  });

  it('a lock from another computer is not taken over', async () => {
    await writeFiles(workspace, {
      'annotations/ana.lock': JSON.stringify({
        format: 'coding-lock',
        version: 1,
        coder: 'ana',
        pid: 1,
        host: 'laptop-of-ben',
        started: '2026-02-01T09:59:00Z',
      }),
    });
    const before = await snapshot(workspace);
    const result = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: 'q\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('(process 1 on laptop-of-ben, since 2026-02-01T09:59:00Z)');
    expect(result.stderr).toContain('delete annotations/ana.lock');
    expect(await snapshot(workspace)).toEqual(before);
  });

  it('SIGKILL loses at most the unit on screen; the next session folds the journal and resumes there', async () => {
    const session = startCli(['code', '--coder', 'ana'], workspace);
    session.child.stdin.write('1\nn\n0\nn\n2\n');
    await waitUntil(
      async () => (await journalOf('ana')).includes('"call:2","codes":[]'),
      'two decisions in the journal',
    );
    await waitUntil(
      () => session.stderr().includes('call:3: trade.tariffs (not saved yet'),
      'the toggle on call:3',
    );
    session.child.kill('SIGKILL');
    await session.exit;
    expect(await exists(path.join(workspace, 'annotations/ana.csv'))).toBe(false); // never folded: killed outright
    const next = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: 'q\n' });
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(
      `took over annotations/ana.lock: the session of process ${session.child.pid}`,
    );
    expect(next.stderr).toContain('recovered 2 decisions');
    expect(next.stderr).toMatch(/^call:3 {2}3 \/ 12 in corpus, 10 left/m);
    expect(await readText(workspace, 'annotations/ana.csv')).toBe(
      'unit_id,code,memo\ncall:1,trade.ntb,\ncall:2,,\n',
    );
  });

  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`${signal} folds the journal and releases the lock before the process ends`, async () => {
      const session = startCli(['code', '--coder', 'ana'], workspace);
      session.child.stdin.write('4\nn\n2\n');
      await waitUntil(
        () => session.stderr().includes('call:2: trade.tariffs (not saved yet'),
        'the toggle on call:2',
      );
      session.child.kill(signal);
      const code = await session.exit;
      expect(code).toBe(128 + os.constants.signals[signal]);
      expect(await readText(workspace, 'annotations/ana.csv')).toBe(
        'unit_id,code,memo\ncall:1,tone.negative,\n',
      );
      expect(await exists(path.join(workspace, 'annotations/ana.lock'))).toBe(false);
      if (signal !== 'SIGHUP')
        expect(session.stderr()).toContain(
          `stopped (${signal}): the changes to call:2 on screen were not saved`,
        );
      const next = await runCli(['code', '--coder', 'ana'], { cwd: workspace, input: 'q\n' });
      expect(next.stderr).toMatch(/^call:2 {2}2 \/ 12/m);
      expect(next.stderr).not.toContain('recovered');
    });
  }
});

describe('coding code: bad input changes nothing', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'an unknown --from unit in a known document',
      ['--coder', 'ana', '--from', 'call:9'],
      /error: --from: no unit "call:9" in the corpus \(document call has units call:1 to call:4\)/,
    ],
    [
      'an unknown --from unit',
      ['--coder', 'ana', '--from', 'cal:2'],
      /error: --from: no unit "cal:2" in the corpus \(did you mean "call:2"\?\)/,
    ],
    ['an unsafe coder name', ['--coder', '../ana'], /error: "\.\.\/ana" cannot be a coder name/],
    [
      'a reserved coder name',
      ['--coder', 'sample'],
      /error: "sample" cannot be a coder name: it is reserved/,
    ],
    [
      '--sample without a sample',
      ['--coder', 'ana', '--sample'],
      /error: --sample: this workspace has no sample \(annotations\/sample\.csv does not exist\)\nhint: draw one with: coding sample/,
    ],
    ['no --coder', [], /required option '--coder <name>' not specified/],
  ];
  for (const [name, args, message] of cases) {
    it(`refuses ${name}`, async () => {
      const before = await snapshot(workspace);
      const result = await runCli(['code', ...args], { cwd: workspace, input: '1\nn\nq\n' });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(await snapshot(workspace)).toEqual(before);
    });
  }

  it('refuses --from a unit outside the sample', async () => {
    await runCli(['sample', '--size', '3', '--seed', '1'], { cwd: workspace });
    const sampled = (await readText(workspace, 'annotations/sample.csv'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!);
    const outside = ['call:1', 'call:2', 'call:3', 'call:4'].find((id) => !sampled.includes(id))!;
    const before = await snapshot(workspace);
    const result = await runCli(['code', '--coder', 'ana', '--sample', '--from', outside], {
      cwd: workspace,
      input: 'q\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: --from: unit ${outside} is not in the sample`);
    expect(await snapshot(workspace)).toEqual(before);
  });
});

// ─── A real terminal, through tmux ──────────────────────────────────────────────────────────────

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux)
  console.warn(
    'coding code on a terminal: SKIPPED, tmux is not installed (the test drives a real terminal through it)',
  );
const socket = `coding-test-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

describe('coding code on a terminal (tmux, 80×24)', () => {
  it.skipIf(!hasTmux)(
    'a new coder codes ten units of the bundled sample, the terminal is killed midway, and reliability sees exactly their codes',
    async () => {
      const study = await temporaryFolder();
      for (const part of ['coding.yaml', 'codebooks', 'corpus', 'annotations'])
        await fs.cp(path.join(repositoryRoot, part), path.join(study, part), { recursive: true });
      const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;
      const start = (name: string): void => {
        tmux(
          'new-session',
          '-d',
          '-x',
          '80',
          '-y',
          '24',
          '-s',
          name,
          `cd ${quote(study)} && FORCE_COLOR=0 NO_COLOR=1 ${quote(process.execPath)} ${quote(cliPath)} code --coder newbie --sample; echo "EXITED $?"; sleep 60`,
        );
      };
      const screen = (name: string): string => tmux('capture-pane', '-p', '-t', name);
      const header = (name: string): { unit: string; position: number } | undefined => {
        const match = /^(\S+) {2}(\d+) \/ 65 in sample/.exec(screen(name));
        return match ? { unit: match[1]!, position: Number(match[2]) } : undefined;
      };
      const keys = (name: string, ...keysToSend: string[]): void => {
        for (const key of keysToSend)
          tmux(
            'send-keys',
            '-t',
            name,
            ...(key.length > 1 && key !== 'Enter' && key !== 'Escape' ? ['-l', key] : [key]),
          );
      };
      const codeIds: readonly string[] = bundledCodeIds;
      // The keys pressed on each of the ten units, and the codes they mean.
      const plan: string[][] = [
        ['1'],
        ['0'],
        ['2', '4'],
        ['8'],
        ['0'],
        ['7', '8'],
        ['5'],
        ['6'],
        ['0'],
        ['9'],
      ];
      const given = new Map<string, string[]>();
      const codeUnit = async (name: string, index: number): Promise<void> => {
        const at = header(name)!;
        expect(at.position).toBe(index + 1);
        keys(name, ...plan[index]!);
        given.set(
          at.unit,
          plan[index]!.includes('0')
            ? []
            : plan[index]!.map((key) => codeIds[Number(key) - 1]!).sort(
                (a, b) => codeIds.indexOf(a) - codeIds.indexOf(b),
              ),
        );
        keys(name, 'n');
        await waitUntil(() => header(name)?.position === index + 2, `unit ${index + 2} on screen`, {
          show: () => screen(name),
        });
      };

      start('first');
      await waitUntil(() => header('first') !== undefined, 'the first screen', {
        show: () => screen('first'),
      });
      const first = screen('first');
      expect(first.split('\n').length).toBeLessThanOrEqual(25);
      expect(first).toMatch(/^\S+ {2}1 \/ 65 in sample, 65 left +coder newbie$/m);
      expect(first).toContain('1 [ ] Non-tariff barriers');
      expect(first).toContain('9 [ ] Domestic signalling');
      expect(first).toContain('│ ');
      expect(first).toContain('n/Enter save, next');
      for (const line of first.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(80);
      for (let index = 0; index < 6; index++) await codeUnit('first', index);
      // A code toggled on the seventh unit, not saved: the terminal is killed.
      const seventh = header('first')!.unit;
      keys('first', '5');
      await waitUntil(() => screen('first').includes('5 [x] Sovereign authority'), 'the toggle on screen');
      tmux('kill-session', '-t', 'first');
      await waitUntil(
        async () => !(await exists(path.join(study, 'annotations/newbie.lock'))),
        'the lock released after the hangup',
      );
      const afterKill = await readText(study, 'annotations/newbie.csv');
      expect(
        new Set(
          afterKill
            .trim()
            .split('\n')
            .slice(1)
            .map((line) => line.split(',')[0]),
        ).size,
      ).toBe(6);

      start('second');
      await waitUntil(() => header('second') !== undefined, 'the second session', {
        show: () => screen('second'),
      });
      expect(header('second')).toEqual({ unit: seventh, position: 7 });
      expect(screen('second')).toContain('5 [ ] Sovereign authority');
      for (let index = 6; index < 9; index++) await codeUnit('second', index);
      // ? shows the whole unit and the definitions; any other key comes back. m sets a memo.
      keys('second', '?');
      await waitUntil(() => screen('second').includes('— the whole unit'), 'the help page', {
        show: () => screen('second'),
      });
      expect(screen('second')).toContain('use when: The unit names such an obstacle');
      expect(screen('second')).toMatch(/page 1 \/ \d+ · space next page/);
      keys('second', 'Escape');
      await waitUntil(() => header('second')?.position === 10, 'the unit again');
      keys('second', 'm');
      await waitUntil(
        () => screen('second').includes('memo (Enter: keep, Esc: cancel):'),
        'the memo prompt',
        {
          show: () => screen('second'),
        },
      );
      keys('second', 'a memo, typed here', 'Enter');
      await waitUntil(() => screen('second').includes('memo: a memo, typed here'), 'the memo on screen');
      await codeUnit('second', 9);
      keys('second', 'q');
      await waitUntil(() => screen('second').includes('EXITED'), 'the end of the session');
      const end = screen('second');
      expect(end).toContain('EXITED 0');
      expect(end).toContain('10 of 65 units in sample reviewed, 55 left');
      expect(await exists(path.join(study, 'annotations/newbie.lock'))).toBe(false);
      expect(await exists(path.join(study, 'annotations/.backup'))).toBe(false);
      expect(await readText(study, 'annotations/newbie.csv')).toContain(
        ',rhetoric.domestic,"a memo, typed here"\n',
      );

      // What the study now holds is exactly what was given, and reliability reads it.
      const codes = await runCli(['codes', '--coder', 'newbie', '--format', 'json'], { cwd: study });
      expect(codes.code).toBe(0);
      const stored = new Map<string, string[]>();
      for (const row of JSON.parse(codes.stdout) as Array<{ unit_id: string; code: string }>)
        stored.set(row.unit_id, [...(stored.get(row.unit_id) ?? []), ...(row.code === '' ? [] : [row.code])]);
      expect(stored).toEqual(given);
      const reliability = await runCli(['reliability', '--coders', 'coder1,newbie', '--format', 'json'], {
        cwd: study,
      });
      expect(reliability.code).toBe(0);
      const report = JSON.parse(reliability.stdout) as {
        n_units: number;
        codes: Array<{ code: string; table: number[][] }>;
      };
      expect(report.n_units).toBe(10);
      for (const code of report.codes) {
        // [[both, only coder1], [only newbie, neither]]: newbie's column is the first.
        const byNewbie = code.table[0]![0]! + code.table[1]![0]!;
        expect(byNewbie, code.code).toBe(
          [...given.values()].filter((list) => list.includes(code.code)).length,
        );
      }
    },
    60_000,
  );

  it.skipIf(!hasTmux)(
    'on a terminal shorter than 10 rows, says so and acts on no key but q; a taller window shows the unit',
    async () => {
      const study = await temporaryFolder();
      for (const part of ['coding.yaml', 'codebooks', 'corpus', 'annotations'])
        await fs.cp(path.join(repositoryRoot, part), path.join(study, part), { recursive: true });
      const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;
      tmux(
        'new-session',
        '-d',
        '-x',
        '80',
        '-y',
        '8',
        '-s',
        'short',
        `cd ${quote(study)} && FORCE_COLOR=0 NO_COLOR=1 ${quote(process.execPath)} ${quote(cliPath)} code --coder small --sample; echo "EXITED $?"; sleep 60`,
      );
      const screen = (): string => tmux('capture-pane', '-p', '-t', 'short');
      await waitUntil(() => screen().includes('coding needs 10'), 'the message', { show: screen });
      expect(screen()).toContain('The terminal has 8 rows; coding needs 10.');
      expect(screen()).toContain('Make the window taller, or press q to quit.');
      // A code key and Enter would code and save a unit nobody sees: nothing happens.
      tmux('send-keys', '-t', 'short', '1');
      tmux('send-keys', '-t', 'short', 'Enter');
      tmux('resize-window', '-t', 'short', '-x', '80', '-y', '24');
      await waitUntil(() => /^\S+ {2}1 \/ 65 in sample, 65 left/m.test(screen()), 'the first unit', {
        show: screen,
      });
      expect(screen()).toContain('1 [ ] Non-tariff barriers');
      tmux('resize-window', '-t', 'short', '-x', '80', '-y', '6');
      await waitUntil(() => screen().includes('coding needs 10'), 'the message again', { show: screen });
      tmux('send-keys', '-t', 'short', 'q');
      await waitUntil(() => screen().includes('EXITED'), 'the end of the session', { show: screen });
      expect(screen()).toContain('EXITED 0');
      expect(screen()).toContain('0 decisions this session');
      expect(await exists(path.join(study, 'annotations/small.csv'))).toBe(false);
    },
    60_000,
  );
});
