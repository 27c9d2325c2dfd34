/**
 * `coding serve` in headless Chromium (playwright-core): a coder codes five units by keyboard and
 * mouse, reloads, the server is killed and restarted, and the coder's file holds exactly what the
 * page showed as saved; two coders at once, each blind to the other; an adjudication through the
 * page equals the same decisions through `coding adjudicate --from`; the red-team text is shown
 * as text. One browser and one study for the file; the tests run in order. Screenshots go to
 * test-results/ (gitignored); the ones in docs/ were taken from there.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readText, repositoryRoot, runCli, temporaryFolder } from '../helpers.js';
import { type ServeProcess, serveStudy, startServe } from './serve-process.js';

const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(
    `SKIPPED test/e2e/serve-browser.test.ts: no Chromium at ${chromiumPath}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`,
  );
}

const artifacts = path.join(repositoryRoot, 'test-results');

let workspace: string;
let browser: Browser;
let server: ServeProcess;

interface Saved {
  unit: string;
  codes: string[];
  memo: string;
}

/** Problems a page reports: console errors, page errors, CSP violations, dialogs (an alert() ran). */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}

async function unitOnScreen(page: Page, unit: string): Promise<void> {
  await page
    .locator('#unit-id')
    .filter({ hasText: new RegExp(`^${unit}$`) })
    .waitFor();
}

/** Wait until the page says the unit is saved, and read what it says was saved. */
async function savedOn(page: Page, unit: string): Promise<Saved> {
  const saved = page.locator(`#saved[data-unit="${unit}"]`);
  await saved.waitFor();
  const codes = (await saved.getAttribute('data-codes')) ?? '';
  return {
    unit,
    codes: codes === '' ? [] : codes.split(' '),
    memo: (await saved.getAttribute('data-memo')) ?? '',
  };
}

async function waitChecked(page: Page, code: string): Promise<void> {
  await page.locator(`input[data-code="${code}"]:checked`).waitFor();
}

/** Wait until exactly `count` codes are marked on the page. */
async function waitMarked(page: Page, count: number): Promise<void> {
  // Not waitForFunction with a string: the page's Content-Security-Policy forbids eval, even to tests.
  await expect.poll(() => page.locator('input[data-code]:checked').count(), { interval: 50 }).toBe(count);
}

async function checked(page: Page, code: string): Promise<boolean> {
  return page.locator(`input[data-code="${code}"]`).isChecked();
}

/** The coder's file as decisions per unit, in file order. */
async function fileDecisions(coder: string): Promise<Saved[]> {
  const rows = parse(await readText(workspace, `annotations/${coder}.csv`), { columns: true }) as Array<{
    unit_id: string;
    code: string;
    memo: string;
  }>;
  const byUnit = new Map<string, Saved>();
  for (const row of rows) {
    const entry = byUnit.get(row.unit_id) ?? { unit: row.unit_id, codes: [], memo: '' };
    if (row.code !== '') entry.codes.push(row.code);
    if (row.memo !== '') entry.memo = entry.memo === '' ? row.memo : `${entry.memo} | ${row.memo}`;
    byUnit.set(row.unit_id, entry);
  }
  return [...byUnit.values()];
}

