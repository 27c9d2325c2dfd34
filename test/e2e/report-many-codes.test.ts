import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manyCodeId, manyCodesStudy } from '../../bench/many-codes.mjs';
import { runCli, temporaryWorkspace, writeFiles } from '../helpers.js';

/** report.html of a 2,000-code codebook stays under this (it was 482 MB before the caps). */
const maxReportBytes = 12 * 1024 * 1024;

describe('coding report on a codebook of 2,000 codes', () => {
  it('keeps report.html proportional to what it shows and says what it left out', async () => {
    const workspace = await temporaryWorkspace();
    await writeFiles(workspace, manyCodesStudy({ codes: 2000, units: 400, seed: 3 }));
    const settings = path.join(workspace, 'coding.yaml');
    await fs.writeFile(
      settings,
      (await fs.readFile(settings, 'utf8'))
        .replace('primary: coder1', 'primary: a')
        .replace('names: [coder1, coder2]', 'names: [a, b]')
        .replace(/^( {2}bootstrap:) *\d+/m, '$1 0'),
    );
    for (const args of [
      ['import', 'statements.csv'],
      ['import', '--coder', 'a', 'a.csv'],
      ['import', '--coder', 'b', 'b.csv'],
      ['report', '-o', 'out'],
    ]) {
      const result = await runCli(args, { cwd: workspace });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const out = path.join(workspace, 'out');
    const html = await fs.readFile(path.join(out, 'report.html'), 'utf8');
    expect(html.length).toBeLessThan(maxReportBytes);
    // The heat map and the group tables show 40 codes and say where the rest are.
    expect(html).toContain('Left out: 1,960 codes of 2,000. The heat map shows the 40 codes');
    expect(html).toContain('the full table is in <code>cooccurrence.csv</code>');
    expect(html).toContain('the full table is in <code>by-actor.csv</code>');
    const heatMap = html.slice(
      html.indexOf('id="chart-cooccurrence"'),
      html.indexOf('</svg>', html.indexOf('id="chart-cooccurrence"')),
    );
    expect(heatMap.match(/class="cell( diagonal)?"/g)).toHaveLength(40 * 40);
    // Every code still has its row in the frequency table and the reliability table.
    expect(html).toContain(manyCodeId(0));
    expect(html).toContain(manyCodeId(1999));
    // cooccurrence.csv: the diagonal and the pairs that share a unit, not 4,000,000 rows; the note says so.
    const pairs = (await fs.readFile(path.join(out, 'cooccurrence.csv'), 'utf8')).trim().split('\n');
    expect(pairs[0]).toBe('code_a,code_b,units,jaccard');
    expect(pairs.length - 1).toBeGreaterThanOrEqual(2000);
    expect(pairs.length - 1).toBeLessThan(2000 + 400 * 3 * 3);
    const cells = pairs.slice(1).map((line) => line.split(','));
    expect(cells.filter(([first, second]) => first === second)).toHaveLength(2000);
    expect(cells.filter(([first, second, units]) => first !== second && units === '0')).toHaveLength(0);
    expect(html).toContain('all 2,000 × 2,000 pairs would be 4,000,000 rows');
  }, 120_000);
});
