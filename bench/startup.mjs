// Start-up time (issue 14, point 5): `coding --help` and `coding reliability` on a 10-unit file,
// beside `node -e 0` and beside a bare Node that only loads the modules the command needs (the
// command line library, and for reliability the app module that computes it). Each is run `runs`
// times in turn (interleaved, so that load from other processes on the machine spreads evenly) and
// the median wall time is reported.
//
//   node bench/startup.mjs              20 runs each
//   node bench/startup.mjs --runs 50
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeAnnotations } from './generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'coding');
const node = process.execPath;

/** Node importing these modules and nothing else: what a command cannot start faster than. */
function importOnly(modules) {
  const imports = modules.map((module) => `await import(${JSON.stringify(module)});`).join('');
  return [node, ['--input-type=module', '-e', imports]];
}

function wallSeconds(command, args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return seconds;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Medians in seconds of each case, `runs` runs each, interleaved. */
export async function measureStartup(runs = 20) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'coding-startup-'));
  try {
    const long = path.join(folder, 'long.csv');
    await writeAnnotations({ long, a: path.join(folder, 'a.csv'), b: path.join(folder, 'b.csv') }, 10, 7);
    const commander = pathToFileURL(path.join(root, 'node_modules', 'commander', 'esm.mjs')).href;
    const reliabilityApp = pathToFileURL(path.join(root, 'dist', 'app', 'reliability.js')).href;
    const cases = {
      'node -e 0': [node, ['-e', '0']],
      'node importing commander': importOnly([commander]),
      'coding --help': [node, [cli, '--help']],
      'node importing commander + app/reliability': importOnly([commander, reliabilityApp]),
      'coding reliability --annotations (10 units)': [
        node,
        [cli, 'reliability', '--annotations', long, '--format', 'json'],
      ],
    };
    const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
    for (let run = 0; run < runs; run++)
      for (const [name, [command, args]] of Object.entries(cases))
        times[name].push(wallSeconds(command, args, folder));
    return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The lines `npm run bench` prints: each median, and the two ratios issue 14 asks about. */
export function startupLines(medians) {
  const milliseconds = (seconds) => `${(seconds * 1000).toFixed(0)} ms`;
  const lines = Object.entries(medians).map(
    ([name, seconds]) => `  ${name.padEnd(46)} ${milliseconds(seconds)}`,
  );
  const ratio = (tool, floor) => (medians[tool] / medians[floor]).toFixed(2);
  lines.push(
    `  ratio --help / node importing commander: ${ratio('coding --help', 'node importing commander')}` +
      `; --help / node -e 0: ${ratio('coding --help', 'node -e 0')}`,
    `  ratio reliability / node importing what it needs: ${ratio('coding reliability --annotations (10 units)', 'node importing commander + app/reliability')}` +
      `; reliability / node -e 0: ${ratio('coding reliability --annotations (10 units)', 'node -e 0')}`,
  );
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const index = process.argv.indexOf('--runs');
  const runs = index >= 0 ? Number(process.argv[index + 1]) : 20;
  console.log(`start-up, median of ${runs} runs each (interleaved):`);
  for (const line of startupLines(await measureStartup(runs))) console.log(line);
}
