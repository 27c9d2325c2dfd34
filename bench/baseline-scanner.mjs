// The baseline of the reliability benchmark: a hand-tuned byte scanner that reads a long CSV
// (unit_id,coder,code; no quotes) and computes what `coding reliability` is measured on — per-code
// presence tables, per-code and pooled kappa, and code frequencies — with nothing else: no
// validation, no error messages, no fallback for quoted fields, ASCII ids assumed (latin1 slices).
// It is the floor, not a competitor. Given two or more files, each is one coder's stored file
// (unit_id,code[,memo], as annotations/<coder>.csv of a workspace), read in turn.
//
//   node bench/baseline-scanner.mjs long.csv
//   node bench/baseline-scanner.mjs annotations/a.csv annotations/b.csv
import { closeSync, openSync, readSync } from 'node:fs';

const files = process.argv.slice(2);
/** The coder of every row of the file being read, or −1 for a long file (the coder column). */
let fileCoder = -1;
const chunk = Buffer.allocUnsafe(1 << 22);
const units = new Map();
const codes = new Map();
let carry;
let header;
let lastUnit = '';
let lastEntry;
function line(bytes, start, lineEnd) {
  let end = lineEnd;
  if (header) {
    header = false;
    return;
  }
  const first = bytes.indexOf(44, start);
  let second = bytes.indexOf(44, first + 1);
  const unit = bytes.latin1Slice(start, first);
  let coder = fileCoder;
  if (fileCoder < 0) coder = bytes[first + 1] === 97 ? 0 : 1;
  else {
    // unit_id,code,memo: the code ends at the next comma (an empty memo) or at the line's end.
    second = first;
    end = bytes.indexOf(44, first + 1);
    if (end < 0 || end > lineEnd) end = lineEnd;
  }
  // Rows of one unit follow each other: look the id up only when it changes.
  let entry = unit === lastUnit ? lastEntry : units.get(unit);
  if (entry === undefined) {
    entry = [0, 0, 0, 0];
    units.set(unit, entry);
  }
  lastUnit = unit;
  lastEntry = entry;
  entry[coder] = 1;
  if (second + 1 < end) {
    const code = bytes.latin1Slice(second + 1, end);
    let index = codes.get(code);
    if (index === undefined) {
      index = codes.size;
      codes.set(code, index);
    }
    entry[2 + coder] += 2 ** index;
  }
}
for (const [index, file] of files.entries()) {
  fileCoder = files.length > 1 ? index : -1;
  header = true;
  carry = Buffer.alloc(0);
  lastUnit = '';
  const handle = openSync(file, 'r');
  for (;;) {
    const read = readSync(handle, chunk, 0, chunk.length, null);
    if (read === 0) break;
    const bytes =
      carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
    let start = 0;
    for (let newline = bytes.indexOf(10, start); newline >= 0; newline = bytes.indexOf(10, start)) {
      line(bytes, start, newline);
      start = newline + 1;
    }
    carry = Buffer.from(bytes.subarray(start));
  }
  closeSync(handle);
}
const codeCount = codes.size;
const tables = Array.from({ length: codeCount }, () => [0, 0, 0, 0]);
const frequencies = new Array(codeCount).fill(0);
let n = 0;
for (const [reviewedA, reviewedB, maskA, maskB] of units.values()) {
  if (!reviewedA || !reviewedB) continue;
  n++;
  for (let code = 0; code < codeCount; code++) {
    const a = Math.floor(maskA / 2 ** code) % 2;
    const b = Math.floor(maskB / 2 ** code) % 2;
    tables[code][a * 2 + b]++;
    frequencies[code] += a;
  }
}
let observed = 0;
let expected = 0;
const kappas = tables.map(([neither, onlyB, onlyA, both]) => {
  const po = (both + neither) / n;
  const pa = (both + onlyA) / n;
  const pb = (both + onlyB) / n;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  observed += po;
  expected += pe;
  return (po - pe) / (1 - pe);
});
observed /= codeCount;
expected /= codeCount;
console.log(
  JSON.stringify({
    n,
    codes: [...codes.keys()],
    kappas,
    pooled: (observed - expected) / (1 - expected),
    frequencies,
  }),
);
