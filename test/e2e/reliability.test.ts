import { describe, expect, it } from 'vitest';
import { fixtureStudy } from '../fixtures/study.js';
import { runCli, temporaryFolder, writeFiles } from '../helpers.js';

/** Two coders, three codes, six units both reviewed (u7 only A, u8 only B). */
const pair = `unit_id,coder,code
u1,A,x
u1,B,x
u2,A,x
u2,A,y
u2,B,y
u3,A,
u3,B,
u4,A,z
u4,B,x
u5,A,y
u5,B,y
u6,A,
u6,B,z
u7,A,x
u8,B,x
`;

const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThan(1e-9);
};

describe('coding reliability on explicit files', () => {
  it('computes per-code figures and the pooled κ, matching statsmodels and a hand computation', async () => {
    const folder = await temporaryFolder();
    await writeFiles(folder, { 'pair.csv': pair });
    const result = await runCli(['reliability', '--annotations', 'pair.csv', '--format', 'json'], {
      cwd: folder,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.coders).toEqual(['A', 'B']);
    expect(report.n_units).toBe(6);
    expect(report.units_not_shared).toBe(2);
    const [x, y, z] = report.codes;
    // statsmodels 0.13.5 (Debian): cohens_kappa([[1, 1], [1, 3]]) → kappa 0.24999999999999986,
    // std_kappa 0.41221581119602874, kappa_low -0.5579281438021794, kappa_upp 1.057928143802179
    expect(x.table).toEqual([
      [1, 1],
      [1, 3],
    ]);
    close(x.kappa, 0.24999999999999986);
    close(x.se, 0.41221581119602874);
    close(x.ci_low, -0.5579281438021794);
    close(x.ci_high, 1.057928143802179);
    close(x.observed_agreement, 2 / 3);
    close(x.expected_agreement, 5 / 9);
    // cohens_kappa([[2, 0], [0, 4]]) → kappa 1.0, std_kappa 0.0
    close(y.kappa, 1);
    close(y.se, 0);
    // cohens_kappa([[0, 1], [1, 4]]) → kappa -0.20000000000000057, std_kappa 0.13856406460550896
    close(z.kappa, -0.2);
    close(z.se, 0.13856406460550896);
    // Byrt et al. (1993): PABAK = 2 p_o − 1; PI = (a − d)/n; BI = (b − c)/n.
    close(x.pabak, 1 / 3);
    close(x.prevalence_index, (1 - 3) / 6);
    close(x.bias_index, 0);
    // Pooled κ (De Vries et al. 2008), computed by hand in Python from the three tables:
    // mean p_o = (2/3 + 1 + 2/3)/3, mean p_e = (5/9 + 5/9 + 13/18)/3 → 0.42857142857142827
    expect(report.overall.definition).toBe('pooled');
    close(report.overall.kappa, 0.42857142857142827);
    expect(report.overall.se).toBeNull();
    expect(report.overall.reasons.se).toContain('not defined for pooled kappa');
  });

  it('uses the nominal κ when every unit has at most one code, and --overall overrides', async () => {
    const folder = await temporaryFolder();
    const single = pair.replace('u2,A,x\n', '');
    await writeFiles(folder, { 'single.csv': single });
    const auto = JSON.parse(
      (await runCli(['reliability', '--annotations', 'single.csv', '--format', 'json'], { cwd: folder }))
        .stdout,
    );
    expect(auto.overall.definition).toBe('nominal');
    expect(auto.overall.values).toEqual(['x', 'y', 'z', 'none']);
    // Nominal table (A rows, B columns; x y z none): u1 x/x, u2 y/y, u3 none/none, u4 z/x, u5 y/y, u6 none/z.
    expect(auto.overall.table).toEqual([
      [1, 0, 0, 0],
      [0, 2, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 1, 1],
    ]);
    // scikit-learn 1.2: cohen_kappa_score(['x','y','none','z','y','none'], ['x','y','none','x','y','z']) → 0.5555555555555556
    close(auto.overall.kappa, 0.5555555555555556);
    const pooled = JSON.parse(
      (
        await runCli(
          ['reliability', '--annotations', 'single.csv', '--overall', 'pooled', '--format', 'json'],
          { cwd: folder },
        )
      ).stdout,
    );
    expect(pooled.overall.definition).toBe('pooled');
  });

  it('counts "none" as a category only when it occurs: Brennan–Prediger 0.835 on cont3x3abstractors', async () => {
    // Gwet (2014) cont3x3abstractors, rows abstractor 1, columns abstractor 2, every unit coded.
    const table = [
      [13, 0, 0],
      [0, 20, 7],
      [0, 4, 56],
    ];
    const codes = ['Ectopic', 'AIU', 'NIU'];
    const lines = ['unit_id,coder,code'];
    let unit = 0;
    for (const [row, cells] of table.entries())
      for (const [column, count] of cells.entries())
        for (let index = 0; index < count; index++) {
          unit++;
          lines.push(`u${unit},A,${codes[row]}`, `u${unit},B,${codes[column]}`);
        }
    const folder = await temporaryFolder();
    await writeFiles(folder, { 'c.csv': `${lines.join('\n')}\n` });
    const result = await runCli(
      [
        'reliability',
        '--annotations',
        'c.csv',
        '--overall',
        'nominal',
        '--codes',
        codes.join(','),
        '--format',
        'json',
      ],
      { cwd: folder },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.overall.values).toEqual(codes);
    // irrCAC README: bp2.table(cont3x3abstractors) → 0.835 = (3 · 0.89 − 1) / 2, q = 3 (not 4 with "none").
    close(report.overall.brennan_prediger, 0.835);
    // irrCAC README: gwet.ac1.table → 0.8493305; exact fractions (Python) → 0.8493305482313461.
    close(report.overall.gwet_ac1, 0.8493305482313461);
    expect(report.interval).toEqual({ method: 'z', level: 0.95 });
    // --ci t: irrCAC 1.4's bp2.table and gwet.ac1.table run in R 4.2.2 (README: (0.742,0.928), (0.764,0.935)).
    const t = await runCli(
      ['reliability', '--annotations', 'c.csv', '--overall', 'nominal', '--ci', 't', '--format', 'json'],
      { cwd: folder },
    );
    const withT = JSON.parse(t.stdout);
    expect(withT.interval).toEqual({ method: 't', level: 0.95 });
    close(withT.overall.brennan_prediger_se, 0.04693346354148601);
    close(withT.overall.brennan_prediger_ci_low, 0.7418738260443205);
    close(withT.overall.brennan_prediger_ci_high, 0.9281261739556799);
    close(withT.overall.gwet_ac1_ci_low, 0.7635777165684487);
    const text = await runCli(
      ['reliability', '--annotations', 'c.csv', '--overall', 'nominal', '--ci', 't'],
      {
        cwd: folder,
      },
    );
    expect(text.stdout).toContain('95 % CI (t, 99 df, upper bound capped at 1) 0.68 – 0.91');
    expect(text.stdout).toContain('BP 0.835 (0.74 – 0.93)');
    const csv = await runCli(
      ['reliability', '--annotations', 'c.csv', '--overall', 'nominal', '--ci', 't', '--format', 'csv'],
      { cwd: folder },
    );
    expect(csv.stdout.split('\n')[1]).toMatch(/,0\.7419,0\.9281,,,,,,,,,t,"\[\[/);
  });

  it('gives a unit with several codes the composite value a+b under --overall nominal', async () => {
    const folder = await temporaryFolder();
    // u1: A x+y, B x (a disagreement); u2: x+y both; u3: y both; u4: A none, B x.
    await writeFiles(folder, {
      'm.csv':
        'unit_id,coder,code\nu1,A,x\nu1,A,y\nu1,B,x\nu2,A,x\nu2,A,y\nu2,B,y\nu2,B,x\nu3,A,y\nu3,B,y\nu4,A,\nu4,B,x\n',
    });
    const result = await runCli(
      ['reliability', '--annotations', 'm.csv', '--overall', 'nominal', '--format', 'json'],
      { cwd: folder },
    );
    const report = JSON.parse(result.stdout);
    expect(report.overall.values).toEqual(['x', 'y', 'x+y', 'none']);
    // Rows A, columns B: u1 x+y/x, u2 x+y/x+y, u3 y/y, u4 none/x.
    expect(report.overall.table).toEqual([
      [0, 0, 0, 0],
      [0, 1, 0, 0],
      [1, 0, 1, 0],
      [1, 0, 0, 0],
    ]);
    // By hand: p_o = 2/4, p_e = Σ p_i. p_.i = (2/4)(1/4) + (1/4)(1/4) + 0 + 0 = 3/16 → κ = (1/2 − 3/16)/(13/16) = 5/13.
    close(report.overall.kappa, 5 / 13);
    const text = await runCli(['reliability', '--annotations', 'm.csv', '--overall', 'nominal'], {
      cwd: folder,
    });
    expect(text.stdout).toContain('composite value such as a+b');
  });

  it('says why κ is undefined instead of printing NaN, and fixes the code universe with --codes', async () => {
    const folder = await temporaryFolder();
    await writeFiles(folder, { 'same.csv': 'unit_id,coder,code\nu1,A,x\nu1,B,x\nu2,A,x\nu2,B,x\n' });
    const result = await runCli(
      ['reliability', '--annotations', 'same.csv', '--codes', 'x,unused', '--format', 'json'],
      { cwd: folder },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/NaN|Infinity/);
    const report = JSON.parse(result.stdout);
    expect(report.codes.map((code: { code: string }) => code.code)).toEqual(['x', 'unused']);
    expect(report.codes[0].kappa).toBeNull();
    expect(report.codes[0].reasons.kappa).toMatch(/expected agreement is 1/);
    expect(report.codes[1].table).toEqual([
      [0, 0],
      [0, 2],
    ]);
    const table = await runCli(['reliability', '--annotations', 'same.csv'], { cwd: folder });
    expect(table.stdout).toContain('x: κ undefined — expected agreement is 1');
    expect(table.stdout).not.toMatch(/NaN/);
  });

  it('reads stdin with -, and exits 1 when --min-kappa is not met', async () => {
    const folder = await temporaryFolder();
    const low = await runCli(['reliability', '--annotations', '-', '--min-kappa', '0.8', '--format', 'csv'], {
      cwd: folder,
      input: pair,
    });
    expect(low.code).toBe(1);
    expect(low.stderr).toContain('the overall κ 0.4286 is below --min-kappa 0.8');
    expect(low.stdout.split('\n')[0]).toBe(
      'level,code,category,definition,n,observed_agreement,expected_agreement,kappa,se,ci_low,ci_high,bootstrap_ci_low,bootstrap_ci_high,scott_pi,krippendorff_alpha,gwet_ac1,brennan_prediger,pabak,prevalence_index,bias_index,fleiss_kappa,scott_pi_se,scott_pi_ci_low,scott_pi_ci_high,krippendorff_alpha_se,krippendorff_alpha_ci_low,krippendorff_alpha_ci_high,gwet_ac1_se,gwet_ac1_ci_low,gwet_ac1_ci_high,brennan_prediger_se,brennan_prediger_ci_low,brennan_prediger_ci_high,fleiss_kappa_gwet,fleiss_kappa_gwet_se,fleiss_kappa_gwet_ci_low,fleiss_kappa_gwet_ci_high,alpha_boot_ci_low,alpha_boot_ci_high,q_alpha_below_0667,q_alpha_below_0800,ci_method,table,note,gate_figure,gate_value,verdict,verdict_reason',
    );
    expect(low.stdout.split('\n')[1]).toMatch(/^overall,,,pooled,6,[\d.]+,[\d.]+,0\.4286,/);
    const ok = await runCli(['reliability', '--annotations', '-', '--min-kappa', '0.4'], {
      cwd: folder,
      input: pair,
    });
    expect(ok.code).toBe(0);
  });

  it('gives the same bootstrap interval for the same seed, and another for another seed', async () => {
    const folder = await temporaryFolder();
    await writeFiles(folder, { 'pair.csv': pair });
    const run = async (seed: string) =>
      JSON.parse(
        (
          await runCli(
            [
              'reliability',
              '--annotations',
              'pair.csv',
              '--bootstrap',
              '500',
              '--seed',
              seed,
              '--format',
              'json',
            ],
            { cwd: folder },
          )
        ).stdout,
      );
    const first = await run('11');
    const again = await run('11');
    const other = await run('12');
    expect(again.overall.bootstrap_ci_low).toBe(first.overall.bootstrap_ci_low);
    expect(again.codes[0].bootstrap_ci_high).toBe(first.codes[0].bootstrap_ci_high);
    expect(first.bootstrap).toEqual({ resamples: 500, seed: 11, level: 0.95 });
    expect(first.overall.bootstrap_ci_low).toBeLessThanOrEqual(first.overall.kappa);
    expect(first.overall.bootstrap_ci_high).toBeGreaterThanOrEqual(first.overall.kappa);
    expect([other.overall.bootstrap_ci_low, other.overall.bootstrap_ci_high]).not.toEqual([
      first.overall.bootstrap_ci_low,
      first.overall.bootstrap_ci_high,
    ]);
  });

  it('computes Fleiss κ and Krippendorff α with missing data for three coders', async () => {
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal data with missing
    // values: 4 observers × 12 units, alpha = 0.743. Values 1–5 become codes v1–v5, one per unit.
    const matrix = [
      ['1', '2', '3', '3', '2', '1', '4', '1', '2', '', '', ''],
      ['1', '2', '3', '3', '2', '2', '4', '1', '2', '5', '', '3'],
      ['', '3', '3', '3', '2', '3', '4', '2', '2', '5', '1', ''],
      ['1', '2', '3', '3', '2', '4', '4', '1', '2', '5', '1', ''],
    ];
    const lines = ['unit_id,coder,code'];
    for (const [observer, values] of matrix.entries()) {
      for (const [unit, value] of values.entries())
        if (value !== '') lines.push(`u${unit + 1},obs${observer + 1},v${value}`);
    }
    const folder = await temporaryFolder();
    await writeFiles(folder, { 'k.csv': `${lines.join('\n')}\n` });
    const result = await runCli(['reliability', '--annotations', 'k.csv', '--format', 'json'], {
      cwd: folder,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.coders).toEqual(['obs1', 'obs2', 'obs3', 'obs4']);
    expect(report.multi.definition).toBe('nominal');
    // 11 pairable units (unit 12 has one value); nltk 3.8 AnnotationTask(data).alpha() on the same data → 0.743421052631579
    expect(report.multi.n).toBe(11);
    close(report.multi.krippendorff_alpha, 0.7434210526315789);
    expect(report.multi.krippendorff_alpha.toFixed(3)).toBe('0.743');
    // Fleiss' κ generalised to missing ratings over the 11 units coded by two or more: irrCAC 1.4
    // fleiss.kappa.raw(cac.raw4raters[1:11, ]) in R 4.2.2 → 0.76248313090418363 (on all 12 rows,
    // with unit 12 rated once, irrCAC gives 0.76117: unit 12 counts in no figure here).
    close(report.multi.fleiss_kappa_gwet, 0.7624831309041836);
    expect(report.multi.fleiss_n).toBe(8);
    // α's bootstrap (Hayes & Krippendorff 2007): centred on the same α, M = (4 − 1) · 40 / 2 = 60
    // pairs, and byte-identical output for the same seed.
    const args = [
      'reliability',
      '--annotations',
      'k.csv',
      '--bootstrap',
      '2000',
      '--seed',
      '5',
      '--format',
      'json',
    ];
    const first = await runCli(args, { cwd: folder });
    const again = await runCli(args, { cwd: folder });
    expect(again.stdout).toBe(first.stdout);
    const boot = JSON.parse(first.stdout).multi.krippendorff_alpha_bootstrap;
    close(boot.alpha, 0.7434210526315789);
    expect(boot.pairs).toBe(60);
    expect(boot.below.map((entry: { minimum: number }) => entry.minimum)).toEqual([0.667, 0.8]);
    expect(boot.below[0].probability).toBeLessThanOrEqual(boot.below[1].probability);
    const text = await runCli(
      ['reliability', '--annotations', 'k.csv', '--bootstrap', '2000', '--seed', '5'],
      {
        cwd: folder,
      },
    );
    expect(text.stdout).toMatch(
      /α bootstrap \(Hayes & Krippendorff 2007; 2000 resamples of 60 pairs\): 95 % [\d.]+ – [\d.]+; q\(α < 0\.667\) = [\d.]+, q\(α < 0\.800\) = [\d.]+/,
    );
  });

  it('counts units, not (unit, code) items, in the pooled overall of three coders', async () => {
    // Six units, two codes (a, b), several per unit: u1–u4 coded by x, y and z, u5 by two, u6 by one.
    const folder = await temporaryFolder();
    await writeFiles(folder, {
      'p.csv':
        'unit_id,coder,code\nu1,x,a\nu1,y,a\nu1,z,a\nu1,z,b\nu2,x,b\nu2,y,\nu2,z,b\nu3,x,a\nu3,x,b\nu3,y,a\nu3,z,\nu4,x,\nu4,y,\nu4,z,\nu5,x,a\nu5,y,b\nu6,x,a\n',
    });
    const json = await runCli(['reliability', '--annotations', 'p.csv', '--format', 'json'], { cwd: folder });
    expect(json.code, json.stderr).toBe(0);
    const multi = JSON.parse(json.stdout).multi;
    expect(multi.definition).toBe('pooled');
    expect(multi.n).toBe(5);
    expect(multi.fleiss_n).toBe(4);
    expect(multi.items).toBe(10);
    // Fleiss (1971) on the 8 items of u1–u4 (present/absent counts of 3 coders: [3,0] [1,2] [0,3]
    // [2,1] [2,1] [1,2] [0,3] [0,3]), by hand with exact fractions: P̄ = 2/3, P_e = 17/32,
    // κ = 13/45.
    close(multi.fleiss_kappa, 13 / 45);
    const text = await runCli(['reliability', '--annotations', 'p.csv'], { cwd: folder });
    expect(text.stdout).toContain(
      "over the 5 units coded by two or more (10 unit × code items, each counted as independent); Fleiss' κ on the 4 units coded by all 0.289",
    );
  });

  it("makes Fleiss' κ with missing ratings the headline for three or more coders (irrCAC cac.raw5obser)", async () => {
    // irrCAC cac.raw5obser (Gwet 2014): 15 units, 5 observers, values 0–3; only unit 14 has all five.
    const matrix = [
      [1, 1, 2, null, 0, 0, 1, 1, 2, 2, null, 0, 1, 3, 1],
      [1, 1, 3, 0, 0, 0, 0, null, 2, 1, 1, 0, 2, 3, 1],
      [2, 0, 3, 0, 0, 0, 2, 2, 2, 1, 0, 0, 2, 2, 1],
      [null, 1, 3, null, null, null, null, 0, null, 1, 0, 0, 2, 2, null],
      [2, null, null, 0, 0, 0, 1, null, 2, null, null, null, null, 3, 1],
    ];
    const lines = ['unit_id,coder,code'];
    for (const [observer, values] of matrix.entries())
      for (const [unit, value] of values.entries())
        if (value !== null) lines.push(`u${unit + 1},obs${observer + 1},v${value}`);
    const folder = await temporaryFolder();
    await writeFiles(folder, { 'o.csv': `${lines.join('\n')}\n` });
    const json = await runCli(['reliability', '--annotations', 'o.csv', '--ci', 't', '--format', 'json'], {
      cwd: folder,
    });
    const report = JSON.parse(json.stdout);
    // irrCAC 1.4 fleiss.kappa.raw(cac.raw5obser) run in R 4.2.2: 0.45762168677216974, se
    // 0.12045007194006528, t interval (0.19928197591637592, 0.71596139762796351); README prints 0.458.
    close(report.multi.fleiss_kappa_gwet, 0.45762168677216974);
    close(report.multi.fleiss_kappa_gwet_se, 0.12045007194006528);
    close(report.multi.fleiss_kappa_gwet_ci_low, 0.19928197591637592);
    close(report.multi.fleiss_kappa_gwet_ci_high, 0.7159613976279635);
    // Fleiss' own κ on the one unit every observer coded: −0.25 (the issue's figure), kept beside it.
    expect(report.multi.fleiss_n).toBe(1);
    close(report.multi.fleiss_kappa, -0.25);
    const text = await runCli(['reliability', '--annotations', 'o.csv', '--ci', 't'], { cwd: folder });
    expect(text.stdout).toContain("overall Fleiss' κ (nominal) = 0.458");
    expect(text.stdout).toContain('95 % CI (t, 14 df, upper bound capped at 1) 0.20 – 0.72');
    expect(text.stdout).toContain("Fleiss' κ on the 1 units coded by all -0.250");
    const check = await runCli(['reliability', '--annotations', 'o.csv', '--min-kappa', '0.5'], {
      cwd: folder,
    });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('the overall κ 0.4576 is below --min-kappa 0.5');
  });
});

describe('coding reliability: bad input gets a clear message and exit code 2', () => {
  const cases: Array<[string, Record<string, string | Buffer>, string[], RegExp]> = [
    [
      'a file without the needed columns, naming the ones it has',
      { 'f.csv': 'unit,rater,label\nu1,A,x\n' },
      ['--annotations', 'f.csv'],
      /it has no "unit_id" column; the columns are "unit", "rater", "label"/,
    ],
    [
      'one coder only',
      { 'f.csv': 'unit_id,coder,code\nu1,A,x\nu2,A,\n' },
      ['--annotations', 'f.csv'],
      /only one coder \(A\): agreement needs at least 2 coders/,
    ],
    [
      'a coder named in --coders who is absent',
      { 'f.csv': 'unit_id,coder,code\nu1,A,x\nu1,B,x\n' },
      ['--annotations', 'f.csv', '--coders', 'A,C'],
      /coder "C" is not in the annotations[\s\S]*the coders are A, B/,
    ],
    [
      'a coder named twice in --coders (issue 12: it printed κ = 1.000 "almost perfect")',
      { 'f.csv': 'unit_id,coder,code\nu1,A,x\nu1,B,y\nu2,A,y\nu2,B,y\n' },
      ['--annotations', 'f.csv', '--coders', 'A,A'],
      /--coders names coder "A" twice[\s\S]*name each coder once/,
    ],
    [
      'no unit reviewed by both',
      { 'f.csv': 'unit_id,coder,code\nu1,A,x\nu2,B,x\n' },
      ['--annotations', 'f.csv'],
      /no unit was reviewed by both coders \(A, B\)/,
    ],
    [
      'codes not in the given list',
      { 'f.csv': 'unit_id,coder,code\nu1,A,x\nu1,B,w\n' },
      ['--annotations', 'f.csv', '--codes', 'x,y'],
      /f\.csv:3 {2}unit u1: unknown code "w"/,
    ],
    [
      'a non-UTF-8 file',
      { 'f.csv': Buffer.from('unit_id,coder,code\nu1,A,caf\xe9\n', 'latin1') },
      ['--annotations', 'f.csv'],
      /f\.csv:2: the file is not UTF-8 text/,
    ],
  ];
  for (const [name, files, args, message] of cases) {
    it(name, async () => {
      const folder = await temporaryFolder();
      await writeFiles(folder, files);
      const result = await runCli(['reliability', ...args], { cwd: folder });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
    });
  }

  it('codes not in the workspace codebook', async () => {
    const workspace = await fixtureStudy();
    await writeFiles(workspace, {
      'f.csv': 'unit_id,coder,code\ncall:1,A,trade.ntb\ncall:1,B,trade.other\n',
    });
    const result = await runCli(
      ['reliability', '--annotations', 'f.csv', '--codebook', 'codebooks/codebook.yaml'],
      { cwd: workspace },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('f.csv:3  unit call:1: unknown code "trade.other"');
  });
});
