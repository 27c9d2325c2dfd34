/**
 * `coding autocode --method model` on a copy of the bundled study: every unit coded, each unit
 * people coded by a model that did not see it, and the κ that `coding reliability` then gives is
 * the cross-fitted κ the command reports.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, runCli, temporaryFolder } from '../helpers.js';

let study: string;
let first: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  study = await temporaryFolder('coding-autocode-model-');
  await fs.copyFile(path.join(repositoryRoot, 'coding.yaml'), path.join(study, 'coding.yaml'));
  for (const folder of ['codebooks', 'corpus', 'annotations'])
    await fs.cp(path.join(repositoryRoot, folder), path.join(study, folder), { recursive: true });
  first = await runCli(
    ['autocode', '--method', 'model', '--as', 'model', '--train', 'coder1', '--format', 'json'],
    {
      cwd: study,
    },
  );
}, 120_000);

describe('coding autocode --method model', () => {
  it('codes every unit, cross-fitted, with probabilities and a learning curve', async () => {
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({
      coder: 'model',
      method: 'model',
      training_units: 326,
      coded_by_full_model: 0,
    });
    expect(result.learning_curve.map((point: { training_units: number }) => point.training_units)).toEqual([
      65, 130, 196, 261,
    ]);
    const csv = await fs.readFile(path.join(study, 'annotations', 'model.csv'), 'utf8');
    const units = new Set(
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    );
    expect(units.size).toBe(326);
    const probabilities = (
      await fs.readFile(path.join(study, 'annotations', 'model.probabilities.csv'), 'utf8')
    )
      .trim()
      .split('\n');
    expect(probabilities[0]).toBe(
      'unit_id,fold,trade.ntb,trade.tariffs,trade.sectoral,security.drugs,security.sovereignty,security.fbi,rhetoric.praise,rhetoric.framing,rhetoric.domestic',
    );
    expect(probabilities).toHaveLength(327);
    expect(probabilities[1]).toMatch(/^ap-2026-01-30:1,[1-5](,0\.\d{6}){9}$/);
  });

  it('gives in coding reliability the cross-fitted κ it reported, code by code', async () => {
    const reported = JSON.parse(first.stdout).cross_fitted.codes as Array<{
      code: string;
      kappa: number | null;
    }>;
    const result = await runCli(['reliability', '--coders', 'coder1,model', '--format', 'json'], {
      cwd: study,
    });
    expect(result.code).toBe(0);
    const reliability = JSON.parse(result.stdout);
    expect(reliability.n_units).toBe(326);
    for (const row of reported) {
      const figure = reliability.codes.find((code: { code: string }) => code.code === row.code);
      if (row.kappa === null) expect(figure.kappa).toBeNull();
      else expect(figure.kappa).toBeCloseTo(row.kappa, 9);
    }
    expect(reported.some((row) => (row.kappa ?? 0) > 0.3)).toBe(true);
  });

  it('writes byte-identical files when run again with the same seed', async () => {
    const files = ['model.csv', 'model.probabilities.csv', 'model.learning-curve.csv', 'model.autocode.json'];
    const before = await Promise.all(files.map((name) => fs.readFile(path.join(study, 'annotations', name))));
    const again = await runCli(['autocode', '--method', 'model', '--as', 'model', '--train', 'coder1'], {
      cwd: study,
    });
    expect(again.code).toBe(0);
    const after = await Promise.all(files.map((name) => fs.readFile(path.join(study, 'annotations', name))));
    expect(after).toEqual(before);
  });

  it('refuses to learn from a machine coder, and to take the name of another method', async () => {
    const fromMachine = await runCli(
      ['autocode', '--method', 'model', '--as', 'model2', '--train', 'model'],
      {
        cwd: study,
      },
    );
    expect(fromMachine.code).toBe(2);
    expect(fromMachine.stderr).toContain('is a machine coder');
    const otherMethod = await runCli(['autocode', '--method', 'dictionary', '--as', 'model'], { cwd: study });
    expect(otherMethod.code).toBe(2);
    expect(otherMethod.stderr).toContain('was written by the model coder, not the dictionary coder');
  });

  it('is shown in the report, section "Machine coders", against each human coder', async () => {
    const result = await runCli(['report'], { cwd: study });
    expect(result.code).toBe(0);
    const html = await fs.readFile(path.join(study, 'reports', 'report.html'), 'utf8');
    expect(html).toContain('<a href="#machine-coders">Machine coders</a>');
    expect(html).toMatch(/<h4>Against coder1: 326 units, pooled κ \d\.\d{3}<\/h4>/);
    expect(html).toContain('<h4>Against coder2: 65 units');
    expect(html).toContain('<th scope="row">method</th><td>model</td>');
    // methods.md says what the model coder did, from its record, and that its codes are not final.
    const methods = await fs.readFile(path.join(study, 'reports', 'methods.md'), 'utf8');
    expect(methods).toContain('## Machine coders');
    expect(methods).toContain(
      'dealt into 5 folds by a shuffle with seed 1, each fold coded by a model trained on the other folds',
    );
    expect(methods).toContain('with C = 10; a code is given at a probability of at least 0.5.');
    expect(methods).toContain('It learnt from the coder coder1 (326 units).');
    expect(methods).toMatch(/its pooled κ \(De Vries et al\. 2008\) is \d\.\d{3} with coder1 \(326 units\)/);
    expect(methods).toContain("Its codes are not part of the final codes, which are people's.");
    expect(methods).toContain('| Code | κ vs coder1 | 95 % CI | κ vs coder2 | 95 % CI |');
  });

  it('draws the units it is least sure of for people to code next (sample --uncertain), seeded', async () => {
    const trained = await runCli(
      ['autocode', '--method', 'model', '--as', 'fromsample', '--train', 'coder2'],
      {
        cwd: study,
      },
    );
    expect(trained.code).toBe(0);
    expect(trained.stderr).toContain('and 261 other units by the model on all of them');
    const drawn = await runCli(['sample', '--uncertain', '5', '--from', 'fromsample', '--seed', '3'], {
      cwd: study,
    });
    expect(drawn.code).toBe(0);
    const rows = drawn.stdout.trim().split('\n');
    expect(rows[0]).toBe('unit_id,code,probability');
    expect(rows).toHaveLength(6);
    const sampled = new Set(
      (await fs.readFile(path.join(study, 'annotations', 'sample.csv'), 'utf8'))
        .split('\n')
        .map((line) => line.split(',')[0]),
    );
    const distances = rows.slice(1).map((row) => {
      const [unit, , probability] = row.split(',');
      expect(sampled.has(unit)).toBe(false);
      return Math.abs(Number(probability) - 0.5);
    });
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    // No unit outside the draw is nearer 0.5 on any code than the last one drawn.
    const probabilities = (
      await fs.readFile(path.join(study, 'annotations', 'fromsample.probabilities.csv'), 'utf8')
    )
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .filter((cells) => cells[1] === '');
    const nearest = probabilities.map((cells) =>
      Math.min(...cells.slice(2).map((value) => Math.abs(Number(value) - 0.5))),
    );
    expect(nearest.filter((value) => value < distances[4]!).length).toBeLessThanOrEqual(4);
    const again = await runCli(['sample', '--uncertain', '5', '--from', 'fromsample', '--seed', '3'], {
      cwd: study,
    });
    expect(again.stdout).toBe(drawn.stdout);
  });
});
