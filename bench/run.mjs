// `npm run bench`: times and peak memory of the tool on generated data (seeded, so every run
// measures the same bytes). Each measurement runs the built CLI in a child process under
// /usr/bin/time, which reports the wall time and the peak resident set size.
//
//   node bench/run.mjs                     all cases at 10k, 100k and 1M units
//   node bench/run.mjs --sizes 10000       smaller runs
//   node bench/run.mjs --only reliability  one group (import, annotations, reliability, codes, unit, qdpx)
//   node bench/run.mjs --only codes        the report of a 2,000-code codebook (issue 12)
//   node bench/run.mjs --only unit         coding code on a 1 MB unit without spaces (issue 12)
//   node bench/run.mjs --only qdpx         an NVivo-shaped project with two long texts (issue 14)
//   node bench/run.mjs --only export       coding export as CSV and Parquet, long and wide (issue 15)
//   node bench/run.mjs --only startup      start-up: --help and a 10-unit reliability beside node -e 0
//   node bench/run.mjs --only commands     import, themes --by actor, report at the largest size, against the floor
//   node bench/run.mjs --only ratios       reliability at 1M units against pandas and the scanner, PASS/FAIL
//                                          (issue 14); --repeat N runs each N times (default 3),
//                                          --ratio-units N at another size
//   BENCH_10M=1 node bench/run.mjs …       adds the 10M-unit memory line (two 1.2 GB files, minutes)
//   node bench/run.mjs --only autocode     the dictionary and model coders, beside a floor (issue 16)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAutocode } from './autocode.mjs';
import { commandsBench } from './commands.mjs';
import {
  benchCodes,
  documentSentenceIds,
  useBenchCoders,
  writeAnnotations,
  writeStatements,
} from './generate.mjs';
import { manyCodesStudy } from './many-codes.mjs';
import { nvivoMacShapedProject } from './qdpx-project.mjs';
import { reliabilityRatios, reliabilityTenMillion } from './reliability-ratios.mjs';
import { measureStartup, startupLines } from './startup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'coding');
const dataFolder = path.join(root, 'bench', 'data');
const argument = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
};
const sizes = argument('--sizes', '10000,100000,1000000').split(',').map(Number);
const only = argument(
  '--only',
  'startup,import,annotations,export,reliability,commands,codes,unit,qdpx,ratios,autocode',
).split(',');
if (process.env.BENCH_10M === '1' && !only.includes('reliability10m')) only.push('reliability10m');
// The machine coders run at 1M units only, unless --sizes says otherwise.
const autocodeSizes = () => (process.argv.includes('--sizes') ? sizes : [1_000_000]);
const hasTime = existsSync('/usr/bin/time');
const hasPandas =
  spawnSync('/usr/bin/python3', ['-c', 'import pandas, numpy'], { stdio: 'ignore' }).status === 0;

