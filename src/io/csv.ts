/** Helpers shared by the CSV readers (see csv-scan.ts): delimiter detection and column lookup. */
const candidateDelimiters = [',', ';', '\t'];

/** The delimiter of a header line: the candidate that occurs most often outside quotes. */
export function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const candidate of candidateDelimiters) {
    let count = 0;
    let quoted = false;
    for (const character of headerLine) {
      if (character === '"') quoted = !quoted;
      else if (!quoted && character === candidate) count++;
    }
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** The index of a column by name (case-insensitive), or -1. */
export function columnIndex(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  return header.findIndex((column) => column.toLowerCase() === lower);
}

/** `"a", "b", "c"` for messages. */
export function listColumns(header: readonly string[]): string {
  return header.map((column) => `"${column}"`).join(', ');
}