describe.skipIf(!hasChromium)('coding serve in Chromium', () => {
  beforeAll(async () => {
    workspace = await serveStudy();
    [browser, server] = await Promise.all([
      chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      }),
      startServe(workspace, ['--by', 'Judge']),
    ]);
    await fs.mkdir(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop('SIGTERM');
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  it('codes five units by keyboard and mouse through a reload and a killed server: the file holds what the page showed as saved', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const problems = watch(page);
    const shownAsSaved: Saved[] = [];
    await page.goto(server.links.get('coder1')!);
    await unitOnScreen(page, 'call:1');
    expect(await page.locator('#meta').textContent()).toContain('Trump');
    expect(await page.locator('#after').textContent()).toBe('Tariffs stay on the table.');

    // call:1 by keyboard: 1 toggles trade.ntb, n saves and goes on.
    await page.keyboard.press('1');
    await waitChecked(page, 'trade.ntb');
    await page.keyboard.press('n');
    shownAsSaved.push(await savedOn(page, 'call:1'));
    await unitOnScreen(page, 'call:2');

    // call:2 by mouse: two codes clicked, then the button.
    await page.getByText('Tariffs', { exact: true }).click();
    await page.getByText('Positive', { exact: true }).click();
    await waitMarked(page, 2);
    await page.getByRole('button', { name: /Save and next/ }).click();
    shownAsSaved.push(await savedOn(page, 'call:2'));

    // call:3: tone is exclusive, so 4 (Negative) replaces 3 (Positive); Enter saves.
    await page.keyboard.press('3');
    await waitChecked(page, 'tone.positive');
    await page.keyboard.press('4');
    await waitChecked(page, 'tone.negative');
    expect(await checked(page, 'tone.positive')).toBe(false);
    await page.keyboard.press('Enter');
    shownAsSaved.push(await savedOn(page, 'call:3'));
    await unitOnScreen(page, 'call:4');

    // A reload in the middle: the session resumes at the same unit.
    await page.reload();
    await unitOnScreen(page, 'call:4');
    expect(await page.locator('#progress').textContent()).toContain('3 of 16 reviewed');

    // call:4: no code applies, with a memo (m, type, Enter), then n.
    await page.keyboard.press('0');
    await page.locator('#code-none:checked').waitFor();
    await page.keyboard.press('m');
    await page.locator('#memo:focus').waitFor();
    await page.keyboard.type('no <b>bold</b> claim');
    await page.keyboard.press('Enter');
    await page.locator('#status[data-changed="true"]').waitFor();
    await page.keyboard.press('n');
    shownAsSaved.push(await savedOn(page, 'call:4'));
    await unitOnScreen(page, 'presser:1');
    await page.screenshot({ path: path.join(artifacts, 'serve-coding.png') });

    // The server is killed: a key pressed now cannot be saved; the page says it is offline.
    const port = new URL(server.origin).port;
    expect(await server.stop('SIGKILL')).not.toBe(0);
    await page.keyboard.press('2');
    await page.locator('#connection[data-state="offline"]').waitFor();
    expect(await page.locator('#connection').textContent()).toContain('offline');
    expect(await page.locator('#saved').getAttribute('data-unit')).toBe('call:4');

    // Restarted on the same port, it prints new links: the old page says so, the new link resumes at presser:1.
    server = await startServe(workspace, ['--by', 'Judge', '--port', port]);
    await page.locator('#connection[data-state="stopped"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('#message').textContent()).toContain('no longer valid');
    await page.goto(server.links.get('coder1')!);
    await unitOnScreen(page, 'presser:1');
    expect(await checked(page, 'trade.tariffs')).toBe(false); // the key pressed offline was lost, nothing else
    await page.keyboard.press('2');
    await waitChecked(page, 'trade.tariffs');
    await page.keyboard.press('n');
    shownAsSaved.push(await savedOn(page, 'presser:1'));

    expect(shownAsSaved).toEqual([
      { unit: 'call:1', codes: ['trade.ntb'], memo: '' },
      { unit: 'call:2', codes: ['trade.tariffs', 'tone.positive'], memo: '' },
      { unit: 'call:3', codes: ['tone.negative'], memo: '' },
      { unit: 'call:4', codes: [], memo: 'no <b>bold</b> claim' },
      { unit: 'presser:1', codes: ['trade.tariffs'], memo: '' },
    ]);
    // The file holds what the page showed as saved once the coder pauses (checkpoint), nothing else.
    await expect.poll(() => fileDecisions('coder1'), { timeout: 15_000 }).toEqual(shownAsSaved);
    // The failed requests while the server was down, and the old link refused after it, are expected.
    expect(
      problems.filter(
        (problem) =>
          !/Failed to load resource: (net::ERR_CONNECTION_REFUSED|the server responded with a status of 403)/.test(
            problem,
          ),
      ),
    ).toEqual([]);
    await page.close();
  });

  it('serves two coders at once, each blind to the other', async () => {
    const [one, two] = await Promise.all([browser.newPage(), browser.newPage()]);
    const problems = [...watch(one), ...watch(two)];
    await Promise.all([one.goto(server.links.get('coder1')!), two.goto(server.links.get('coder2')!)]);
    await unitOnScreen(two, 'call:1');
    await unitOnScreen(one, 'presser:2');
    // coder1 coded call:1 with trade.ntb: coder2's page shows nothing of it.
    expect(await two.locator('input[data-code]:checked').count()).toBe(0);
    expect(await two.locator('#status').textContent()).toBe('not reviewed');
    const pageText = await two.locator('html').textContent();
    expect(pageText).not.toContain('coder1');
    const stateText = await two.evaluate(() => fetch('api/state').then((answer) => answer.text()));
    expect(stateText).not.toContain('coder1');

    // Both code at the same time: coder2 disagrees with coder1 on call:1 to call:3.
    const coder2Keys = async (): Promise<void> => {
      for (const [unit, keys] of [
        ['call:1', ['2']],
        ['call:2', ['2']],
        ['call:3', ['1', '4']],
      ] as const) {
        await unitOnScreen(two, unit);
        for (const key of keys) await two.keyboard.press(key);
        await waitMarked(two, keys.length);
        await two.keyboard.press('n');
        await savedOn(two, unit);
      }
    };
    const coder1Keys = async (): Promise<void> => {
      await one.keyboard.press('3');
      await waitChecked(one, 'tone.positive');
      await one.keyboard.press('n');
      await savedOn(one, 'presser:2');
    };
    await Promise.all([coder2Keys(), coder1Keys()]);
    // Going back on coder2's page shows coder2's own codes only.
    await two.keyboard.press('p');
    await unitOnScreen(two, 'call:3');
    expect(await checked(two, 'trade.ntb')).toBe(true);
    expect(await checked(two, 'tone.negative')).toBe(true);
    await expect
      .poll(async () => (await fileDecisions('coder2')).map((entry) => entry.unit), { timeout: 15_000 })
      .toEqual(['call:1', 'call:2', 'call:3']);
    expect((await fileDecisions('coder1')).find((entry) => entry.unit === 'presser:2')?.codes).toEqual([
      'tone.positive',
    ]);
    expect(problems).toEqual([]);
    await Promise.all([one.close(), two.close()]);
  });

  it('an adjudication through the page equals the same decisions through coding adjudicate --from', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const problems = watch(page);
    await page.goto(server.links.get('adjudication')!);
    await page.locator('#unit-id').waitFor();
    expect(await page.locator('#list li').count()).toBe(3);
    // The same study, as it was before any decision, for coding adjudicate --from.
    const copy = await temporaryFolder('coding-serve-adjudicate-');
    await fs.cp(workspace, copy, { recursive: true });
    for (const name of await fs.readdir(path.join(copy, 'annotations')))
      if (/\.(lock|journal)$/.test(name)) await fs.rm(path.join(copy, 'annotations', name));

    // call:1: a (coder1: trade.ntb; coder2: trade.tariffs), by key, with a rationale.
    expect(await page.locator('#unit-id').textContent()).toContain('call:1');
    expect(await page.locator('#codes-a').textContent()).toContain('trade.ntb');
    expect(await page.locator('#codes-b').textContent()).toContain('trade.tariffs');
    expect(await page.locator('#rules').textContent()).toContain('Rules other than tariffs');
    await page.keyboard.press('a');
    await page.locator('#rationale').fill('"rules" are barriers <here>');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.locator('#saved', { hasText: 'Saved on disk: call:1' }).waitFor();
    // call:2: both, by mouse.
    await page.getByRole('button', { name: /^call:2/ }).click();
    await page.getByLabel(/both \(their union\)/).check();
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.locator('#saved', { hasText: 'Saved on disk: call:2' }).waitFor();
    // call:3: edit, the final codes chosen; first an exclusive pair, which is refused.
    await page.getByRole('button', { name: /^call:3/ }).click();
    await page.keyboard.press('e');
    await page.getByLabel('Positive (tone.positive)').check();
    await page.getByLabel('Negative (tone.negative)').check();
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.locator('#message', { hasText: 'Not saved' }).waitFor();
    expect(await page.locator('#message').textContent()).toContain('exclusive category tone');
    await page.getByLabel('Positive (tone.positive)').uncheck();
    await page.getByLabel('Non-tariff barriers (trade.ntb)').uncheck();
    await page.getByLabel('Tariffs (trade.tariffs)').check();
    await page.locator('#rationale').fill('tariffs, and a negative tone');
    await page.keyboard.press('Control+Enter');
    await page.locator('#saved', { hasText: 'Saved on disk: call:3' }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: path.join(artifacts, 'serve-adjudication.png') });
    expect(await page.locator('#progress').textContent()).toContain('3 of 3 decided');

    await fs.writeFile(
      path.join(copy, 'decisions.csv'),
      'unit_id,decision,codes,rationale\ncall:1,a,,"""rules"" are barriers <here>"\ncall:2,both,,\ncall:3,edit,trade.tariffs tone.negative,"tariffs, and a negative tone"\n',
    );
    const cli = await runCli(['adjudicate', '--from', 'decisions.csv', '--by', 'Judge'], { cwd: copy });
    expect(cli.code, cli.stderr).toBe(0);
    const withoutTime = (text: string): unknown =>
      (parse(text, { columns: true }) as Array<Record<string, string>>).map(({ decided_at, ...row }) => {
        expect(decided_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        return row;
      });
    const throughPage = await readText(workspace, 'annotations/adjudication.csv');
    expect(withoutTime(throughPage)).toEqual(
      withoutTime(await readText(copy, 'annotations/adjudication.csv')),
    );
    expect(withoutTime(throughPage)).toHaveLength(3);
    await fs.rm(copy, { recursive: true, force: true });
    // The one failed request is the refused exclusive pair.
    expect(problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
    await page.close();
  });

  it('shows the red-team text as text: no markup runs, control characters are visible', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(server.links.get('coder2')!);
    await page.locator('#unit-id').waitFor();
    for (const [unit, expected] of [
      ['redteam:1', 'She wrote <script>alert(1)</script> in the chat.'],
      ['redteam:2', 'Then "><img src=x onerror=alert(2)> appeared.'],
      ['redteam:3', 'A bell ␇ and an escape ␛[31mred␛[0m and ⟨U+202E⟩evil.'],
    ] as const) {
      await page.keyboard.press('g');
      await page.keyboard.type(unit);
      await page.keyboard.press('Enter');
      await unitOnScreen(page, unit);
      expect(await page.locator('#text').textContent()).toBe(expected);
    }
    expect(await page.locator('#meta').textContent()).toContain('<b>Mallory</b>');
    expect(await page.locator('#meta').textContent()).toContain(`"><script>alert('title')</script>`);
    expect(await page.locator('.definition', { hasText: 'Disapproving' }).textContent()).toContain(
      "<img src=x onerror=alert('codebook')>",
    );
    // Only the page's own elements: no img, and no script but its two files.
    expect(await page.locator('img').count()).toBe(0);
    expect(
      await page.locator('script').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('src'))),
    ).toEqual(['code.js']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('works with the keyboard alone, at 200 % zoom, with a visible focus', async () => {
    const page = await browser.newPage({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
    await page.goto(server.links.get('coder2')!);
    await page.locator('#unit-id').waitFor();
    // A laptop window of 1280 × 900 at 200 %: nothing runs off to the side.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    // Tab reaches the codes; a focused checkbox shows its outline; Space toggles it.
    let focused = '';
    for (let step = 0; step < 40 && !focused.startsWith('code-'); step++) {
      await page.keyboard.press('Tab');
      focused = String(await page.evaluate("document.activeElement?.id ?? ''"));
    }
    expect(focused).toMatch(/^code-/);
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    const before = await page.locator('input[data-code]:checked').count();
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('input[data-code]:checked').count()).not.toBe(before);
    // Every control has a name for a screen reader.
    const unnamed = await page.evaluate(
      "[...document.querySelectorAll('input, button, textarea')].filter((node) => node.labels?.length === 0 && node.textContent.trim() === '').map((node) => node.outerHTML)",
    );
    expect(unnamed).toEqual([]);
    // ? opens the list of keys, Esc closes it.
    await page.keyboard.press('?');
    await page.locator('#help').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#help').waitFor({ state: 'hidden' });
    // A unit of 14 400 characters opens at once and scrolls in its box, by keyboard too.
    await page.keyboard.press('g');
    await page.keyboard.type('zzlong:1');
    await page.keyboard.press('Enter');
    await unitOnScreen(page, 'zzlong:1');
    const box = page.locator('#text-box');
    const scroll = 'document.getElementById("text-box")';
    expect(await page.evaluate(`${scroll}.scrollHeight > 5 * ${scroll}.clientHeight`)).toBe(true);
    await box.focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => page.evaluate(`${scroll}.scrollTop`)).toBeGreaterThan(0);
    // The connection is lost: the page says so, and carries the key out once it is back.
    const ntb = page.locator('input[data-code="trade.ntb"]');
    const wasMarked = await ntb.isChecked();
    await page.context().setOffline(true);
    await page.keyboard.press('1');
    await page.locator('#connection[data-state="offline"]').waitFor();
    expect(await ntb.isChecked()).toBe(wasMarked);
    await page.context().setOffline(false);
    await page.locator('#connection[data-state="online"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => ntb.isChecked()).toBe(!wasMarked);
    await page.close();
  });
});
