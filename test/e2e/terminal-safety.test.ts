/**
 * Issue 12, class 3: text that attacks the terminal. Documents, metadata, codebook text and
 * annotation cells holding escape sequences (OSC title, CSI clear screen) and bidirectional
 * overrides are imported byte-exact with a warning, and every command that shows them to a person
 * shows them visibly. The output bytes of each command are checked (colours are off, so no escape
 * character may appear at all), and one command is run on a real terminal under tmux.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureStudy } from '../fixtures/study.js';
import { cliPath, readText, runCli, snapshot, writeFiles } from '../helpers.js';

const ESC = '\u001b';
const BEL = '\u0007';
const RLO = '\u202e';
const setTitle = `${ESC}]0;owned${BEL}`;
const clearScreen = `${ESC}[2J${ESC}[H`;

/** A document whose title, actor and text attack a terminal. */
const evilDocument = `---\nid: evil\ntitle: "Evil \\e]0;owned\\a title"\nactor: "Mallory \\e[31m"\n---\nHello there.${clearScreen} It works.\n\nSecond ${RLO}txet desrever para.\n`;

let workspace: string;

beforeEach(async () => {
  workspace = await fixtureStudy();
  await writeFiles(workspace, { 'evil/evil.md': evilDocument });
});

/** Neither stream holds an escape or a bidirectional override character. */
function expectNoControls(text: string): void {
  expect(text).not.toContain(ESC);
  expect(text).not.toContain(BEL);
  expect(text).not.toContain(RLO);
}

