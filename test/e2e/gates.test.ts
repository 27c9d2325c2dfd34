/**
 * Gates per code (issue 15, point 2) on the bundled study, whose coding.yaml sets Krippendorff's
 * gate α ≥ 0.800 (tentative ≥ 0.667) on the estimate: `coding reliability` marks each code and
 * `--check` fails naming the codes, `coding reproduce` has a gate step, and the flagged codes carry
 * "interpret with caution" in the theme tables and the report.
 *
 * The per-code α of the bundled study (two coders, 65 units) are those of `coding reliability`,
 * whose α is checked against published examples in test/stats: rhetoric.framing α = 0.7379 is the
 * only code under 0.800; the SE-based 95 % lower bounds under 0.667 are those of security.drugs
 * (0.6245), security.sovereignty (0.6506), security.fbi (0.5592), rhetoric.praise (0.6506) and
 * rhetoric.framing (0.5190).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyBundledStudy, runCli, snapshot, temporaryFolder } from '../helpers.js';

async function copyStudy(): Promise<string> {
  const target = await temporaryFolder('coding-gates-');
  await copyBundledStudy(target);
  return target;
}

async function editSettings(folder: string, edit: (text: string) => string): Promise<void> {
  const file = path.join(folder, 'coding.yaml');
  await fs.writeFile(file, edit(await fs.readFile(file, 'utf8')));
}

let study: string;
beforeAll(async () => {
  study = await copyStudy();
}, 60_000);

describe('coding reliability with a gate', () => {
  it('marks every code, and --check passes when only tentative codes fall short', async () => {
    const table = await runCli(['reliability', '--check'], { cwd: study });
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/rhetoric\.framing .* tentative\n/);
    expect(table.stdout).toMatch(/trade\.ntb .* reliable\n/);
    expect(table.stdout).toContain(
      'gate α ≥ 0.800 (tentative ≥ 0.667) on the estimate: 8 reliable, 1 tentative, 0 unreliable, 1 undefined; none fails',
    );
    // The headline points to the reason instead of printing a bare "gate: undefined".
    expect(table.stdout).toContain('— gate: verdict undefined (see the gate below)\n');
    expect(table.stdout).toContain('  overall: verdict undefined — not defined for pooled kappa');
    const csv = await runCli(['reliability', '--format', 'csv'], { cwd: study });
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/,note,gate_figure,gate_value,verdict,verdict_reason$/);
    const framing = lines.find((line) => line.startsWith('code,rhetoric.framing,'))!;
    expect(framing).toMatch(/,krippendorff_alpha,0\.7379,tentative,$/);
    const json = JSON.parse((await runCli(['reliability', '--format', 'json'], { cwd: study })).stdout);
    expect(json.gate).toMatchObject({
      statistic: 'alpha',
      min: 0.8,
      tentative: 0.667,
      on: 'estimate',
      failed: [],
      flagged: ['rhetoric.framing'],
    });
    // The pooled overall κ has no α: its verdict is undefined, with the reason.
    expect(json.overall.gate.verdict).toBe('undefined');
    expect(json.overall.gate.reason).toMatch(/not defined for pooled kappa/);
  });

  it('exits 1 under a stricter --require, naming the codes that fail', async () => {
    const result = await runCli(['reliability', '--require', 'alpha:0.8:0.667:ci_low', '--check'], {
      cwd: study,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'fail the gate α ≥ 0.800 (tentative ≥ 0.667) on the lower bound of its confidence interval: security.drugs, security.sovereignty, security.fbi, rhetoric.praise, rhetoric.framing',
    );
  });

  it('refuses a malformed --require, and --check without any gate, with exit 2', async () => {
    const bad = await runCli(['reliability', '--require', 'beta:0.8'], { cwd: study });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--require "beta:0.8" is not a gate');
    const none = await copyStudy();
    await editSettings(none, (text) => text.replace(/ {2}require:[\s\S]*?on: estimate\n/, ''));
    const check = await runCli(['reliability', '--check'], { cwd: none });
    expect(check.code).toBe(2);
    expect(check.stdout).toBe('');
    expect(check.stderr).toContain('--check needs a gate, and none is set');
    // Without a gate, the verdict columns are there and empty, and themes have no caution column.
    const csv = await runCli(['reliability', '--format', 'csv'], { cwd: none });
    expect(csv.stdout.split('\n')[2]).toMatch(/,,,,$/);
    const themes = await runCli(['themes', '--format', 'csv'], { cwd: none });
    expect(themes.stdout.split('\n')[0]).toBe(
      'category,code,label,units,documents,unit_share,document_share',
    );
  });

  it('refuses a wrong gate in coding.yaml with its YAML path, changing no file', async () => {
    const wrong = await copyStudy();
    await editSettings(wrong, (text) => text.replace('on: estimate', 'on: upper'));
    const before = await snapshot(wrong);
    const result = await runCli(['reliability'], { cwd: wrong });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /coding\.yaml:\d+:\d+ {2}reliability\.require\.on {2}expected one of "estimate", "ci_low", received "upper"/,
    );
    await editSettings(wrong, (text) =>
      text.replace('on: upper', 'on: estimate').replace('tentative: 0.667', 'tentative: 0.9'),
    );
    const inverted = await runCli(['themes'], { cwd: wrong });
    expect(inverted.code).toBe(2);
    expect(inverted.stderr).toMatch(/reliability\.require\.tentative {2}tentative must not be above min/);
    await editSettings(wrong, (text) =>
      text.replace('tentative: 0.9', 'tentative: 0.667').replace('on: estimate', 'on: upper'),
    );
    expect(await snapshot(wrong)).toEqual(before);
  });
});

describe('codes that fall short, in the theme tables and the report', () => {
  it('flags them "interpret with caution" in every theme table', async () => {
    const frequencies = await runCli(['themes', '--format', 'csv'], { cwd: study });
    expect(frequencies.code).toBe(0);
    const lines = frequencies.stdout.trim().split('\n');
    expect(lines[0]).toBe('category,code,label,units,documents,unit_share,document_share,caution');
    expect(lines.find((line) => line.includes(',rhetoric.framing,'))).toMatch(
      /,interpret with caution: rhetoric\.framing tentative$/,
    );
    expect(lines.find((line) => line.includes(',trade.ntb,'))).toMatch(/,$/);
    const table = await runCli(['themes', '--triangulation'], { cwd: study });
    expect(table.stdout).toContain('rhetoric.framing †');
    expect(table.stdout).toContain('† interpret with caution: rhetoric.framing tentative');
    const json = JSON.parse(
      (await runCli(['themes', '--cooccurrence', '--by', 'actor', '--format', 'json'], { cwd: study }))
        .stdout,
    );
    const pair = json.cooccurrence.find(
      (row: { code_a: string; code_b: string }) =>
        row.code_a === 'rhetoric.framing' && row.code_b === 'trade.ntb',
    );
    expect(pair.caution).toBe('interpret with caution: rhetoric.framing tentative');
    expect(
      json.by_actor.rows.every(
        (row: { code: string; caution: string }) =>
          row.caution ===
          (row.code === 'rhetoric.framing' ? 'interpret with caution: rhetoric.framing tentative' : ''),
      ),
    ).toBe(true);
  });

  it('marks them in report.html and its CSV files', async () => {
    const result = await runCli(['report', '-o', 'out'], { cwd: study });
    expect(result.code).toBe(0);
    const html = await fs.readFile(path.join(study, 'out', 'report.html'), 'utf8');
    expect(html).toContain('<strong>† Interpret with caution: rhetoric.framing tentative.</strong>');
    expect(html).toContain('title="rhetoric.framing: interpret with caution (tentative)"');
    expect(html).toMatch(
      /<td class="verdict verdict-tentative" title="krippendorff_alpha = 0\.738">tentative<\/td>/,
    );
    for (const file of [
      'frequencies.csv',
      'by-actor.csv',
      'rhetoric.csv',
      'exemplars.csv',
      'cooccurrence.csv',
    ]) {
      const text = await fs.readFile(path.join(study, 'out', file), 'utf8');
      expect(text.split('\n')[0], file).toMatch(/,caution$/);
      expect(text, file).toContain('interpret with caution: rhetoric.framing tentative');
    }
  });
});

describe('coding reproduce with a gate', () => {
  it('fails the gate step, naming the codes, when a code falls below the tentative threshold', async () => {
    // α: security.drugs 0.8411 and rhetoric.framing 0.7379 are under 0.85; security.fbi 0.8502 is not.
    const strict = await copyStudy();
    await editSettings(strict, (text) =>
      text.replace('min: 0.8', 'min: 0.9').replace('tentative: 0.667', 'tentative: 0.85'),
    );
    const result = await runCli(['reproduce', '-o', 'out'], { cwd: strict });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '✗ gate         α ≥ 0.900 (tentative ≥ 0.850) on the estimate: 2 fail (security.drugs, rhetoric.framing); 3 of 9 codes reliable, 4 tentative',
    );
  });
});
