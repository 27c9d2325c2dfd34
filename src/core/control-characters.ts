/**
 * Control characters in imported documents. The text is data and is stored exactly as it came
 * (an escape sequence in a transcript is part of the record), but a researcher should know it is
 * there: on a terminal the tool shows such characters visibly (see visible-text.ts), and other
 * programs may not. The import warns with the count and the units or metadata fields holding them.
 */
import type { Finding, Location } from '../errors.js';
import type { DocumentRecord } from '../schema/corpus.js';
import { textFields } from '../schema/fields.js';
import { countControlCharacters } from './visible-text.js';

/** What `countControlCharacters` counts, one character at a time. */
const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** The standard fields looked at, in the order they are reported. */
const checkedFields = ['id', ...textFields] as const;

export interface ControlCharactersFound {
  count: number;
  /** 1-based positions, in the document, of the units whose text holds them. */
  units: number[];
  /** Metadata fields holding them. */
  fields: string[];
  /** Whether some are outside every unit (in the white space between units). */
  betweenUnits: boolean;
}

/**
 * The control characters of a document's text and metadata, and where they are; undefined when
 * there are none. Linear in the text; the text is walked only when it holds one.
 * @example controlCharactersOf({ text: 'a\u001b[2J.\nb.' }, [{ start: 0, end: 6 }, { start: 7, end: 9 }]) // { count: 1, units: [1], fields: [], betweenUnits: false }
 */
export function controlCharactersOf(
  record: Pick<DocumentRecord, 'text'> & Partial<DocumentRecord>,
  spans: ReadonlyArray<{ start: number; end: number }>,
): ControlCharactersFound | undefined {
  let count = countControlCharacters(record.text);
  const units: number[] = [];
  let betweenUnits = false;
  if (count > 0) {
    let span = 0;
    let position = 0;
    for (const character of record.text) {
      if (control.test(character)) {
        while (span < spans.length && spans[span]!.end <= position) span++;
        const unit = spans[span];
        if (unit === undefined || unit.start > position) betweenUnits = true;
        else if (units[units.length - 1] !== span + 1) units.push(span + 1);
      }
      position++;
    }
  }
  // Field by field without building a list of pairs: this runs for every imported document.
  const fields: string[] = [];
  for (const name of checkedFields) {
    const value = record[name];
    // The names of standard fields are plain words: only their values can hold control characters.
    const found = value === undefined ? 0 : countControlCharacters(value);
    if (found > 0) {
      count += found;
      fields.push(name);
    }
  }
  const attributes = record.attributes;
  if (attributes !== undefined) {
    for (const name of Object.keys(attributes)) {
      const value = attributes[name];
      const found = value === undefined ? 0 : countControlCharacters(value) + countControlCharacters(name);
      if (found > 0) {
        count += found;
        fields.push(name);
      }
    }
  }
  return count === 0 ? undefined : { count, units, fields, betweenUnits };
}

/** At most this many documents are named one by one; the rest are counted. */
const maxNamed = 20;

/** Collects the documents of an import that hold control characters, as warnings. */
export class ControlCharacterWarnings {
  private readonly named: Finding[] = [];
  private documents = 0;
  private characters = 0;

  add(
    record: Pick<DocumentRecord, 'id' | 'text'> & Partial<DocumentRecord>,
    spans: ReadonlyArray<{ start: number; end: number }>,
    location: Location,
  ): void {
    const found = controlCharactersOf(record, spans);
    if (found === undefined) return;
    this.documents++;
    this.characters += found.count;
    if (this.named.length >= maxNamed) return;
    const where = [
      ...(found.units.length > 0
        ? [
            `the text of unit${found.units.length === 1 ? '' : 's'} ${listOf(found.units.map((unit) => `${record.id}:${unit}`))}`,
          ]
        : []),
      ...(found.fields.length > 0
        ? [`the metadata field${found.fields.length === 1 ? '' : 's'} ${listOf(found.fields)}`]
        : []),
      ...(found.betweenUnits ? ['the white space between units'] : []),
    ].join(' and ');
    this.named.push({
      code: 'CONTROL_CHARACTERS',
      severity: 'warning',
      ...location,
      message: `document ${record.id} holds ${found.count} control character${found.count === 1 ? '' : 's'} (escape sequences or bidirectional overrides) in ${where}; kept as they are, shown visibly on a terminal (␛, ⟨U+202E⟩)`,
    });
  }

  findings(): Finding[] {
    if (this.documents <= this.named.length) return [...this.named];
    const others = this.documents - this.named.length;
    return [
      ...this.named,
      {
        code: 'CONTROL_CHARACTERS',
        severity: 'warning',
        message: `… and ${others} more document${others === 1 ? '' : 's'} with control characters (${this.characters} in all ${this.documents} documents)`,
      },
    ];
  }
}

function listOf(items: readonly string[]): string {
  const shown = items.slice(0, 10).join(', ');
  return items.length > 10 ? `${shown} and ${items.length - 10} more` : shown;
}
