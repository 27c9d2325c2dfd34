/**
 * `coding plan` and `coding sample --plan` on a copy of the bundled study (issue 15, point 1): the
 * sample size for α ≥ 0.800 and the rarest code that sets it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { alphaMinimumSample } from '../../src/core/stats/alpha-sample-size.js';
import { kappaIntervalSample } from '../../src/core/stats/kappa-sample-size.js';
import { copyBundledStudy, readText, runCli, snapshot, temporaryFolder } from '../helpers.js';

interface PlanJson {
  size: number;
  driver: string;
  source: string;
  reviewed: number;
  population: number;
  unplanned: string[];
  codes: Array<{
    code: string;
    units_with_code: number;
    prevalence: number;
    alpha_units: number;
    units: number;
    drives: boolean;
  }>;
}

let study: string;

beforeAll(async () => {
  study = await temporaryFolder('coding-plan-');
  await copyBundledStudy(study);
}, 60_000);

describe('coding plan on the bundled study', () => {
  it('gives the sample size for α ≥ 0.800 and names the rarest code', async () => {
    const result = await runCli(['plan', '--format', 'json'], { cwd: study });
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as PlanJson;
    // The final codes cover all 326 units of the corpus; the rarest code is the one given to the fewest.
    expect(plan.source).toBe('final');
    expect(plan.reviewed).toBe(326);
    const rarest = [...plan.codes].sort((left, right) => left.units_with_code - right.units_with_code)[0]!;
    expect(plan.driver).toBe(rarest.code);
    expect(plan.driver).toBe('rhetoric.praise');
    expect(rarest.units_with_code).toBe(11);
    // Krippendorff's minimum sample for α_min = .800 at significance .05 with p_c = 11/326.
    expect(plan.size).toBe(alphaMinimumSample(0.8, 11 / 326, 0.05).units);
    expect(plan.size).toBe(818);
    expect(plan.unplanned).toEqual([]);
    expect(result.stderr).toContain(
      'plan: double-code at least 818 units for α ≥ 0.800 at significance 0.050; the rarest code, rhetoric.praise (11 of 326 units in the final codes), sets the size',
    );
    expect(result.stderr).toContain("more than the corpus's 326 units");
  });

  it('prints a table marking the code that drives the size, and a CSV', async () => {
    const table = await runCli(['plan'], { cwd: study });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/rhetoric\.praise\s+11\s+0\.0337\s+0\.0337\s+818\s+\d+\s+818\s+\*/);
    const csv = await runCli(['plan', '--format', 'csv', '--method', 'kappa'], { cwd: study });
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('code,units_with_code,prevalence,p_min,alpha_units,kappa_units,units,drives');
    const kappaUnits = kappaIntervalSample(0.8, 0.1, 11 / 326, 0.95).units;
    expect(lines).toContain(`rhetoric.praise,11,0.0337,0.0337,818,${kappaUnits},${kappaUnits},true`);
  });

  it('plans one size for a given prevalence, without a workspace', async () => {
    const folder = await temporaryFolder('coding-plan-none-');
    const result = await runCli(['plan', '--prevalence', '0.25', '--format', 'json'], { cwd: folder });
    expect(result.code).toBe(0);
    // Krippendorff's table (as quoted in the ATLAS.ti manual): p_c = .25, α_min = .800, .05 → 139.
    expect((JSON.parse(result.stdout) as PlanJson).size).toBe(139);
  });

  it.each([
    [['--prevalence', '0'], '--prevalence must be between 0 and 1'],
    [['--prevalence', '1.2'], '--prevalence must be between 0 and 1'],
    [['--alpha-min', '1'], '--alpha-min must be between 0 and 1'],
    [['--alpha-min', '-0.1'], '--alpha-min must be between 0 and 1'],
    [['--level', '1'], '--level must be between 0 and 1'],
    [['--target', '0.9', '--half-width', '0.2'], 'leaves (0, 1)'],
    [['--level', 'abc'], '--level must be a number'],
  ])('refuses %j with exit 2 and changes nothing', async (args, message) => {
    const before = await snapshot(study);
    const result = await runCli(['plan', ...args], { cwd: study });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await snapshot(study)).toEqual(before);
  });
});

describe('coding sample --plan', () => {
  it('refuses --plan with --fraction or --size, and plan options without --plan', async () => {
    const before = await snapshot(study);
    for (const args of [
      ['--plan', '--fraction', '0.2'],
      ['--plan', '--size', '10'],
      ['--alpha-min', '0.7', '--fraction', '0.2'],
    ]) {
      const result = await runCli(['sample', ...args, '--seed', '1', '--force'], { cwd: study });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/not both|add --plan/);
    }
    expect(await snapshot(study)).toEqual(before);
  });

  it('draws the planned size and records the plan in sample.meta.json', async () => {
    const folder = await temporaryFolder('coding-plan-sample-');
    await copyBundledStudy(folder);
    const args = ['sample', '--plan', '--prevalence', '0.3', '--seed', '5', '--force'];
    const result = await runCli(args, { cwd: folder });
    expect(result.code).toBe(0);
    const size = alphaMinimumSample(0.8, 0.3, 0.05).units;
    expect(size).toBe(124);
    const meta = JSON.parse(await readText(folder, 'annotations/sample.meta.json')) as Record<
      string,
      unknown
    >;
    expect(meta['size']).toBe(size);
    expect(meta['size_requested']).toBe(size);
    expect(meta['fraction']).toBeNull();
    expect(meta['plan']).toEqual({
      size,
      driver: '*',
      prevalence: 0.3,
      source: 'given',
      method: 'alpha',
      alpha_min: 0.8,
      level: 0.95,
      target: 0.8,
      half_width: 0.1,
    });
    const rows = (await readText(folder, 'annotations/sample.csv')).trim().split('\n');
    expect(rows).toHaveLength(size + 1);
    // The same command again draws the same sample: nothing to write.
    const files = await snapshot(folder);
    const again = await runCli(args, { cwd: folder });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already holds this sample');
    expect(await snapshot(folder)).toEqual(files);
  });

  it('draws every unit when the plan asks for more than the corpus holds', async () => {
    const folder = await temporaryFolder('coding-plan-all-');
    await copyBundledStudy(folder);
    const result = await runCli(['sample', '--plan', '--seed', '5', '--force', '--format', 'json'], {
      cwd: folder,
    });
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout) as { size: number; plan: { size: number; driver: string } };
    expect(shown.plan).toMatchObject({ size: 818, driver: 'rhetoric.praise' });
    expect(shown.size).toBe(326);
    expect(result.stderr).toContain('more than the corpus holds: all 326 units are drawn');
  });
});
