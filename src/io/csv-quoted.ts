/**
 * The fields of one CSV record with quoted fields, read by hand for the common well-formed case
 * (a statement table where most texts hold a comma, so most rows are quoted): calling csv-parse
 * for each such row cost a third of `coding import` on a million statements. Only records that
 * csv-parse reads without question are taken — each quote opens a field, closes it right before
 * a delimiter or the end, or is doubled inside it; no carriage return anywhere; a line break only
 * inside quotes. Anything else gives `undefined`, and the caller asks csv-parse, which then gives
 * its own reading or its own error. A property test checks that both agree.
 */

const quote = 34;
const lineFeed = 10;
const carriageReturn = 13;

/**
 * The fields of `text` (one record, delimiter of one character), or undefined when the record is
 * not of the simple kind described above.
 * @example splitQuotedRecord('s1,"a, ""b""",x', ',') // ['s1', 'a, "b"', 'x']
 */
export function splitQuotedRecord(text: string, delimiter: string): string[] | undefined {
  if (text === '' || delimiter.length !== 1 || text.includes('\r')) return undefined;
  const separator = delimiter.charCodeAt(0);
  if (separator === quote || separator === lineFeed || separator === carriageReturn) return undefined;
  const fields: string[] = [];
  const length = text.length;
  let position = 0;
  for (;;) {
    if (position < length && text.charCodeAt(position) === quote) {
      // A quoted field: up to the quote that is not doubled, which must end the field.
      let value = '';
      let from = position + 1;
      for (;;) {
        const next = text.indexOf('"', from);
        if (next < 0) return undefined;
        if (text.charCodeAt(next + 1) === quote) {
          value += text.slice(from, next + 1);
          from = next + 2;
          continue;
        }
        value += text.slice(from, next);
        position = next + 1;
        break;
      }
      fields.push(value);
      if (position === length) return fields;
      if (text.charCodeAt(position) !== separator) return undefined;
      position++;
      continue;
    }
    // An unquoted field: no quote and no line break in it.
    let end = text.indexOf(delimiter, position);
    if (end < 0) end = length;
    for (let index = position; index < end; index++) {
      const code = text.charCodeAt(index);
      if (code === quote || code === lineFeed) return undefined;
    }
    fields.push(text.slice(position, end));
    if (end === length) return fields;
    position = end + 1;
  }
}
