// The machine coders' benchmark (issue 16): `coding autocode --method dictionary` on every unit with
// the bundled codebook's patterns, beside a floor (bench/dictionary-floor.mjs: the same units read
// and one combined RegExp per language, as a competent Node user would write it); and
// `coding autocode --method model` learning from a person's codes of 10,000 units (a tenth of the
// units at smaller sizes) and coding the rest. Each command runs under /usr/bin/time for its wall
// time, CPU time (user + system) and peak RSS. The data are made once and kept (bench/data/autocode-N).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { useBundledCodebookWithPeople, writeAutocodeData } from './autocode-data.mjs';

const hasTime = existsSync('/usr/bin/time');

/** Run a command: wall, user and system seconds and peak RSS (MiB) from /usr/bin/time. */
export function measureCpu(command, args, cwd) {
  const timed = hasTime ? ['/usr/bin/time', ['-f', '%e %U %S %M', command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const result = spawnSync(timed[0], timed[1], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  if (!hasTime) return { seconds, cpu: null, peak: null, stdout: result.stdout };
  const [wall, user, system, peak] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds: wall, cpu: user + system, peak: peak / 1024, stdout: result.stdout };
}

/** The workspace of `size` statements with the bundled codebook and a person's codes ("people"). */
export function prepareWorkspace({ root, node, cli, dataFolder, size, coded }) {
  const folder = path.join(dataFolder, `autocode-${size}`);
  const workspace = path.join(folder, 'workspace');
  const done = path.join(folder, 'workspace.done');
  return (async () => {
    mkdirSync(folder, { recursive: true });
    const files = {
      statements: path.join(folder, 'statements.csv'),
      people: path.join(folder, 'people.csv'),
    };
    if (!existsSync(files.statements) || !existsSync(files.people))
      await writeAutocodeData(files, size, coded, 20260129);
    if (existsSync(done)) return { folder, workspace, files };
    rmSync(workspace, { recursive: true, force: true });
    const run = (args, cwd) => {
      const result = spawnSync(node, [cli, ...args], { cwd, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`coding ${args.join(' ')} failed:\n${result.stderr}`);
    };
    run(['init', workspace], root);
    useBundledCodebookWithPeople(workspace, root);
    run(['import', files.statements], workspace);
    run(['import', '--coder', 'people', files.people], workspace);
    writeFileSync(done, '');
    return { folder, workspace, files };
  })();
}

const mib = (file) => (statSync(file).size / 1048576).toFixed(1);

/** The autocode group of `npm run bench`; `report(group, name, units, measured, extra)` prints a row. */
export async function benchAutocode({ root, node, cli, dataFolder, sizes, report }) {
  for (const size of sizes) {
    const coded = Math.min(10_000, Math.round(size / 10));
    const { workspace, files } = await prepareWorkspace({ root, node, cli, dataFolder, size, coded });
    const row = (name, measured, extra = {}) =>
      report('autocode', name, size, measured, {
        ...(measured.cpu === null ? {} : { cpu_s: measured.cpu.toFixed(2) }),
        ...extra,
      });
    const dictionary = measureCpu(
      node,
      [cli, 'autocode', '--method', 'dictionary', '--as', 'dictionary', '--format', 'json'],
      workspace,
    );
    const floor = measureCpu(node, [path.join(root, 'bench', 'dictionary-floor.mjs'), workspace], workspace);
    const codedUnits = JSON.parse(dictionary.stdout).coded_units;
    row(`dictionary, bundled patterns (${mib(files.statements)} MiB)`, dictionary, {
      coded_units: codedUnits,
      ratio_to_floor: (dictionary.seconds / floor.seconds).toFixed(2),
      ...(dictionary.cpu === null ? {} : { cpu_ratio_to_floor: (dictionary.cpu / floor.cpu).toFixed(2) }),
    });
    row('  floor: one RegExp per language', floor, { coded_units: JSON.parse(floor.stdout).coded_units });
    const model = measureCpu(
      node,
      [cli, 'autocode', '--method', 'model', '--as', 'model', '--train', 'people', '--format', 'json'],
      workspace,
    );
    const result = JSON.parse(model.stdout);
    row(`model, ${coded} training units`, model, {
      vocabulary: result.vocabulary,
      pooled_kappa: result.cross_fitted.pooled_kappa?.toFixed(3) ?? 'undefined',
    });
  }
}
