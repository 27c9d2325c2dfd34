/**
 * A machine coder as the study's primary coder (issue 16, point 4), on a copy of the bundled
 * study: the dictionary coder codes every unit; coder1's work is cut to a third of the units so
 * that the machine has units of its own; `coders.primary: dictionary`. People's codes must still
 * stand wherever a person coded, the machine's fill the rest, and every theme table, report file
 * and methods.md must carry "machine-coded by dictionary (dictionary), validated at κ = … on n
 * units" with the κ and n worked out here from the annotation files, by hand. With a human
 * primary, a machine coder changes no theme table.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledCodeIds, copyBundledStudy, runCli, temporaryFolder } from '../helpers.js';

const codes: readonly string[] = bundledCodeIds;
/** The theme outputs compared before and after the machine coder: every format and table flag. */
const themeRuns = [
  ['themes', '--format', 'csv'],
  ['themes', '--format', 'markdown', '--by', 'actor', '--cooccurrence', '--triangulation', '--rhetoric'],
  ['themes', '--format', 'latex', '--exemplars', '2'],
  ['themes', '--format', 'json', '--by', 'genre'],
];
/** Report files built on the final codes. */
const reportTables = ['frequencies', 'by-actor', 'cooccurrence', 'triangulation', 'exemplars', 'rhetoric'];

let study: string;
const before = new Map<string, string>();
const humanPrimary = new Map<string, string>();
const reportBefore = new Map<string, string>();
const reportHumanPrimary = new Map<string, string>();

