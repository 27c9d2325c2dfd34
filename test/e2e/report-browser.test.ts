/**
 * `coding report` on a copy of the bundled study, its report.html opened in headless Chromium:
 * the charts are drawn, nothing fails, nothing is fetched, and it lays out on a laptop screen and
 * on A4. Screenshots are kept in test-results/ (gitignored) for people to look at.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, runCli, temporaryFolder } from '../helpers.js';

const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(
    `SKIPPED test/e2e/report-browser.test.ts: no Chromium at ${chromiumPath}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH to run the browser test of report.html.`,
  );
}

const artifacts = path.join(repositoryRoot, 'test-results');
/** The printable width of A4 with the report's 12 mm side margins, in CSS pixels (96 per inch). */
const a4ContentWidth = Math.floor(((210 - 24) / 25.4) * 96);

describe.skipIf(!hasChromium)('report.html of the bundled study in Chromium', () => {
  let study: string;
  let reportFile: string;
  let browser: Browser;

  beforeAll(async () => {
    study = await temporaryFolder('coding-report-browser-');
    for (const name of ['coding.yaml', 'codebooks', 'corpus', 'annotations']) {
      await fs.cp(path.join(repositoryRoot, name), path.join(study, name), { recursive: true });
    }
    const result = await runCli(['report', '-o', 'out'], { cwd: study });
    if (result.code !== 0) throw new Error(`coding report failed (${result.code}): ${result.stderr}`);
    reportFile = path.join(study, 'out', 'report.html');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await fs.mkdir(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (study) await fs.rm(study, { recursive: true, force: true });
  });

  it('draws every chart, with no error and no request but for the page itself', async () => {
    const { size } = await fs.stat(reportFile);
    expect(size).toBeGreaterThan(20_000);
    expect(size).toBeLessThan(300 * 1024);

    const pageUrl = pathToFileURL(reportFile).href;
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url === pageUrl ? route.continue() : route.abort();
    });
    await page.goto(pageUrl, { waitUntil: 'load' });

    expect(await page.title()).toBe(
      'USMCA review and the Sheinbaum-Trump dialogue (2026): illustrative reconstruction: report',
    );
    await expect(page.locator('.callout').textContent()).resolves.toContain(
      'illustrative reconstruction, not the study',
    );
    await expect(page.locator('#overall-kappa').textContent()).resolves.toContain('Pooled κ = 0.870');

    // The four charts, each labelled for screen readers.
    expect(await page.locator('svg.chart').count()).toBe(4);
    for (const id of ['chart-frequencies', 'chart-actors', 'chart-reliability', 'chart-cooccurrence']) {
      const chart = page.locator(`svg#${id}`);
      expect(await chart.isVisible(), id).toBe(true);
      expect(await chart.getAttribute('role')).toBe('img');
      expect((await chart.locator(`title#${id}-title`).textContent())?.length, id).toBeGreaterThan(5);
      const box = await chart.boundingBox();
      expect(box!.height, id).toBeGreaterThan(150);
    }
    // Nine codes in three categories; κ for the overall figure and each code; a 9 × 9 heat map.
    expect(await page.locator('#chart-frequencies rect.bar.code').count()).toBe(9);
    expect(await page.locator('#chart-frequencies rect.bar.category').count()).toBe(3);
    expect(await page.locator('#chart-reliability .kappa-point').count()).toBe(10);
    expect(await page.locator('#chart-reliability g.interval.bootstrap').count()).toBe(10);
    expect(await page.locator('#chart-reliability g.interval.wald').count()).toBe(9);
    expect(await page.locator('#chart-cooccurrence rect.cell').count()).toBe(81);
    expect(await page.locator('#chart-cooccurrence rect.cell.diagonal').count()).toBe(9);
    // The actor chart has a bar for every actor and code with units in by-actor.csv.
    const byActor = parse(await fs.readFile(path.join(study, 'out', 'by-actor.csv'), 'utf8'), {
      columns: true,
    }) as Array<Record<string, string>>;
    const cells = byActor.filter(
      (row) => row['group'] !== '(all)' && row['code'] !== '(any code)' && Number(row['units']) > 0,
    );
    expect(cells.length).toBeGreaterThan(40);
    expect(await page.locator('#chart-actors rect.bar').count()).toBe(cells.length);

    for (const id of [
      'summary',
      'frequencies',
      'actors',
      'groups',
      'reliability',
      'cooccurrence',
      'triangulation',
      'rhetoric',
      'exemplars',
      'disagreements',
      'inputs',
    ]) {
      expect(await page.locator(`#${id}`).isVisible(), id).toBe(true);
    }
    expect(await page.locator('table.rhetoric tbody').count()).toBeGreaterThan(5);
    expect(await page.locator('#exemplars blockquote').count()).toBe(27);
    expect(await page.locator('table.disagreements tbody tr').count()).toBe(13);
    const text = await page.locator('body').textContent();
    expect(text).not.toMatch(/\bNaN\b|\bnull\b|\[object Object\]|Infinity/);
    // Fits a laptop screen: nothing wider than the window.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);

    await page.screenshot({ path: path.join(artifacts, 'report.png'), fullPage: true });

    // Print: A4, sections on their own pages, charts within the printable width.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: a4ContentWidth, height: 1000 });
    for (const chart of await page.locator('svg.chart').all()) {
      expect((await chart.boundingBox())!.width).toBeLessThanOrEqual(a4ContentWidth);
    }
    // Paper does not scroll: every table fits the printable width too.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(a4ContentWidth);
    const overflowing = `[...document.querySelectorAll('.table-wrap')].filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1).map((wrap) => wrap.firstElementChild.className)`;
    expect(await page.evaluate(overflowing)).toEqual([]);
    expect(await page.evaluate('getComputedStyle(document.querySelector("#reliability")).breakBefore')).toBe(
      'page',
    );
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: path.join(artifacts, 'report-print.png'), fullPage: true });
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    const pages = pdf.match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(10);
    expect(pages).toBeLessThan(40);

    expect(problems).toEqual([]);
    expect(requests).toEqual([pageUrl]);
    await page.close();
  });
});
