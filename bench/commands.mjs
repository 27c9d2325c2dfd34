// `npm run bench -- --only commands`: import, themes --by actor and report at 1M units (issue 14,
// point 4), each beside the floor — the byte scanner (bench/floor-scanner.mjs) reading the same
// bytes in the same minute — with the ratio of CPU times (user + system: the machine may be
// shared) and a PASS or FAIL against the targets below (the README says why these).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { useBenchCoders, writeAnnotations } from './generate.mjs';
import { writeMixedStatements } from './statements-mixed.mjs';

/** CPU time of the command ÷ CPU time of the floor scanner on the same bytes; peak RSS in MiB. */
export const commandTargets = {
  import: { ratio: 25, peakMib: 500 },
  'import --unit sentence': { ratio: 50, peakMib: 500 },
  'themes --by actor': { ratio: 4, peakMib: 500 },
  report: { ratio: 10, peakMib: 500 },
};

/** Run under /usr/bin/time: wall, user + system seconds, peak RSS (MiB). */
function timed(command, args, cwd) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  const [wall, user, system, peak] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, cpu: user + system, peak: peak / 1024, stdout: result.stdout };
}

function filesOf(folder, extensions) {
  return readdirSync(folder)
    .filter((name) => extensions.some((extension) => name.endsWith(extension)))
    .sort()
    .map((name) => path.join(folder, name));
}

/** Generate the data (once), set up the study, measure; returns result rows for results.json. */
export async function commandsBench({ root, cli, node, dataFolder, size }) {
  const folder = path.join(dataFolder, `commands-${size}`);
  mkdirSync(folder, { recursive: true });
  const statements = path.join(folder, 'statements.csv');
  const annotations = {
    long: path.join(folder, 'long.csv'),
    a: path.join(folder, 'a.csv'),
    b: path.join(folder, 'b.csv'),
  };
  if (!existsSync(statements)) await writeMixedStatements(statements, size, 20261130);
  if (!existsSync(annotations.b)) await writeAnnotations(annotations, size, 5);
  const scanner = path.join(root, 'bench', 'floor-scanner.mjs');
  const rows = [];
  const line = (name, command, floor, target) => {
    const ratio = command.cpu / floor.cpu;
    const pass = ratio <= target.ratio && command.peak < target.peakMib;
    rows.push({
      group: 'commands',
      name,
      units: size,
      seconds: command.wall,
      cpu_seconds: Number(command.cpu.toFixed(2)),
      peak_mib: Math.round(command.peak),
      floor_cpu_seconds: Number(floor.cpu.toFixed(2)),
      ratio_to_floor: Number(ratio.toFixed(2)),
      target_ratio: target.ratio,
      target_peak_mib: target.peakMib,
      pass,
    });
    console.log(
      `commands     ${name.padEnd(24)} ${String(size).padStart(8)} units: ${command.wall.toFixed(2)} s wall, ` +
        `${command.cpu.toFixed(2)} s CPU, peak ${Math.round(command.peak)} MiB; floor ${floor.cpu.toFixed(2)} s CPU ` +
        `(${floor.wall.toFixed(2)} s wall); ratio ${ratio.toFixed(2)} (target ≤ ${target.ratio}, peak < ${target.peakMib} MiB): ${pass ? 'PASS' : 'FAIL'}`,
    );
  };

  const setUp = async (workspace) => {
    rmSync(workspace, { recursive: true, force: true });
    timed(node, [cli, 'init', workspace], root);
    await useBenchCoders(workspace);
  };

  // Import: one unit per statement (the study measured below), then sentence units in a second
  // workspace; each beside the scanner reading the CSV.
  const workspace = path.join(folder, 'workspace');
  await setUp(workspace);
  const imported = timed(node, [cli, 'import', statements], workspace);
  line('import', imported, timed(node, [scanner, statements], folder), commandTargets.import);
  const sentences = path.join(folder, 'workspace-sentences');
  await setUp(sentences);
  const segmented = timed(node, [cli, 'import', '--unit', 'sentence', statements], sentences);
  line(
    'import --unit sentence',
    segmented,
    timed(node, [scanner, statements], folder),
    commandTargets['import --unit sentence'],
  );
  rmSync(sentences, { recursive: true, force: true });

  timed(node, [cli, 'import', '--coder', 'a', annotations.a], workspace);
  timed(node, [cli, 'import', '--coder', 'b', annotations.b], workspace);
  // What themes and report read: the corpus store and the annotation files.
  const studyFiles = [
    ...filesOf(path.join(workspace, 'corpus'), ['.jsonl', '.csv']),
    ...filesOf(path.join(workspace, 'annotations'), ['.csv']),
  ];
  const studyMib = studyFiles.reduce((sum, file) => sum + statSync(file).size, 0) / 1048576;
  const themes = timed(node, [cli, 'themes', '--by', 'actor', '--format', 'csv'], workspace);
  line(
    'themes --by actor',
    themes,
    timed(node, [scanner, ...studyFiles], folder),
    commandTargets['themes --by actor'],
  );
  const report = timed(node, [cli, 'report', '-o', path.join(folder, 'report')], workspace);
  line('report', report, timed(node, [scanner, ...studyFiles], folder), commandTargets.report);
  // What the commands wrote, to compare two builds: the corpus store, the themes table, the report.
  writeFileSync(path.join(folder, 'themes-by-actor.csv'), themes.stdout);
  const digests = Object.fromEntries(
    [
      ['documents.jsonl', path.join(workspace, 'corpus', 'documents.jsonl')],
      ['units.csv', path.join(workspace, 'corpus', 'units.csv')],
      ['themes --by actor', path.join(folder, 'themes-by-actor.csv')],
      ['report manifest', path.join(folder, 'report', 'manifest.json')],
    ].map(([name, file]) => [
      name,
      createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16),
    ]),
  );
  console.log(
    `commands     sha256: ${Object.entries(digests)
      .map(([name, digest]) => `${name} ${digest}`)
      .join(', ')}`,
  );
  console.log(
    `commands     (CSV ${(statSync(statements).size / 1048576).toFixed(1)} MiB; study files read by themes and report ${studyMib.toFixed(1)} MiB)`,
  );
  return rows;
}
