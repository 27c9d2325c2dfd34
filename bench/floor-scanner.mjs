// The floor of the other commands' benchmark (issue 14, point 4): read the same bytes as the
// command, looking at each byte once, as the simplest correct reader must — rows and fields of a
// CSV (quoted fields with doubled quotes), lines of a JSON Lines file (strings with backslash
// escapes) — and build nothing: no strings, no records, no validation. It prints the counts, so
// that the work cannot be skipped.
//
//   node bench/floor-scanner.mjs FILE…
import { closeSync, openSync, readSync } from 'node:fs';

const chunk = Buffer.allocUnsafe(1 << 22);
let bytes = 0;
let rows = 0;
let fields = 0;
for (const file of process.argv.slice(2)) {
  const json = file.endsWith('.jsonl') || file.endsWith('.json');
  const handle = openSync(file, 'r');
  let quoted = false;
  let escaped = false;
  for (;;) {
    const read = readSync(handle, chunk, 0, chunk.length, null);
    if (read === 0) break;
    bytes += read;
    for (let index = 0; index < read; index++) {
      const byte = chunk[index];
      if (quoted) {
        if (escaped) escaped = false;
        else if (byte === 92 && json) escaped = true;
        else if (byte === 34) quoted = false;
      } else if (byte === 34) quoted = true;
      else if (byte === 44) fields++;
      else if (byte === 10) {
        rows++;
        fields++;
      }
    }
  }
  closeSync(handle);
}
console.log(JSON.stringify({ bytes, rows, fields }));
