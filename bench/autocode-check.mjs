// Do two builds of the tool code the same way? Runs the dictionary coder (with and without
// --ignore-accents) and the model coder with each build on copies of the bundled study and of a
// generated study of a few thousand English and Spanish units (bench/autocode-data.mjs), and
// compares every file they write byte for byte. For changes meant to make the machine coders
// faster without changing what they write (issue 16).
//
//   node bench/autocode-check.mjs OTHER_BUILD [UNITS]
//
// OTHER_BUILD is the folder of another built copy of the tool (with bin/coding and dist/), e.g.
// `git worktree add /tmp/before main && (cd /tmp/before && npm ci)`. Exit 0 when all files agree.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBundledCodebookWithPeople, writeAutocodeData } from './autocode-data.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const other = path.resolve(process.argv[2] ?? '');
const units = Number(process.argv[3] ?? 5000);
if (!existsSync(path.join(other, 'bin', 'coding'))) {
  console.error(
    'usage: node bench/autocode-check.mjs OTHER_BUILD [UNITS]  (OTHER_BUILD: a built copy of the tool)',
  );
  process.exit(2);
}
const builds = { this: path.join(root, 'bin', 'coding'), other: path.join(other, 'bin', 'coding') };
const scratch = mkdtempSync(path.join(os.tmpdir(), 'coding-autocode-check-'));

function run(cli, args, cwd) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`coding ${args.join(' ')} failed in ${cwd}:\n${result.stderr}`);
  return result.stdout;
}

/** The bundled study and a generated one, each ready to code (made with this build). */
async function studies() {
  const bundled = path.join(scratch, 'bundled');
  for (const part of ['coding.yaml', 'codebooks', 'corpus', 'annotations'])
    cpSync(path.join(root, part), path.join(bundled, part), { recursive: true });
  const generated = path.join(scratch, 'generated');
  const files = {
    statements: path.join(scratch, 'statements.csv'),
    people: path.join(scratch, 'people.csv'),
  };
  await writeAutocodeData(files, units, Math.round(units / 5), 7);
  run(builds.this, ['init', generated], scratch);
  useBundledCodebookWithPeople(generated, root);
  run(builds.this, ['import', files.statements], generated);
  run(builds.this, ['import', '--coder', 'people', files.people], generated);
  return [
    { name: 'bundled study', folder: bundled, trainer: 'coder1' },
    { name: `generated study of ${units} units`, folder: generated, trainer: 'people' },
  ];
}

const runs = (trainer) => [
  ['autocode', '--method', 'dictionary', '--as', 'dictionary', '--format', 'json'],
  ['autocode', '--method', 'dictionary', '--as', 'accents', '--ignore-accents', '--format', 'json'],
  ['autocode', '--method', 'model', '--as', 'model', '--train', trainer, '--format', 'json'],
];

let differences = 0;
try {
  for (const study of await studies()) {
    const outputs = {};
    for (const [build, cli] of Object.entries(builds)) {
      const copy = path.join(scratch, `${path.basename(study.folder)}-${build}`);
      cpSync(study.folder, copy, { recursive: true });
      const stdout = runs(study.trainer).map((args) => run(cli, args, copy));
      const annotations = path.join(copy, 'annotations');
      outputs[build] = { stdout, annotations };
    }
    const names = readdirSync(outputs.this.annotations).filter((name) => !name.startsWith('.'));
    for (const name of names) {
      const mine = readFileSync(path.join(outputs.this.annotations, name));
      const theirs = path.join(outputs.other.annotations, name);
      const same = existsSync(theirs) && mine.equals(readFileSync(theirs));
      if (!same) differences++;
      console.log(
        `${same ? 'same     ' : 'DIFFERENT'} ${study.name}: annotations/${name} (${mine.length} bytes)`,
      );
    }
    outputs.this.stdout.forEach((text, index) => {
      const same = text === outputs.other.stdout[index];
      if (!same) differences++;
      console.log(
        `${same ? 'same     ' : 'DIFFERENT'} ${study.name}: output of coding ${runs('').at(index).slice(0, 5).join(' ')}`,
      );
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(differences === 0 ? 'every file and output is the same' : `${differences} differences`);
process.exitCode = differences === 0 ? 0 : 1;