/** Run a command; wall seconds, peak RSS in MiB and CPU seconds (user + system). */
function measure(command, args, cwd, input) {
  const timed = hasTime ? ['/usr/bin/time', ['-f', '%e %M %U %S', command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(timed[0], timed[1], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...(input === undefined ? {} : { input }),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  }
  let peak = null;
  let cpu = null;
  if (hasTime) {
    const last = result.stderr.trim().split('\n').at(-1).split(' ');
    peak = Number(last[1]) / 1024;
    cpu = Number(last[2]) + Number(last[3]);
  }
  return { seconds, peak, cpu, stdout: result.stdout, stderr: result.stderr };
}

const results = [];
function report(group, name, units, measured, extra = {}) {
  const row = {
    group,
    name,
    units,
    seconds: Number(measured.seconds.toFixed(2)),
    peak_mib: measured.peak === null ? null : Math.round(measured.peak),
    ...extra,
  };
  results.push(row);
  const memory = row.peak_mib === null ? '' : `, peak ${row.peak_mib} MiB`;
  const more = Object.entries(extra)
    .map(([key, value]) => `, ${key} ${value}`)
    .join('');
  console.log(
    `${group.padEnd(12)} ${name.padEnd(34)} ${String(units).padStart(8)} units: ${row.seconds.toFixed(2)} s${memory}${more}`,
  );
}

const node = process.execPath;
const mib = (file) => (statSync(file).size / 1048576).toFixed(1);

mkdirSync(dataFolder, { recursive: true });
console.log(
  `coding benchmark on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}${hasTime ? '' : ' (no /usr/bin/time: no memory figures)'}`,
);
if (only.includes('startup')) {
  // Median of 20 interleaved runs each; the ratios are what issue 14 asks about (≤ 2).
  const medians = await measureStartup(20);
  console.log('start-up, median of 20 runs each:');
  for (const line of startupLines(medians)) console.log(line);
  for (const [name, seconds] of Object.entries(medians))
    results.push({ group: 'startup', name, units: 10, seconds: Number(seconds.toFixed(3)), peak_mib: null });
}
for (const size of sizes) {
  const folder = path.join(dataFolder, String(size));
  mkdirSync(folder, { recursive: true });
  const statements = path.join(folder, 'statements.csv');
  const files = {
    long: path.join(folder, 'long.csv'),
    a: path.join(folder, 'a.csv'),
    b: path.join(folder, 'b.csv'),
  };
  if (!existsSync(statements)) await writeStatements(statements, size, 20260129);
  if (!existsSync(files.long)) await writeAnnotations(files, size, 7);
  const workspace = path.join(folder, 'workspace');
  const needsWorkspace = only.includes('import') || only.includes('annotations') || only.includes('export');
  if (needsWorkspace) {
    rmSync(workspace, { recursive: true, force: true });
    measure(node, [cli, 'init', workspace], root);
    // The bench's two coders are a (primary) and b.
    await useBenchCoders(workspace);
    report(
      'import',
      `statements CSV (${mib(statements)} MiB)`,
      size,
      measure(node, [cli, 'import', statements], workspace),
    );
    if (only.includes('import'))
      report(
        'import',
        're-import, nothing changed',
        size,
        measure(node, [cli, 'import', statements], workspace),
      );
  }
  if (only.includes('annotations') || only.includes('export')) {
    report(
      'annotations',
      `import coder a (${mib(files.a)} MiB)`,
      size,
      measure(node, [cli, 'import', '--coder', 'a', files.a], workspace),
    );
    report(
      'annotations',
      `import coder b (${mib(files.b)} MiB)`,
      size,
      measure(node, [cli, 'import', '--coder', 'b', files.b], workspace),
    );
  }
  if (only.includes('export')) {
    // The analysis data set at this size: CSV streams; Parquet holds one row group of 100,000 rows.
    for (const layout of ['long', 'wide'])
      for (const format of ['csv', 'parquet']) {
        const output = path.join(folder, `export-${layout}.${format}`);
        const measured = measure(
          node,
          [cli, 'export', '--layout', layout, '--format', format, '-o', output, '--force'],
          workspace,
        );
        report('export', `export ${layout} ${format}`, size, measured, {
          mib: mib(output),
        });
      }
  }
  if (only.includes('annotations')) {
    report(
      'annotations',
      'merge to CSV, with texts',
      size,
      measure(
        node,
        [cli, 'merge', '--coders', 'a,b', '-o', path.join(folder, 'merge.csv'), '--force'],
        workspace,
      ),
    );
    report(
      'annotations',
      'reliability in the workspace',
      size,
      measure(node, [cli, 'reliability', '--coders', 'a,b', '--format', 'json'], workspace),
    );
    report(
      'annotations',
      'themes --by actor',
      size,
      measure(node, [cli, 'themes', '--by', 'actor', '--format', 'csv'], workspace),
    );
    report(
      'annotations',
      'report (all tables + report.html)',
      size,
      measure(node, [cli, 'report', '-o', path.join(folder, 'report')], workspace),
    );
  }
  if (only.includes('reliability')) {
    const codes = benchCodes.join(',');
    // Two shapes of long file: the workspace's ids (s1:1, s2:1, …) and ids of a sentence-segmented
    // corpus in file order (D0000001-s001, …). Each is read by the tool, by the hand-tuned byte
    // scanner (the floor) and by vectorised pandas + numpy (the competitor); all three must agree.
    const documentsLong = path.join(folder, 'long-documents.csv');
    if (!existsSync(documentsLong)) {
      await writeAnnotations(
        {
          long: documentsLong,
          a: path.join(folder, 'a-documents.csv'),
          b: path.join(folder, 'b-documents.csv'),
        },
        size,
        7,
        documentSentenceIds(size, 11),
      );
    }
    for (const [shape, file] of [
      ['statement ids', files.long],
      ['document-sentence ids', documentsLong],
    ]) {
      const tool = measure(
        node,
        [cli, 'reliability', '--annotations', file, '--codes', codes, '--format', 'json'],
        folder,
      );
      const scanner = measure(node, [path.join(root, 'bench', 'baseline-scanner.mjs'), file], folder);
      const toolReport = JSON.parse(tool.stdout);
      const scannerReport = JSON.parse(scanner.stdout);
      const extra = { ratio_to_scanner: (tool.seconds / scanner.seconds).toFixed(2) };
      let pandas;
      if (hasPandas) {
        pandas = measure('/usr/bin/python3', [path.join(root, 'bench', 'pandas_baseline.py'), file], folder);
        extra.ratio_to_pandas = (tool.seconds / pandas.seconds).toFixed(2);
      }
      report('reliability', `coding reliability, ${shape} (${mib(file)} MiB)`, size, tool, extra);
      report('reliability', `  byte scanner, ${shape}`, size, scanner, {
        pooled_kappa_difference: Math.abs(toolReport.overall.kappa - scannerReport.pooled).toExponential(1),
      });
      if (pandas) {
        report('reliability', `  pandas + numpy, ${shape}`, size, pandas, {
          pooled_kappa_difference: Math.abs(
            toolReport.overall.kappa - JSON.parse(pandas.stdout).pooled,
          ).toExponential(1),
        });
      }
    }
    const boot = measure(
      node,
      [
        cli,
        'reliability',
        '--annotations',
        files.long,
        '--codes',
        codes,
        '--bootstrap',
        '1000',
        '--seed',
        '1',
        '--format',
        'json',
      ],
      folder,
    );
    report('reliability', 'coding reliability --bootstrap 1000', size, boot);
  }
}
if (only.includes('commands')) {
  // Issue 14, point 4: the other commands at the largest size, each beside the scanner's floor.
  if (!hasTime) console.log('commands: skipped (needs /usr/bin/time for CPU time and peak memory)');
  else results.push(...(await commandsBench({ root, cli, node, dataFolder, size: Math.max(...sizes) })));
}
if (only.includes('codes')) {
  // A codebook of 2,000 codes on 2,000 statements: report.html once took 165 s, 4 GB and 482 MB.
  const folder = path.join(dataFolder, 'codes-2000');
  rmSync(folder, { recursive: true, force: true });
  measure(node, [cli, 'init', folder], root);
  for (const [name, text] of Object.entries(manyCodesStudy({ codes: 2000, units: 2000, seed: 1 }))) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), text);
  }
  await useBenchCoders(folder, { codebook: false });
  measure(node, [cli, 'import', 'statements.csv'], folder);
  measure(node, [cli, 'import', '--coder', 'a', 'a.csv'], folder);
  measure(node, [cli, 'import', '--coder', 'b', 'b.csv'], folder);
  const output = path.join(folder, 'report');
  const measured = measure(node, [cli, 'report', '-o', output], folder);
  report('codes', 'report, 2,000 codes (bootstrap 1000)', 2000, measured, {
    report_html_mib: mib(path.join(output, 'report.html')),
    cooccurrence_csv_mib: mib(path.join(output, 'cooccurrence.csv')),
  });
}
if (only.includes('unit')) {
  // One unit of a megabyte without a space: coding code once froze on it (quadratic wrapping).
  const folder = path.join(dataFolder, 'unit-1mb');
  rmSync(folder, { recursive: true, force: true });
  measure(node, [cli, 'init', folder], root);
  const settings = path.join(folder, 'coding.yaml');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/^( {2}unit:) *\w+/m, '$1 document'));
  mkdirSync(path.join(folder, 'docs'));
  writeFileSync(path.join(folder, 'docs', 'huge.md'), `---\nid: huge\n---\nS${'ab'.repeat(512 * 1024)}E\n`);
  measure(node, [cli, 'import', 'docs'], folder);
  // The line mode prints the whole unit, wrapped: an upper bound of what a terminal screen costs.
  report(
    'unit',
    'coding code: open a 1 MB unit, code it, quit',
    1,
    measure(node, [cli, 'code', '--coder', 'bench', '--from', 'huge:1'], folder, '1\nq\n'),
  );
}
if (only.includes('qdpx')) {
  // REFI-QDA import (issue 19): the NVivo for Mac shape (two texts of 600,000 characters, 300
  // selections, 150 codes), then texts 4 and 16 times as long, to show that the time is linear.
  const folder = path.join(dataFolder, 'qdpx');
  mkdirSync(folder, { recursive: true });
  const importCpu = [];
  for (const [name, textLength] of [
    ['NVivo for Mac shape, 2 × 600,000 chars', 600_000],
    ['2 × 2.4 M chars', 2_400_000],
    ['2 × 9.6 M chars', 9_600_000],
  ]) {
    const file = path.join(folder, `project-${textLength}.qdpx`);
    if (!existsSync(file)) writeFileSync(file, nvivoMacShapedProject({ textLength }).archive);
    const workspace = path.join(folder, 'workspace');
    rmSync(workspace, { recursive: true, force: true });
    measure(node, [cli, 'init', workspace], root);
    const measured = measure(node, [cli, 'import', file, '--format', 'json'], workspace);
    report('qdpx', name, JSON.parse(measured.stdout).documents.units.total, measured, {
      characters: 2 * textLength,
    });
    importCpu.push(measured.cpu ?? measured.seconds);
    // And back (issue 20): the imported selections as they were, positions as NVivo counts them.
    const exported = measure(
      node,
      [cli, 'export', '--format', 'qdpx', '-o', 'back.qdpx', '--force'],
      workspace,
    );
    report('qdpx', `${name}, export`, JSON.parse(measured.stdout).documents.units.total, exported, {
      characters: 2 * textLength,
    });
  }
  // Linear means 4 times the text takes about 4 times as long; start-up weighs on the smallest, so
  // each step may take up to 6 times (a quadratic step takes 16).
  const steps = importCpu.slice(1).map((cpu, index) => cpu / importCpu[index]);
  const linear = steps.every((step) => step <= 6);
  console.log(
    `${linear ? 'PASS' : 'FAIL'} qdpx import linear in the text: CPU time × ${steps.map((step) => step.toFixed(2)).join(' and × ')} for 4 times the text (each ≤ 6)`,
  );
}
// Issue 14: reliability at 1M units against pandas and the scanner, and the 10M memory line.
const ratioContext = { measure, results, root, cli, dataFolder, hasPandas, benchCodes };
if (only.includes('ratios'))
  await reliabilityRatios(ratioContext, {
    units: Number(argument('--ratio-units', '1000000')),
    repeat: Number(argument('--repeat', '3')),
  });
if (only.includes('reliability10m')) await reliabilityTenMillion(ratioContext);
if (only.includes('autocode'))
  await benchAutocode({ root, node, cli, dataFolder, sizes: autocodeSizes(), report });
writeFileSync(path.join(dataFolder, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`results in ${path.relative(root, path.join(dataFolder, 'results.json'))}`);