/** Unit → sorted codes ('' for reviewed, no code) of a coder's CSV. */
async function codesOf(file: string): Promise<Map<string, string[]>> {
  const rows = parse(await fs.readFile(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
  const units = new Map<string, string[]>();
  for (const row of rows) {
    const list = units.get(row['unit_id']!) ?? [];
    if (row['code'] !== '') list.push(row['code']!);
    units.set(row['unit_id']!, list);
  }
  for (const list of units.values()) list.sort();
  return units;
}

async function runAll(runs: string[][], into: Map<string, string>): Promise<void> {
  for (const args of runs) {
    const result = await runCli(args, { cwd: study });
    expect(result.code, result.stderr).toBe(0);
    into.set(args.join(' '), result.stdout);
  }
}

async function reportFiles(folder: string, into: Map<string, string>): Promise<void> {
  const result = await runCli(['report', '-o', folder], { cwd: study });
  expect(result.code, result.stderr).toBe(0);
  for (const name of reportTables)
    for (const extension of ['csv', 'tex'])
      into.set(
        `${name}.${extension}`,
        await fs.readFile(path.join(study, folder, `${name}.${extension}`), 'utf8'),
      );
}

async function setPrimary(target: string, coder: string): Promise<void> {
  const file = path.join(target, 'coding.yaml');
  const yaml = await fs.readFile(file, 'utf8');
  await fs.writeFile(file, yaml.replace(/^ {2}primary: coder1 .*$/m, `  primary: ${coder}`));
}

beforeAll(async () => {
  study = await temporaryFolder('coding-machine-primary-');
  await copyBundledStudy(study);
  await runAll(themeRuns, before);
  await reportFiles('before', reportBefore);
  const autocode = await runCli(['autocode', '--method', 'dictionary', '--as', 'dictionary'], { cwd: study });
  expect(autocode.code, autocode.stderr).toBe(0);
  await runAll(themeRuns, humanPrimary);
  await reportFiles('human-primary', reportHumanPrimary);
  // coder1 keeps the sample units and those of two documents; the dictionary codes the rest.
  const sample = new Set(
    (await fs.readFile(path.join(study, 'annotations', 'sample.csv'), 'utf8'))
      .split('\n')
      .map((line) => line.split(',')[0]),
  );
  const coder1 = path.join(study, 'annotations', 'coder1.csv');
  const lines = (await fs.readFile(coder1, 'utf8')).trimEnd().split('\n');
  const kept = lines
    .slice(1)
    .filter((line) => sample.has(line.split(',')[0]) || line.startsWith('ap-') || line.startsWith('cbc-'));
  await fs.writeFile(coder1, `${[lines[0], ...kept].join('\n')}\n`);
  await setPrimary(study, 'dictionary');
}, 180_000);

/** People's final codes worked out from the files: adjudicated, else agreed or one coder's, else coder1's. */
async function peoplesFinalCodes(): Promise<Map<string, string[]>> {
  const annotations = path.join(study, 'annotations');
  const coder1 = await codesOf(path.join(annotations, 'coder1.csv'));
  const coder2 = await codesOf(path.join(annotations, 'coder2.csv'));
  const adjudicated = new Map(
    (
      parse(await fs.readFile(path.join(annotations, 'adjudication.csv'), 'utf8'), {
        columns: true,
      }) as Array<Record<string, string>>
    ).map((row) => [row['unit_id']!, row['codes']!.split(' ').filter(Boolean).sort()]),
  );
  const final = new Map<string, string[]>();
  for (const unit of new Set([...coder1.keys(), ...coder2.keys(), ...adjudicated.keys()]))
    final.set(unit, adjudicated.get(unit) ?? coder1.get(unit) ?? coder2.get(unit)!);
  return final;
}

/** Pooled κ (De Vries et al. 2008) by hand: (mean p_o − mean p_e) / (1 − mean p_e) over the codes' 2×2 tables. */
function pooledKappa(a: Map<string, string[]>, b: Map<string, string[]>): { kappa: number; n: number } {
  const shared = [...a.keys()].filter((unit) => b.has(unit));
  let observed = 0;
  let expected = 0;
  for (const code of codes) {
    let both = 0;
    let onlyA = 0;
    let onlyB = 0;
    for (const unit of shared) {
      const inA = a.get(unit)!.includes(code);
      const inB = b.get(unit)!.includes(code);
      if (inA && inB) both++;
      else if (inA) onlyA++;
      else if (inB) onlyB++;
    }
    const n = shared.length;
    const neither = n - both - onlyA - onlyB;
    observed += (both + neither) / n;
    const pA = (both + onlyA) / n;
    const pB = (both + onlyB) / n;
    expected += pA * pB + (1 - pA) * (1 - pB);
  }
  observed /= codes.length;
  expected /= codes.length;
  return { kappa: (observed - expected) / (1 - expected), n: shared.length };
}

async function expectedLabel(): Promise<{ label: string; kappa: number; n: number; machineUnits: number }> {
  const people = await peoplesFinalCodes();
  const machine = await codesOf(path.join(study, 'annotations', 'dictionary.csv'));
  const { kappa, n } = pooledKappa(people, machine);
  const machineUnits = [...machine.keys()].filter((unit) => !people.has(unit)).length;
  return {
    label: `machine-coded by dictionary (dictionary), validated at κ = ${kappa.toFixed(2)} on ${n} units (its codes stand on the ${machineUnits} of 326 units no person coded)`,
    kappa,
    n,
    machineUnits,
  };
}

describe('a human primary coder', () => {
  it('keeps every theme table and report table byte-identical when a machine coder joins', () => {
    expect(humanPrimary.size).toBe(themeRuns.length);
    for (const [run, output] of before) {
      expect(humanPrimary.get(run), run).toBe(output);
      expect(output).not.toContain('machine-coded');
    }
    for (const [name, content] of reportBefore) expect(reportHumanPrimary.get(name), name).toBe(content);
  });
});

describe('coders.primary naming a machine coder', () => {
  it("keeps people's codes wherever a person coded and fills the rest with the machine's", async () => {
    const result = await runCli(['codes', '--final', '--format', 'csv'], { cwd: study });
    expect(result.code, result.stderr).toBe(0);
    const rows = parse(result.stdout, { columns: true }) as Array<Record<string, string>>;
    const final = new Map<string, { codes: string[]; source: string }>();
    for (const row of rows) {
      const entry = final.get(row['unit_id']!) ?? { codes: [], source: row['source']! };
      if (row['code'] !== '') entry.codes.push(row['code']!);
      final.set(row['unit_id']!, entry);
    }
    const people = await peoplesFinalCodes();
    const machine = await codesOf(path.join(study, 'annotations', 'dictionary.csv'));
    expect(final.size).toBe(326);
    let differing = 0;
    for (const [unit, entry] of final) {
      const codes = [...entry.codes].sort();
      if (people.has(unit)) {
        expect(codes, unit).toEqual(people.get(unit));
        expect(entry.source).not.toBe('machine');
        if (JSON.stringify(people.get(unit)) !== JSON.stringify(machine.get(unit))) differing++;
      } else {
        expect(codes, unit).toEqual(machine.get(unit));
        expect(entry.source).toBe('machine');
      }
    }
    // The machine disagrees with people on some of their units, and loses there.
    expect(differing).toBeGreaterThan(5);
    // The exports say the same, unit by unit, in their basis column.
    const wide = await runCli(['export', '--layout', 'wide'], { cwd: study });
    expect(wide.code, wide.stderr).toBe(0);
    const exported = parse(wide.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(exported).toHaveLength(final.size);
    for (const row of exported) expect(row['basis'], row['unit_id']).toBe(final.get(row['unit_id']!)!.source);
  });

  it('labels every theme table with the κ and n worked out from the annotation files', async () => {
    const expected = await expectedLabel();
    expect(expected.n).toBeGreaterThan(50);
    expect(expected.machineUnits).toBeGreaterThan(100);
    const json = await runCli(['themes', '--format', 'json'], { cwd: study });
    expect(json.code, json.stderr).toBe(0);
    const codedBy = JSON.parse(json.stdout).coded_by;
    expect(codedBy).toMatchObject({
      coder: 'dictionary',
      method: 'dictionary',
      definition: 'pooled',
      n: expected.n,
      machine_units: expected.machineUnits,
      final_units: 326,
      label: expected.label,
    });
    expect(codedBy.kappa).toBeCloseTo(expected.kappa, 9);
    const csv = await runCli(['themes', '--format', 'csv', '--by', 'actor'], { cwd: study });
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!).at(-1)).toBe('coded_by');
    expect(rows.every((row) => row['coded_by'] === expected.label)).toBe(true);
    for (const args of [
      ['themes'],
      [
        'themes',
        '--format',
        'markdown',
        '--cooccurrence',
        '--triangulation',
        '--rhetoric',
        '--exemplars',
        '1',
      ],
    ]) {
      const result = await runCli(args, { cwd: study });
      expect(result.code, result.stderr).toBe(0);
      // Markdown escapes nothing in the label but the parentheses stay; one label per table.
      const tables = args.includes('markdown') ? 4 : 1;
      expect(result.stdout.split(expected.label).length - 1, args.join(' ')).toBe(tables);
    }
    const latex = await runCli(['themes', '--format', 'latex', '--by', 'genre'], { cwd: study });
    expect(latex.stdout).toContain(`${expected.label.replace('κ', '\\ensuremath{\\kappa}')}\\par`);
  });

  it('labels the report: every theme CSV and .tex file, report.html and methods.md', async () => {
    const expected = await expectedLabel();
    const result = await runCli(['report', '-o', 'machine'], { cwd: study });
    expect(result.code, result.stderr).toBe(0);
    const folder = path.join(study, 'machine');
    for (const name of reportTables) {
      const csv = await fs.readFile(path.join(folder, `${name}.csv`), 'utf8');
      const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
      expect(rows.length, name).toBeGreaterThan(0);
      expect(
        rows.every((row) => row['coded_by'] === expected.label),
        name,
      ).toBe(true);
      const tex = await fs.readFile(path.join(folder, `${name}.tex`), 'utf8');
      expect(tex, name).toContain(expected.label.replace('κ', '\\ensuremath{\\kappa}'));
    }
    // People's agreement is not about the final codes: the reliability table has no label.
    expect(await fs.readFile(path.join(folder, 'reliability.tex'), 'utf8')).not.toContain('machine-coded');
    const html = await fs.readFile(path.join(folder, 'report.html'), 'utf8');
    // Frequencies, by actor, other groupings, co-occurrence, triangulation, rhetoric, exemplars.
    expect(
      html.split(`<p class="note-box machine-primary" role="note"><strong>Final codes ${expected.label}.`)
        .length - 1,
    ).toBe(7);
    const methods = await fs.readFile(path.join(folder, 'methods.md'), 'utf8');
    expect(methods).toContain('## Machine coders');
    expect(methods).toContain(`Every theme table says: “${expected.label}”.`);
    expect(methods).toContain(
      `Against the people's final codes on the ${expected.n} units both cover, its pooled κ (De Vries et al. 2008) is ${expected.kappa.toFixed(3)}.`,
    );
    expect(methods).toContain('9 codes have patterns');
    expect(methods).toContain('Grimmer, J., Roberts, M. E., & Stewart, B. M. (2022). Text as Data');
    expect(methods).not.toContain('Gilardi');
  });

  it("trains a model coder on people's final codes only, the machine primary's left out", async () => {
    const expected = await expectedLabel();
    const result = await runCli(['autocode', '--method', 'model', '--as', 'model', '--format', 'json'], {
      cwd: study,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      training_units: expected.n,
      coded_by_full_model: expected.machineUnits,
      trained_on: "people's final codes",
    });
  });

  it('says loudly, in every table, that a machine primary nobody checked is not validated', async () => {
    const alone = await temporaryFolder('coding-machine-alone-');
    await copyBundledStudy(alone);
    const autocode = await runCli(['autocode', '--method', 'dictionary', '--as', 'dictionary'], {
      cwd: alone,
    });
    expect(autocode.code, autocode.stderr).toBe(0);
    for (const name of [
      'coder1.csv',
      'coder1.meta.json',
      'coder2.csv',
      'coder2.meta.json',
      'adjudication.csv',
    ])
      await fs.rm(path.join(alone, 'annotations', name));
    await setPrimary(alone, 'dictionary');
    const result = await runCli(['themes', '--format', 'csv'], { cwd: alone });
    expect(result.code, result.stderr).toBe(0);
    const label =
      'machine-coded by dictionary (dictionary), NOT VALIDATED: no person coded any unit it coded (its codes stand on the 326 of 326 units no person coded)';
    expect(result.stderr).toContain(label);
    const rows = parse(result.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.every((row) => row['coded_by'] === label)).toBe(true);
  });
});