describe('terminal-safe output (class 3)', () => {
  it('imports the text byte-exact and warns with the count and the units holding control characters', async () => {
    const imported = await runCli(['import', 'evil'], { cwd: workspace });
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(
      'evil/evil.md  warning: document evil holds 6 control characters (escape sequences or bidirectional overrides) in the text of units evil:2, evil:3 and the metadata fields title, actor; kept as they are, shown visibly on a terminal',
    );
    expectNoControls(imported.stderr);
    // The stored text is exactly the document's text: the data is not changed, only its display.
    const stored = (await readText(workspace, 'corpus/documents.jsonl'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; text: string; title: string })
      .find((document) => document.id === 'evil')!;
    expect(stored.text).toBe(`Hello there.${clearScreen} It works.\n\nSecond ${RLO}txet desrever para.`);
    expect(stored.title).toBe(`Evil ${setTitle} title`);
  });

  it('corpus show, units and list print control characters as visible pictures', async () => {
    await runCli(['import', 'evil'], { cwd: workspace });
    const show = await runCli(['corpus', 'show', 'evil'], { cwd: workspace });
    expect(show.code).toBe(0);
    expectNoControls(show.stdout);
    expect(show.stdout).toContain('Evil ␛]0;owned␇ title');
    expect(show.stdout).toContain('Mallory ␛[31m');
    expect(show.stdout).toContain('␛[2J␛[H It works.');
    expect(show.stdout).toContain('Second ⟨U+202E⟩txet desrever para.');

    const units = await runCli(['corpus', 'units', '--doc', 'evil'], { cwd: workspace });
    expectNoControls(units.stdout);
    expect(units.stdout).toContain('evil:2   ␛[2J␛[H It works.');

    const list = await runCli(['corpus', 'list'], { cwd: workspace });
    expectNoControls(list.stdout);
    expect(list.stdout).toContain('Mallory ␛[31m');

    // Machine output into a pipe stays byte-exact: the data, for programs.
    const json = await runCli(['corpus', 'units', '--doc', 'evil', '--format', 'json'], { cwd: workspace });
    expect(JSON.parse(json.stdout)[1].text).toBe(`${clearScreen} It works.`);
    const csv = await runCli(['corpus', 'units', '--doc', 'evil', '--format', 'csv'], { cwd: workspace });
    expect(csv.stdout).toContain(clearScreen);
  });

  it('merge, adjudicate and error messages that quote input show control characters visibly', async () => {
    await runCli(['import', 'evil'], { cwd: workspace });
    await writeFiles(workspace, {
      'a.csv': `unit_id,code,memo\nevil:2,trade.ntb,\nevil:3,tone.positive,${ESC}]0;memo${BEL}\n`,
      'b.csv': 'unit_id,code\nevil:2,trade.tariffs\nevil:3,tone.positive\n',
    });
    expect((await runCli(['import', '--coder', 'coder1', 'a.csv'], { cwd: workspace })).code).toBe(0);
    expect((await runCli(['import', '--coder', 'coder2', 'b.csv'], { cwd: workspace })).code).toBe(0);

    const merge = await runCli(['merge', '--coders', 'coder1,coder2'], { cwd: workspace });
    expect(merge.code).toBe(0);
    expectNoControls(merge.stdout + merge.stderr);
    expect(merge.stdout).toMatch(/^evil:2 +trade\.ntb +trade\.tariffs +␛\[2J␛\[H It works\.$/m);

    const adjudicate = await runCli(['adjudicate', '--coders', 'coder1,coder2'], {
      cwd: workspace,
      input: 'q\n',
    });
    expect(adjudicate.code).toBe(0);
    expectNoControls(adjudicate.stdout + adjudicate.stderr);
    expect(adjudicate.stderr).toContain('[1/1] evil:2');
    expect(adjudicate.stderr).toContain('␛[2J␛[H It works.');

    // A cell quoted in an error message: an unknown code that is an escape sequence.
    await writeFiles(workspace, { 'bad.csv': `unit_id,code\nevil:1,${ESC}]0;owned${BEL}\n` });
    const before = await snapshot(workspace);
    const refused = await runCli(['import', '--coder', 'coder3', 'bad.csv'], { cwd: workspace });
    expect(refused.code).toBe(2);
    expectNoControls(refused.stderr);
    expect(refused.stderr).toContain('bad.csv:2  unit evil:1: unknown code "␛]0;owned␇"');
    expect(await snapshot(workspace)).toEqual(before);
  });

  it('codebook show and codebook diff print codebook text visibly', async () => {
    const hostile = `version: 1\nname: hostile\ncategories:\n  - id: trade\n    label: "Trade \\e]0;owned\\a"\n    codes:\n      - id: trade.ntb\n        label: "NTB \\u202e sbn"\n        definition: "Rules \\e[2J"\n`;
    await writeFiles(workspace, {
      'hostile.yaml': hostile,
      'hostile2.yaml': hostile.replace('Rules \\e[2J', 'Other \\e[2J rules'),
    });
    const show = await runCli(['codebook', 'show', 'hostile.yaml'], { cwd: workspace });
    expect(show.code).toBe(0);
    expectNoControls(show.stdout);
    expect(show.stdout).toContain('Trade ␛]0;owned␇');
    expect(show.stdout).toContain('NTB ⟨U+202E⟩ sbn');
    const diff = await runCli(['codebook', 'diff', 'hostile.yaml', 'hostile2.yaml'], { cwd: workspace });
    expectNoControls(diff.stdout);
    expect(diff.stdout).toContain('definition: "Rules \\u001b[2J" → "Other \\u001b[2J rules"');
  });
});

// ─── A real terminal, through tmux ──────────────────────────────────────────────────────────────

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux)
  console.warn('terminal safety on a real terminal: SKIPPED, tmux is not installed (the test drives one)');
const socket = `coding-terminal-safety-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-u', '-L', socket, ...args], { encoding: 'utf8' });

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('terminal-safe output on a real terminal (tmux)', () => {
  it.skipIf(!hasTmux)(
    'corpus show of a hostile document neither sets the window title nor clears the screen',
    async () => {
      await runCli(['import', 'evil'], { cwd: workspace });
      const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;
      const session = 'show';
      tmux('new-session', '-d', '-x', '150', '-y', '40', '-s', session, '-c', workspace, 'sh');
      tmux('set-option', '-t', session, 'allow-rename', 'on');
      tmux('set-window-option', '-t', session, 'automatic-rename', 'off');
      const screen = (): string => tmux('capture-pane', '-p', '-t', session);
      const title = (): string => tmux('display-message', '-p', '-t', session, '#{pane_title}').trim();
      // The control experiment: raw bytes do set the title, so the check below can fail.
      tmux('send-keys', '-t', session, '-l', "printf '\\033]0;control-title\\007'; echo BEFORE-MARK");
      tmux('send-keys', '-t', session, 'Enter');
      await waitFor(() => title() === 'control-title' && screen().includes('\nBEFORE-MARK'), 'the control');
      tmux(
        'send-keys',
        '-t',
        session,
        '-l',
        `LANG=C.UTF-8 FORCE_COLOR=0 NO_COLOR=1 ${quote(process.execPath)} ${quote(cliPath)} corpus show evil; echo AFTER-MARK`,
      );
      tmux('send-keys', '-t', session, 'Enter');
      await waitFor(() => screen().includes('\nAFTER-MARK'), 'coding corpus show to finish');
      const shown = screen();
      expect(title()).toBe('control-title');
      // The screen was not cleared: what was printed before is still there.
      expect(shown).toContain('\nBEFORE-MARK');
      expect(shown).toContain('Evil ␛]0;owned␇ title');
      expect(shown).toContain('␛[2J␛[H It works.');
      // CSV on a terminal is shown visibly too (in a pipe it keeps its bytes, checked above).
      tmux('send-keys', '-t', session, 'clear', 'Enter');
      tmux(
        'send-keys',
        '-t',
        session,
        '-l',
        `LANG=C.UTF-8 ${quote(process.execPath)} ${quote(cliPath)} corpus units --doc evil --format csv; echo CSV-MARK`,
      );
      tmux('send-keys', '-t', session, 'Enter');
      await waitFor(() => screen().includes('\nCSV-MARK'), 'coding corpus units --format csv to finish');
      expect(screen()).toContain('evil:2,evil,2,12,29,');
      expect(screen()).toContain('␛[2J␛[H It works.');
      expect(title()).toBe('control-title');
      tmux('kill-session', '-t', session);
    },
  );
});
