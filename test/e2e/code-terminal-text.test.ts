/**
 * `coding code` on a real terminal (tmux) with hostile and huge units (issue 12, classes 3 and 4):
 * an escape sequence in a unit is shown as ␛, never sent raw, and a 1 MB unit without a space opens
 * and is shown a page at a time. Correctness only; the time is measured by `npm run bench`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCodebook } from '../fixtures/study.js';
import { cliPath, runCli, temporaryWorkspace, writeFiles } from '../helpers.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('coding code with hostile text on a terminal: SKIPPED, tmux is not installed');
const socket = `coding-text-${process.pid}`;
const tmux = (...args: string[]): string =>
  execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

async function waitUntil(condition: () => boolean, what: string, show: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${show()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A megabyte without a space, with markers at its start and its end. */
const hugeText = `START${'ab'.repeat(512 * 1024)}END`;

let workspace: string;
beforeAll(async () => {
  if (!hasTmux) return;
  workspace = await temporaryWorkspace();
  const settings = path.join(workspace, 'coding.yaml');
  await fs.writeFile(
    settings,
    (await fs.readFile(settings, 'utf8')).replace(/^( {2}unit:) *\w+/m, '$1 document'),
  );
  await writeFiles(workspace, {
    'codebooks/codebook.yaml': fixtureCodebook,
    'docs/hostile.md':
      '---\nid: hostile\ntitle: "Title \\e]0;TITLE-OWNED\\a here"\nactor: "Actor \\e[2J"\n---\nBefore \u001b]0;PWNED\u0007 after \u001b[2J\u001b[31mred\u202e reversed.\n',
    'docs/huge.md': `---\nid: huge\n---\n${hugeText}\n`,
  });
  const imported = await runCli(['import', 'docs'], { cwd: workspace });
  expect(imported.code, imported.stderr).toBe(0);
}, 60_000);

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

function start(
  name: string,
  coder: string,
  from: string,
): { screen: () => string; keys: (...keys: string[]) => void } {
  tmux(
    'new-session',
    '-d',
    '-x',
    '80',
    '-y',
    '24',
    '-s',
    name,
    `cd ${quote(workspace)} && FORCE_COLOR=0 NO_COLOR=1 ${quote(process.execPath)} ${quote(cliPath)} code --coder ${coder} --from ${from}; echo "EXITED $?"; sleep 60`,
  );
  return {
    screen: () => tmux('capture-pane', '-p', '-t', name),
    keys: (...keys) => {
      for (const key of keys) tmux('send-keys', '-t', name, key);
    },
  };
}

describe('coding code on a terminal with hostile and huge units (tmux, 80×24)', () => {
  it.skipIf(!hasTmux)('shows escape sequences and bidirectional overrides visibly, never raw', async () => {
    const { screen, keys } = start('hostile', 'ana', 'hostile:1');
    await waitUntil(() => /^hostile:1 {2}\d+ \/ 2 in corpus/m.test(screen()), 'the unit on screen', screen);
    const shown = screen();
    // The pictures of ESC and BEL are on screen; the sequences did not act.
    expect(shown).toContain('Before ␛]0;PWNED␇ after ␛[2J␛[31mred⟨U+202E⟩ reversed.');
    expect(shown).toContain('Title ␛]0;TITLE-OWNED␇ here');
    expect(shown).toContain('Actor ␛[2J');
    const title = tmux('display-message', '-p', '-t', 'hostile', '#{pane_title}');
    expect(title).not.toContain('PWNED');
    expect(title).not.toContain('OWNED');
    // The help page shows the whole unit the same way.
    keys('?');
    await waitUntil(() => screen().includes('the whole unit'), 'the help', screen);
    expect(screen()).toContain('␛]0;PWNED␇');
    keys('Enter');
    await waitUntil(() => screen().includes('not reviewed'), 'back to the unit', screen);
    keys('q');
    await waitUntil(() => screen().includes('EXITED 0'), 'the end of the session', screen);
  });

  it.skipIf(!hasTmux)('opens a 1 MB unit without spaces and pages through it', async () => {
    const { screen, keys } = start('huge', 'bo', 'huge:1');
    await waitUntil(() => /^huge:1 {2}\d+ \/ 2 in corpus/m.test(screen()), 'the unit on screen', screen);
    const first = screen();
    for (const line of first.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(80);
    expect(first).toContain('│ STARTabab');
    const pages = /page 1\/(\d+), Space: next · the text goes on/.exec(first);
    expect(pages, first).not.toBeNull();
    const pageCount = Number(pages![1]);
    // 1 MB in lines of 78 code points, a few lines a page.
    expect(pageCount).toBeGreaterThan(1_048_584 / 78 / 24);
    keys('Space');
    await waitUntil(() => screen().includes(`page 2/${pageCount},`), 'the second page', screen);
    expect(screen()).not.toContain('│ START');
    keys('PageUp');
    await waitUntil(() => screen().includes(`page 1/${pageCount},`), 'back to the first page', screen);
    expect(screen()).toContain('│ STARTabab');
    // The codes still toggle on a paged unit, and q saves it.
    keys('1');
    await waitUntil(() => screen().includes('1 [x] Non-tariff barriers'), 'the toggle', screen);
    keys('q');
    await waitUntil(() => screen().includes('EXITED 0'), 'the end of the session', screen);
    expect(await fs.readFile(path.join(workspace, 'annotations/bo.csv'), 'utf8')).toContain('huge:1');
  });
});
