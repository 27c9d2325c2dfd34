// Issue 14, point 2: `coding reliability` at 1M units against vectorised pandas + numpy and the
// hand-written byte scanner, on three inputs — a long file with the workspace's ids (s1:1, s2:1, …),
// a long file with the ids of a sentence-segmented corpus in file order (D0000001-s001, …), and a
// study of 1M units (corpus store and two coders' stored files, `coding reliability` inside it) —
// and the peak memory at 10M units. The three programs run interleaved, `repeat` times each, and
// the medians are compared: run in the same minutes, they share the machine's load. The verdict
// uses CPU time (user + system), which a loaded machine inflates far less than wall time; both
// are printed.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  documentSentenceIds,
  statementUnitId,
  useBenchCoders,
  writeAnnotations,
  writeStudy,
} from './generate.mjs';

export const targets = { pandas: 1.0, scanner: 1.5, peakMib: 400, tenMillionBytes: 1e9 };

const median = (values) => {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const load = () => os.loadavg()[0].toFixed(1);

/** The 1M inputs, made when missing (seeded: every run measures the same bytes). */
async function ratioInputs(context, units) {
  const folder = path.join(context.dataFolder, String(units));
  mkdirSync(folder, { recursive: true });
  const statementLong = path.join(folder, 'long.csv');
  if (!existsSync(statementLong))
    await writeAnnotations(
      { long: statementLong, a: path.join(folder, 'a.csv'), b: path.join(folder, 'b.csv') },
      units,
      7,
    );
  const documentLong = path.join(folder, 'long-documents.csv');
  if (!existsSync(documentLong))
    await writeAnnotations(
      {
        long: documentLong,
        a: path.join(folder, 'a-documents.csv'),
        b: path.join(folder, 'b-documents.csv'),
      },
      units,
      7,
      documentSentenceIds(units, 11),
    );
  const study = path.join(context.dataFolder, `study-${units}`);
  if (!existsSync(path.join(study, 'annotations', 'b.csv'))) {
    rmSync(study, { recursive: true, force: true });
    context.measure(process.execPath, [context.cli, 'init', study], context.root);
    await useBenchCoders(study, { codebook: false });
    await writeStudy(study, units, 5);
  }
  const codes = context.benchCodes.join(',');
  const coderFiles = [path.join(study, 'annotations', 'a.csv'), path.join(study, 'annotations', 'b.csv')];
  return [
    {
      shape: 'statement ids, long file',
      coding: ['reliability', '--annotations', statementLong, '--codes', codes, '--format', 'json'],
      cwd: folder,
      inputs: [statementLong],
    },
    {
      shape: 'document-sentence ids, long file',
      coding: ['reliability', '--annotations', documentLong, '--codes', codes, '--format', 'json'],
      cwd: folder,
      inputs: [documentLong],
    },
    {
      shape: 'workspace study',
      coding: ['reliability', '--coders', 'a,b', '--bootstrap', '0', '--format', 'json'],
      cwd: study,
      inputs: coderFiles,
    },
  ];
}

/** Measure the three programs on each input, `repeat` times interleaved; print the table and the verdicts. */
export async function reliabilityRatios(context, { units = 1_000_000, repeat = 3 } = {}) {
  if (!context.hasPandas) console.log('ratios: pandas + numpy not found (apt-get install python3-pandas)');
  const inputs = await ratioInputs(context, units);
  const loadBefore = load();
  const rows = [];
  for (const input of inputs) {
    const programs = {
      coding: () => context.measure(process.execPath, [context.cli, ...input.coding], input.cwd),
      scanner: () =>
        context.measure(
          process.execPath,
          [path.join(context.root, 'bench', 'baseline-scanner.mjs'), ...input.inputs],
          input.cwd,
        ),
      ...(context.hasPandas
        ? {
            pandas: () =>
              context.measure(
                '/usr/bin/python3',
                [path.join(context.root, 'bench', 'pandas_baseline.py'), ...input.inputs],
                input.cwd,
              ),
          }
        : {}),
    };
    const runs = Object.fromEntries(Object.keys(programs).map((name) => [name, []]));
    for (let round = 0; round < repeat; round++)
      for (const [name, run] of Object.entries(programs)) runs[name].push(run());
    const pooled = (name, run) => {
      const report = JSON.parse(run.stdout);
      return name === 'coding' ? report.overall.kappa : report.pooled;
    };
    const kappa = pooled('coding', runs.coding[0]);
    const summary = {};
    for (const [name, measured] of Object.entries(runs)) {
      summary[name] = {
        wall: median(measured.map((run) => run.seconds)),
        cpu: median(measured.map((run) => run.cpu ?? run.seconds)),
        peak: Math.max(...measured.map((run) => run.peak ?? 0)),
        kappaDifference: Math.abs(pooled(name, measured[0]) - kappa),
      };
    }
    rows.push({ shape: input.shape, summary });
  }
  const loadAfter = load();

  console.log(
    `\nreliability at ${units.toLocaleString('en')} units: median of ${repeat} interleaved runs each (load average ${loadBefore} before, ${loadAfter} after)`,
  );
  const header = [
    'input',
    'program',
    'wall s',
    'CPU s',
    'peak MiB',
    'wall ×pandas',
    'CPU ×pandas',
    'wall ×scanner',
    'CPU ×scanner',
    'pooled κ diff',
  ];
  const widths = [33, 15, 7, 7, 9, 12, 12, 13, 13, 13];
  const line = (cells) =>
    cells
      .map((cell, index) =>
        index < 2 ? String(cell).padEnd(widths[index]) : String(cell).padStart(widths[index]),
      )
      .join(' ');
  console.log(line(header));
  const verdicts = [];
  if (units !== 1_000_000)
    console.log('(the targets are set for 1M units; at other sizes start-up weighs more)');
  for (const { shape, summary } of rows) {
    const names = { coding: 'coding', pandas: 'pandas + numpy', scanner: 'byte scanner' };
    for (const [name, figures] of Object.entries(summary)) {
      const ratio = (other, key) =>
        summary[other] && name === 'coding' ? (figures[key] / summary[other][key]).toFixed(2) : '';
      console.log(
        line([
          name === 'coding' ? shape : '',
          names[name],
          figures.wall.toFixed(2),
          figures.cpu.toFixed(2),
          Math.round(figures.peak),
          ratio('pandas', 'wall'),
          ratio('pandas', 'cpu'),
          ratio('scanner', 'wall'),
          ratio('scanner', 'cpu'),
          name === 'coding' ? '' : figures.kappaDifference.toExponential(1),
        ]),
      );
      context.results.push({
        group: 'ratios',
        name: `${shape}: ${names[name]}`,
        units,
        seconds: Number(figures.wall.toFixed(2)),
        cpu_seconds: Number(figures.cpu.toFixed(2)),
        peak_mib: Math.round(figures.peak),
      });
    }
    const coding = summary.coding;
    const checks = [
      summary.pandas
        ? [
            `CPU ${(coding.cpu / summary.pandas.cpu).toFixed(2)}× pandas ≤ ${targets.pandas}`,
            coding.cpu <= targets.pandas * summary.pandas.cpu,
          ]
        : ['pandas not measured', false],
      [
        `CPU ${(coding.cpu / summary.scanner.cpu).toFixed(2)}× scanner ≤ ${targets.scanner}`,
        coding.cpu <= targets.scanner * summary.scanner.cpu,
      ],
      [`peak ${Math.round(coding.peak)} MiB ≤ ${targets.peakMib}`, coding.peak <= targets.peakMib],
      ['same pooled κ (1e-9)', Object.values(summary).every((figures) => figures.kappaDifference <= 1e-9)],
    ];
    const pass = checks.every(([, ok]) => ok);
    verdicts.push(pass);
    console.log(
      `${pass ? 'PASS' : 'FAIL'} ${shape}: ${checks.map(([text, ok]) => `${text} ${ok ? 'ok' : 'NOT MET'}`).join('; ')}`,
    );
  }
  return verdicts.every(Boolean);
}

/** The 10M-unit memory line: `coding reliability --annotations` on both id shapes, peak ≤ 1 GB. */
export async function reliabilityTenMillion(context, { units = 10_000_000 } = {}) {
  const codes = context.benchCodes.join(',');
  let pass = true;
  for (const [shape, folderName, idOf] of [
    ['document-sentence ids', 'docs10m', documentSentenceIds(units, 11)],
    ['statement ids', 'statements10m', statementUnitId],
  ]) {
    const folder = path.join(context.dataFolder, folderName);
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'long.csv');
    if (!existsSync(file)) await writeAnnotations({ long: file }, units, 7, idOf);
    const measured = context.measure(
      process.execPath,
      [context.cli, 'reliability', '--annotations', file, '--codes', codes, '--format', 'json'],
      folder,
    );
    const bytes = (measured.peak ?? Number.NaN) * 1048576;
    const ok = bytes <= targets.tenMillionBytes;
    pass &&= ok;
    console.log(
      `${ok ? 'PASS' : 'FAIL'} reliability at ${units.toLocaleString('en')} units, ${shape} (${(readFileSize(file) / 1e9).toFixed(2)} GB): peak ${(bytes / 1e9).toFixed(2)} GB (${Math.round(measured.peak)} MiB) ≤ 1 GB; ${measured.seconds.toFixed(1)} s wall, ${measured.cpu?.toFixed(1)} s CPU (load average ${load()})`,
    );
    context.results.push({
      group: 'reliability10m',
      name: shape,
      units,
      seconds: Number(measured.seconds.toFixed(2)),
      cpu_seconds: measured.cpu,
      peak_mib: Math.round(measured.peak),
    });
  }
  return pass;
}

function readFileSize(file) {
  return statSync(file).size;
}
