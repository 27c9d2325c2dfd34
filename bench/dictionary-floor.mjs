// The floor for the dictionary coder (bench/autocode.mjs): what a competent Node user would write
// in a few minutes to code a workspace's units with its codebook's patterns. It reads the same
// corpus files (units.csv and documents.jsonl, line by line with readline), lower-cases each unit,
// runs one combined RegExp per language (one capture group per code), and writes unit_id,code rows.
// It skips what the tool does beyond that (`not` exclusions, full Unicode case folding, the
// pattern that matched first, exclusive categories, the annotation file's format, atomic writes),
// so the tool's time over the floor's is the price of those.
//
//   node bench/dictionary-floor.mjs WORKSPACE      prints {"units": …, "coded_units": …}

import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parse } from 'yaml';

const workspace = process.argv[2];
const settings = parse(readFileSync(path.join(workspace, 'coding.yaml'), 'utf8'));
const codebook = parse(readFileSync(path.join(workspace, settings.codebook), 'utf8'));
const fallbackLanguage = settings.segmentation?.language ?? 'en';

const codes = [];
const visit = (code) => {
  if (code.patterns) codes.push(code);
  for (const child of code.codes ?? []) visit(child);
};
for (const category of codebook.categories) for (const code of category.codes) visit(code);

const word = '[\\p{L}\\p{M}\\p{N}_]';
const escapeLiteral = (text) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
function source(pattern) {
  if (pattern.startsWith('/') && pattern.endsWith('/')) return pattern.slice(1, -1);
  return pattern
    .trim()
    .split(/\s+/)
    .map((part) =>
      part.endsWith('*')
        ? `${escapeLiteral(part.slice(0, -1).toLowerCase())}${word}*`
        : escapeLiteral(part.toLowerCase()),
    )
    .join('\\s+');
}
const regexes = new Map();
function regexFor(language) {
  let regex = regexes.get(language);
  if (!regex) {
    const groups = codes.map((code) => {
      const list = [...(code.patterns.any ?? []), ...(code.patterns[language] ?? [])];
      return list.length === 0 ? '(?!)' : `(${list.map(source).join('|')})`;
    });
    regex = new RegExp(`(?<!${word})(?:${groups.join('|')})(?!${word})`, 'gu');
    regexes.set(language, regex);
  }
  return regex;
}

const documents = readline
  .createInterface({
    input: createReadStream(path.join(workspace, 'corpus', 'documents.jsonl')),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  [Symbol.asyncIterator]();
const units = readline.createInterface({
  input: createReadStream(path.join(workspace, 'corpus', 'units.csv')),
  crlfDelay: Number.POSITIVE_INFINITY,
});
const output = createWriteStream(path.join(workspace, 'floor.csv'));
output.write('unit_id,code\n');
let documentRecord;
let codePoints;
let unitCount = 0;
let codedUnits = 0;
let header = true;
for await (const line of units) {
  if (header) {
    header = false;
    continue;
  }
  const [unitId, docId, , start, end] = line.split(',');
  while (documentRecord?.id !== docId) {
    documentRecord = JSON.parse((await documents.next()).value);
    codePoints = undefined;
  }
  const text = documentRecord.text;
  // Offsets count code points: slice by UTF-16 units when the text has no astral characters.
  let unit;
  if (/[\uD800-\uDBFF]/.test(text)) {
    codePoints ??= Array.from(text);
    unit = codePoints.slice(Number(start), Number(end)).join('');
  } else {
    unit = text.slice(Number(start), Number(end));
  }
  const regex = regexFor((documentRecord.language ?? fallbackLanguage).split('-')[0]);
  const found = new Set();
  for (const match of unit.toLowerCase().matchAll(regex))
    for (let group = 1; group < match.length; group++)
      if (match[group] !== undefined) {
        found.add(group - 1);
        break;
      }
  unitCount++;
  if (found.size === 0) {
    if (!output.write(`${unitId},\n`)) await new Promise((resolve) => output.once('drain', resolve));
    continue;
  }
  codedUnits++;
  let rows = '';
  for (const code of [...found].sort((left, right) => left - right)) rows += `${unitId},${codes[code].id}\n`;
  if (!output.write(rows)) await new Promise((resolve) => output.once('drain', resolve));
}
output.end();
await new Promise((resolve) => output.once('finish', resolve));
console.log(JSON.stringify({ units: unitCount, coded_units: codedUnits }));
