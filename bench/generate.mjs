// Seeded synthetic data for the benchmarks: a table of statements (one unit each) and two
// coders' annotations of those units. The same seed always writes the same bytes.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createRandom } from '../dist/core/random.js';

const words = (
  'trade tariff barrier customs border security cartel fentanyl sovereignty agreement review ' +
  'president mexico united states canada talks progress cooperation leader wonderful framing ' +
  'voters congress investment automotive agriculture digital rules origin enforcement operation ' +
  'arrest agency statement press conference briefing readout social post news coverage week'
).split(' ');
const actors = [
  'Claudia Sheinbaum',
  'Donald Trump',
  'Jamieson Greer',
  'White House',
  'Reuters',
  'Associated Press',
  'El Universal',
  'CBC News',
];
const genres = ['press conference', 'press release', 'social post', 'news article', 'briefing'];
export const benchCodes = [
  'trade.ntb',
  'trade.tariffs',
  'trade.sectoral',
  'security.drugs',
  'security.sovereignty',
  'security.fbi',
  'rhetoric.praise',
  'rhetoric.framing',
  'rhetoric.domestic',
];

/** Write `count` lines made by `lineAt`, a megabyte at a time, waiting when the stream is full. */
export async function writeLines(file, count, lineAt) {
  const stream = createWriteStream(file);
  let buffer = '';
  for (let index = 0; index < count; index++) {
    buffer += lineAt(index);
    if (buffer.length > 1 << 20) {
      if (!stream.write(buffer)) await once(stream, 'drain');
      buffer = '';
    }
  }
  stream.end(buffer);
  await once(stream, 'finish');
}

/** statements.csv: id,text,actor,genre,date,role — about 150 bytes a row. */
export async function writeStatements(file, count, seed) {
  const random = createRandom(seed);
  await writeLines(file, count + 1, (index) => {
    if (index === 0) return 'id,text,actor,genre,date,role\n';
    const length = 10 + random.nextInt(10);
    let text = '';
    for (let word = 0; word < length; word++)
      text += (word === 0 ? '' : ' ') + words[random.nextInt(words.length)];
    text = `${text[0].toUpperCase()}${text.slice(1)}.`;
    if (random.nextInt(20) === 0) text = `"${text.replace('.', ', he said.')}"`;
    const day = 1 + random.nextInt(28);
    return `s${index},${text},${actors[random.nextInt(actors.length)]},${genres[random.nextInt(genres.length)]},2026-01-${String(day).padStart(2, '0')},${random.nextInt(3) === 0 ? 'secondary' : 'primary'}\n`;
  });
}

/**
 * Codes of one unit for coder A and coder B: A gives each code with its own prevalence; B copies A
 * and departs from it on about one code in ten. About two rows per unit and coder.
 */
function unitCodes(random) {
  const first = [];
  for (let code = 0; code < benchCodes.length; code++)
    if (random.nextInt(100) < 12 + code * 2) first.push(code);
  const second = [];
  for (let code = 0; code < benchCodes.length; code++) {
    const hasA = first.includes(code);
    const flip = random.nextInt(100) < 3;
    if (hasA !== flip) second.push(code);
  }
  return [first, second];
}

/** Unit ids of the workspace shape: statement `s<n>` imported as unit `s<n>:1`. */
export const statementUnitId = (unit) => `s${unit}:1`;

/**
 * Unit ids of the shape of a sentence-segmented corpus, in file order: `D0000001-s001`,
 * `D0000001-s002`, … with 1 to 24 sentences per document (seeded). `idOf(unit)` for units 1…count.
 */
export function documentSentenceIds(count, seed) {
  // Made as they are asked for (in increasing order, starting again at unit 1 for each file), so
  // that 10M ids need no memory.
  let random;
  let id = '';
  let last = 0;
  let document = 0;
  let sentence = 0;
  let sentences = 0;
  return (unit) => {
    if (unit < 1 || unit > count) throw new Error(`unit ${unit} is outside 1…${count}`);
    if (unit === last) return id;
    if (unit < last || last === 0) {
      random = createRandom(seed);
      last = 0;
      document = 0;
      sentence = 0;
      sentences = 0;
    }
    for (; last < unit; last++) {
      if (sentence >= sentences) {
        document++;
        sentence = 0;
        sentences = 1 + random.nextInt(24);
      }
      sentence++;
    }
    id = `D${String(document).padStart(7, '0')}-s${String(sentence).padStart(3, '0')}`;
    return id;
  };
}

/**
 * long.csv (unit_id,coder,code) for both coders, and a.csv / b.csv (unit_id,code) per coder.
 * `idOf(unit)` names the units (1-based), asked for in increasing order.
 */
export async function writeAnnotations(files, count, seed, idOf = statementUnitId) {
  // Each file is written in one pass over the units, drawing every unit's codes again from the same
  // seed, so that no file's size is bounded by the generator's memory (10M units and more).
  const rows = (id, codes, prefix) =>
    codes.length === 0
      ? `${id},${prefix}\n`
      : codes.map((code) => `${id},${prefix}${benchCodes[code]}\n`).join('');
  let random = createRandom(seed);
  let codes;
  await writeLines(files.long, count * 2 + 1, (index) => {
    if (index === 0) return 'unit_id,coder,code\n';
    const unit = Math.ceil(index / 2);
    if (index % 2 === 1) codes = unitCodes(random);
    const coder = index % 2 === 1 ? 0 : 1;
    return rows(idOf(unit), codes[coder], coder === 0 ? 'a,' : 'b,');
  });
  for (const [coder, file] of [
    [0, files.a],
    [1, files.b],
  ]) {
    if (file === undefined) continue;
    random = createRandom(seed);
    await writeLines(file, count + 1, (index) =>
      index === 0 ? 'unit_id,code\n' : rows(idOf(index), unitCodes(random)[coder], ''),
    );
  }
}

/** The bench codebook: three categories of three codes each (`benchCodes`), as codebooks/codebook.yaml. */
/**
 * Make an initialised workspace the bench's: coders a (primary) and b in coding.yaml and, unless
 * `codebook` is false, the bench codebook (`benchCodebookText`).
 */
export async function useBenchCoders(workspace, { codebook = true } = {}) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const path = await import('node:path');
  const settings = path.join(workspace, 'coding.yaml');
  writeFileSync(
    settings,
    readFileSync(settings, 'utf8')
      .replace('primary: coder1', 'primary: a')
      .replace('names: [coder1, coder2]', 'names: [a, b]'),
  );
  if (codebook) writeFileSync(path.join(workspace, 'codebooks', 'codebook.yaml'), benchCodebookText());
}

export function benchCodebookText() {
  return `version: 1\nname: bench\ncategories:\n${['trade', 'security', 'rhetoric']
    .map(
      (category) =>
        `  - id: ${category}\n    label: ${category}\n    codes:\n${benchCodes
          .filter((code) => code.startsWith(`${category}.`))
          .map((code) => `      - id: ${code}\n        label: ${code}\n        definition: ${code}\n`)
          .join('')}`,
    )
    .join('')}`;
}

/**
 * A study of `count` statements written straight into an initialised workspace (as `coding import`
 * and `coding import --coder` would leave it, without their time): the codebook, the corpus store
 * (documents.jsonl, units.csv, corpus.json; statement `s<n>` is unit `s<n>:1`) and the stored
 * annotations of coders a and b (the codes of `writeAnnotations`, units in corpus order). Streamed.
 */
export async function writeStudy(folder, count, seed) {
  const { createHash } = await import('node:crypto');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const path = await import('node:path');
  const corpus = path.join(folder, 'corpus');
  mkdirSync(corpus, { recursive: true });
  mkdirSync(path.join(folder, 'annotations'), { recursive: true });
  writeFileSync(path.join(folder, 'codebooks', 'codebook.yaml'), benchCodebookText());
  const texts = createRandom(seed);
  const textAt = () => {
    const length = 10 + texts.nextInt(10);
    let text = '';
    for (let word = 0; word < length; word++)
      text += (word === 0 ? '' : ' ') + words[texts.nextInt(words.length)];
    return `${text[0].toUpperCase()}${text.slice(1)}.`;
  };
  const metadata = createRandom(seed + 1);
  await writeLines(path.join(corpus, 'documents.jsonl'), count, (index) => {
    const text = textAt();
    const hash = createHash('sha256').update(text).digest('hex');
    const id = `s${index + 1}`;
    const day = String(1 + metadata.nextInt(28)).padStart(2, '0');
    return `{"id":"${id}","actor":"${actors[metadata.nextInt(actors.length)]}","genre":"${genres[metadata.nextInt(genres.length)]}","date":"2026-01-${day}","role":"${metadata.nextInt(3) === 0 ? 'secondary' : 'primary'}","attributes":{},"unit":"document","origin":"statements.csv:${index + 2}","hash":"${hash}","text":"${text}"}\n`;
  });
  // units.csv again from the same seed, so that neither file waits in memory for the other.
  const again = createRandom(seed);
  await writeLines(path.join(corpus, 'units.csv'), count + 1, (index) => {
    if (index === 0) return 'unit_id,doc_id,ordinal,start,end,hash\n';
    const length = 10 + again.nextInt(10);
    let text = '';
    for (let word = 0; word < length; word++)
      text += (word === 0 ? '' : ' ') + words[again.nextInt(words.length)];
    text = `${text[0].toUpperCase()}${text.slice(1)}.`;
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    return `s${index}:1,s${index},1,0,${text.length},${hash}\n`;
  });
  writeFileSync(
    path.join(corpus, 'corpus.json'),
    `${JSON.stringify(
      {
        format: 'coding-corpus',
        version: 1,
        documents: count,
        units: count,
        note: 'Written by coding import. documents.jsonl holds one document a line; units.csv the coding units (offsets in code points).',
      },
      null,
      2,
    )}\n`,
  );
  for (const [coder, name] of [
    [0, 'a'],
    [1, 'b'],
  ]) {
    const random = createRandom(seed + 2);
    await writeLines(path.join(folder, 'annotations', `${name}.csv`), count + 1, (index) => {
      if (index === 0) return 'unit_id,code,memo\n';
      const codes = unitCodes(random)[coder];
      return codes.length === 0
        ? `s${index}:1,,\n`
        : codes.map((code) => `s${index}:1,${benchCodes[code]},\n`).join('');
    });
  }
}
