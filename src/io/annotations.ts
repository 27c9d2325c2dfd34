/**
 * Reading a coder's work in any of the accepted layouts — long (`unit_id,code[,memo]`), wide (one
 * column per code) or a filled coding sheet (wide, with text columns) — validating every row
 * against the corpus and the codebook (a coder's stored files: io/coder-files.ts).
 */
import type { CodebookModel } from '../core/codebook.js';
import { Codings, CodingsBuilder, packKey, unpackKey } from '../core/codings.js';
import { didYouMean } from '../core/suggest.js';
import { ownString, type UnitIndex } from '../core/units.js';
import { type Finding, InputError } from '../errors.js';
import { absentMarks, presentMarks, sheetColumns } from '../schema/annotations.js';
import { coderNameProblem } from '../schema/config.js';
import { longLineReader } from './annotations-fast.js';
import { scanCsv } from './csv-scan.js';
import { restoreFormula } from './csv-write.js';

export const layouts = ['long', 'wide', 'sheet'] as const;
export type Layout = (typeof layouts)[number];

export interface ReadCodingsOptions {
  file: string;
  shownAs: string;
  layout?: Layout | undefined;
  delimiter?: string | undefined;
  units: UnitIndex;
  codebook: CodebookModel;
  /**
   * The coder of rows in a file without a `coder` column. In a file with one, rows of other
   * coders are errors when `onlyCoder` is set, and are read as those coders' work otherwise.
   */
  coder: string;
  onlyCoder?: boolean;
  /** Codes not in the codebook are added to it (for files read without a codebook). */
  discoverCodes?: ((id: string) => number) | undefined;
  /** Read well-formed long rows in place (`io/annotations-fast.ts`); false only to test it against the full reader. */
  fastPath?: boolean;
  /** Bytes read at a time; see `scanCsv`. */
  chunkSize?: number;
}

export interface CoderCodings {
  codings: Codings;
  /** Memos by packed (unit, code) key; code −1 for a unit's memo when it has no code. */
  memos: Map<number, string>;
}

export interface ReadCodings extends CoderCodings {
  /** Every coder of the file (one for a file without a `coder` column), in order of appearance. */
  byCoder: Map<string, CoderCodings>;
  layout: Layout;
  rows: number;
  findings: Finding[];
}

const maxFindings = 100;

/** The code id a wide column header names: `trade.ntb`, `trade.ntb (Non-tariff barriers)` or `trade.ntb: …`. */
export function codeOfHeader(header: string): string {
  const match = /^([^\s(:]+)\s*(?:\(.*\)|:.*)?$/.exec(header.trim());
  return match ? match[1]! : header.trim();
}

function detectLayout(header: readonly string[]): Layout | undefined {
  const lower = header.map((column) => column.toLowerCase());
  if (!lower.includes('unit_id')) return undefined;
  if (lower.includes('code')) return 'long';
  return lower.includes('text') ? 'sheet' : 'wide';
}

/** A cell of a wide file as a mark: true (applies), false (does not), or undefined (not a mark). */
export function readMark(cell: string): boolean | undefined {
  const value = cell.trim().toLowerCase();
  if (presentMarks.has(value)) return true;
  if (absentMarks.has(value)) return false;
  return undefined;
}

const listOf = (header: readonly string[]): string => header.map((column) => `"${column}"`).join(', ');

/**
 * Read and validate a file of coders' work. Problems are collected (up to 100) rather than
 * thrown, so a user sees them all at once; the caller refuses the file when there are any.
 */
export async function readCodings(options: ReadCodingsOptions): Promise<ReadCodings> {
  const { codebook, units, shownAs } = options;
  const read = new FileRows(units, shownAs);
  const { builderOf } = read;
  const problem = read.problem.bind(read);
  const codeIds = (): string[] => codebook.codes.map((code) => code.id);
  const codeIndexOf = codeFinder(codebook, options.discoverCodes);

  let columns: HeaderColumns = { layout: 'long', unit: -1, code: -1, memo: -1, coder: -1, none: -1 };
  let codeColumns: CodeColumn[] = [];
  let rows = 0;
  let lastUnitId = '';
  let lastUnitIndex = -1;
  let fastLine: ((text: string, start: number, end: number, line: number) => boolean) | undefined;
  await scanCsv(options.file, {
    shownAs,
    delimiter: options.delimiter,
    ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    onLine(text, start, end, line) {
      if (fastLine === undefined || !fastLine(text, start, end, line)) return false;
      rows++;
      return true;
    },
    onHeader(header, delimiter) {
      columns = readHeader(header, options.layout, shownAs);
      if (columns.layout !== 'long') codeColumns = wideCodeColumns(header, codeIndexOf, codeIds, shownAs);
      else if (options.fastPath !== false)
        fastLine = longLineReader({
          delimiter,
          width: header.length,
          unitColumn: columns.unit,
          codeColumn: columns.code,
          coderColumn: columns.coder,
          memoColumn: columns.memo,
          units,
          coder: options.coder,
          onlyCoder: options.onlyCoder ?? false,
          codeIds: codeIds(),
          codeIndexOf,
          builderOf,
        });
    },
    onRow(fields, line) {
      rows++;
      let coder = options.coder;
      if (columns.coder >= 0) {
        const named = fields[columns.coder]!.trim();
        if (options.onlyCoder && named !== options.coder) {
          problem(line, `this row belongs to coder "${named}", not "${options.coder}"`, 'OTHER_CODER');
          return;
        }
        if (named === '') {
          problem(line, 'the coder is empty');
          return;
        }
        coder = named;
      }
      const unitId = fields[columns.unit]!.trim();
      if (unitId === '') {
        problem(line, 'the unit_id is empty');
        return;
      }
      // Rows of one unit usually follow each other: look the id up only when it changes.
      if (unitId !== lastUnitId) {
        lastUnitIndex = units.indexOf(unitId);
        lastUnitId = unitId;
      }
      const unitIndex = lastUnitIndex;
      if (unitIndex < 0) {
        read.unknownUnit(unitId, line);
        return;
      }
      const memo = columns.memo >= 0 ? restoreFormula(fields[columns.memo]!) : '';
      if (columns.layout === 'long') {
        builderOf(coder); // a coder named in a row is one of the file's coders, even if the row is refused
        const codeId = fields[columns.code]!.trim();
        if (codeId === '') return read.add(coder, unitIndex, [], memo, line);
        const codeIndex = codeIndexOf(codeId);
        if (codeIndex < 0)
          return problem(
            line,
            `unit ${unitId}: unknown code "${codeId}"${didYouMean(codeId, codeIds())}`,
            'UNKNOWN_CODE',
          );
        return read.add(coder, unitIndex, [codeIndex], memo, line);
      }
      const row = readWideRow(fields, codeColumns, columns.none, codebook);
      if ('message' in row) return problem(line, row.message, row.code);
      // A row with no mark and no memo was not reviewed: it gives no row.
      if (row.reviewed || memo.trim() !== '') read.add(coder, unitIndex, row.marked, memo, line);
    },
  });

  const { findings } = read;
  const byCoder = buildCoders(read.builders, {
    codebook,
    units,
    shownAs,
    coderColumn: columns.coder >= 0,
    problem,
    findings,
  });
  const own = byCoder.get(options.coder) ?? { codings: Codings.empty(), memos: new Map<number, string>() };
  return { ...own, byCoder, layout: columns.layout, rows, findings: findings.slice(0, maxFindings) };
}

type CoderBuilder = { builder: CodingsBuilder; memos: Map<number, string> };

/** The rows of a file so far, per coder, and the problems found in them (the first 100). */
class FileRows {
  readonly builders = new Map<string, CoderBuilder>();
  readonly findings: Finding[] = [];
  /** Units per document, for the message about an unknown unit (made at the first one). */
  private documents: Map<string, number> | undefined;

  constructor(
    private readonly units: UnitIndex,
    private readonly shownAs: string,
  ) {}

  /** A coder's builder, made at its first row (a function of its own: the fast reader calls it). */
  readonly builderOf = (coder: string): CoderBuilder => {
    let entry = this.builders.get(coder);
    if (!entry) {
      entry = { builder: new CodingsBuilder(), memos: new Map() };
      this.builders.set(ownString(coder), entry);
    }
    return entry;
  };

  problem(line: number, message: string, code = 'BAD_ROW'): void {
    if (this.findings.length < maxFindings)
      this.findings.push({ code, severity: 'error', file: this.shownAs, line, message });
  }

  unknownUnit(id: string, line: number): void {
    this.documents ??= unitsPerDocument(this.units);
    this.problem(line, unknownUnitMessage(id, this.documents), 'UNKNOWN_UNIT');
  }

  /** One unit's codes (none: "reviewed, no code") and its memo, kept on the first code. */
  add(coder: string, unitIndex: number, codes: readonly number[], memo: string, line: number): void {
    const { builder, memos } = this.builderOf(coder);
    if (codes.length === 0) builder.add(unitIndex, -1, line);
    for (const codeIndex of codes) builder.add(unitIndex, codeIndex, line);
    if (memo !== '') memos.set(packKey(unitIndex, codes[0] ?? -1), memo);
  }
}
type CodeColumn = { column: number; codeIndex: number };

/** The columns of a file (−1 where absent) and its layout. */
interface HeaderColumns {
  layout: Layout;
  unit: number;
  code: number;
  memo: number;
  coder: number;
  none: number;
}

/** A code id's index: a short list is searched faster by comparing strings than by hashing each id. */
function codeFinder(
  codebook: CodebookModel,
  discover: ((id: string) => number) | undefined,
): (id: string) => number {
  const shortList = codebook.codes.length <= 32 ? codebook.codes.map((code) => code.id) : undefined;
  return (id) => {
    if (shortList) {
      for (let index = 0; index < shortList.length; index++) if (shortList[index] === id) return index;
    } else {
      const code = codebook.codeById.get(id);
      if (code !== undefined) return code.index;
    }
    return discover ? discover(id) : -1;
  };
}

/** The layout (given, or told from the header) and where each known column is. */
function readHeader(header: readonly string[], given: Layout | undefined, shownAs: string): HeaderColumns {
  const lower = header.map((column) => column.toLowerCase());
  const layout = given ?? detectLayout(header);
  if (layout === undefined) {
    throw new InputError(
      `cannot tell the layout of this file: it has no "unit_id" column; the columns are ${listOf(header)}`,
      {
        location: { file: shownAs, line: 1 },
        hint: 'a long file has the columns unit_id,code[,memo] (and coder, for several coders); a wide file or coding sheet has unit_id and one column per code.',
      },
    );
  }
  const columns: HeaderColumns = {
    layout,
    unit: lower.indexOf('unit_id'),
    code: layout === 'long' ? lower.indexOf('code') : -1,
    memo: lower.indexOf('memo'),
    coder: lower.indexOf('coder'),
    none: layout === 'long' ? -1 : lower.indexOf('none'),
  };
  if (columns.unit < 0) {
    throw new InputError(`no "unit_id" column; the columns are ${listOf(header)}`, {
      location: { file: shownAs, line: 1 },
    });
  }
  if (layout === 'long' && columns.code < 0) {
    throw new InputError(`a long file needs a "code" column; the columns are ${listOf(header)}`, {
      location: { file: shownAs, line: 1 },
      hint: 'use --layout wide for a file with one column per code.',
    });
  }
  return columns;
}

/** The code columns of a wide file or coding sheet; every other column must be a known one. */
function wideCodeColumns(
  header: readonly string[],
  codeIndexOf: (id: string) => number,
  codeIds: () => string[],
  shownAs: string,
): CodeColumn[] {
  const headerFindings: Finding[] = [];
  const codeColumns: CodeColumn[] = [];
  for (const [column, name] of header.entries()) {
    if ((sheetColumns as readonly string[]).includes(name.toLowerCase()) || name === '') continue;
    const id = codeOfHeader(name);
    const codeIndex = codeIndexOf(id);
    if (codeIndex < 0) {
      headerFindings.push({
        code: 'UNKNOWN_CODE_COLUMN',
        severity: 'error',
        file: shownAs,
        line: 1,
        message: `column "${name}" is neither a code of the codebook nor a known column${didYouMean(id, codeIds())}`,
      });
    } else codeColumns.push({ column, codeIndex });
  }
  if (headerFindings.length > 0) {
    throw new InputError('the header names codes the codebook does not have', {
      findings: headerFindings,
      hint: `the codes are ${codeIds().join(', ')}; other columns allowed: ${sheetColumns.join(', ')}.`,
    });
  }
  return codeColumns;
}

/** The codes a row of a wide file marks, and whether any cell was filled in; or what is wrong. */
function readWideRow(
  fields: readonly string[],
  codeColumns: readonly CodeColumn[],
  noneColumn: number,
  codebook: CodebookModel,
): { marked: number[]; reviewed: boolean } | { message: string; code: string } {
  let reviewed = false;
  const marked: number[] = [];
  for (const { column, codeIndex } of codeColumns) {
    const cell = fields[column]!;
    const mark = readMark(cell);
    if (mark === undefined)
      return {
        message: `"${cell}" in column ${codebook.codes[codeIndex]?.id ?? codeIndex} is not a mark: use 1, x, yes or true for "applies" and 0, no, false or nothing for "does not"`,
        code: 'BAD_MARK',
      };
    if (cell.trim() !== '') reviewed = true;
    if (mark) marked.push(codeIndex);
  }
  if (noneColumn < 0) return { marked, reviewed };
  const cell = fields[noneColumn]!;
  const none = readMark(cell);
  if (none === undefined) return { message: `"${cell}" in column none is not a mark`, code: 'BAD_MARK' };
  if (cell.trim() !== '') reviewed = true;
  if (none && marked.length > 0)
    return {
      message: `the unit is marked "none" and also ${marked.map((index) => codebook.codes[index]?.id ?? index).join(', ')}: choose one`,
      code: 'CONTRADICTION',
    };
  return { marked, reviewed };
}

/** Why a unit id is unknown: the units its document has, or the document id it may have meant. */
function unknownUnitMessage(id: string, documents: ReadonlyMap<string, number>): string {
  const separator = id.lastIndexOf(':');
  const document = separator > 0 ? id.slice(0, separator) : id;
  const count = documents.get(document);
  let hint = '';
  if (count !== undefined) hint = ` (document ${document} has units ${document}:1 to ${document}:${count})`;
  else {
    const suggestion = didYouMean(document, documents.keys());
    if (suggestion !== '') hint = ` (no document "${document}"${suggestion})`;
  }
  return `unknown unit id "${id}"${hint}`;
}

/**
 * Each coder's codings, built from the rows read, with what only the whole file shows: a coder
 * name that is not allowed, duplicate rows, contradictions, two codes of an exclusive category.
 */
function buildCoders(
  builders: ReadonlyMap<string, CoderBuilder>,
  context: {
    codebook: CodebookModel;
    units: UnitIndex;
    shownAs: string;
    coderColumn: boolean;
    problem: (line: number, message: string, code: string) => void;
    findings: Finding[];
  },
): Map<string, CoderCodings> {
  const { codebook, units, problem } = context;
  const byCoder = new Map<string, CoderCodings>();
  for (const [coder, { builder, memos }] of builders) {
    // A name from a coder column is printed and may become a file name: the rule of every coder
    // name. Checked once per coder here, after the rows, whichever reader took them.
    const wrongName = context.coderColumn ? coderNameProblem(coder) : undefined;
    if (wrongName !== undefined) {
      const first = builder.firstLine() ?? 1;
      problem(first, `"${coder}" in the coder column cannot be a coder name: ${wrongName}`, 'BAD_CODER');
      continue;
    }
    const { codings, duplicates, contradictions } = builder.build();
    const who = builders.size > 1 || context.coderColumn ? ` (coder ${coder})` : '';
    for (const duplicate of duplicates) {
      const { unitIndex, codeIndex } = unpackKey(duplicate.key);
      const what =
        codeIndex < 0
          ? 'an empty code ("reviewed, no code")'
          : `code ${codebook.codes[codeIndex]?.id ?? codeIndex}`;
      problem(
        duplicate.lines[1] ?? duplicate.lines[0]!,
        `unit ${units.idAt(unitIndex)} has ${what} more than once${who} (lines ${duplicate.lines.join(', ')})`,
        'DUPLICATE_ROW',
      );
    }
    for (const contradiction of contradictions) {
      problem(
        contradiction.lines[0]!,
        `unit ${units.idAt(contradiction.unitIndex)} has a row with an empty code ("reviewed, no code") and rows with codes${who} (lines ${contradiction.lines.join(', ')})`,
        'CONTRADICTION',
      );
    }
    context.findings.push(...exclusivityFindings(codings, codebook, units, builder, context.shownAs));
    // The rows' lines were kept for these reports only: free them before the next coder's build.
    builder.release();
    byCoder.set(coder, { codings, memos });
  }
  return byCoder;
}

/** Number of units per document id (the highest unit number, for messages). */
function unitsPerDocument(units: UnitIndex): Map<string, number> {
  const documents = new Map<string, number>();
  for (let index = 0; index < units.size; index++) {
    const id = units.idAt(index);
    const separator = id.lastIndexOf(':');
    const document = id.slice(0, separator);
    const number = Number(id.slice(separator + 1));
    documents.set(document, Math.max(documents.get(document) ?? 0, number));
  }
  return documents;
}

/** Units that carry two codes of an exclusive category (or two codes in an exclusive codebook). */
export function exclusivityFindings(
  codings: Codings,
  codebook: CodebookModel,
  units: UnitIndex,
  builder: CodingsBuilder | undefined,
  shownAs: string,
): Finding[] {
  if (!codebook.exclusive && !codebook.categories.some((category) => category.exclusive)) return [];
  const exclusiveCategory = codebook.codes.map((code) =>
    codebook.categoryById.get(code.categoryId)?.exclusive ? code.categoryId : undefined,
  );
  const findings: Finding[] = [];
  for (let position = 0; position < codings.size && findings.length < maxFindings; position++) {
    const codes = codings.codesAt(position);
    if (codes.length < 2) continue;
    const unitIndex = codings.units[position]!;
    if (codebook.exclusive) {
      findings.push({
        code: 'EXCLUSIVE',
        severity: 'error',
        file: shownAs,
        ...lineOf(builder, unitIndex),
        message: `unit ${units.idAt(unitIndex)} has ${codes.length} codes (${[...codes].map((index) => codebook.codes[index]!.id).join(', ')}), but the codebook is exclusive: one code per unit`,
      });
      continue;
    }
    const seen = new Map<string, number>();
    for (const codeIndex of codes) {
      const category = exclusiveCategory[codeIndex];
      if (category === undefined) continue;
      const other = seen.get(category);
      if (other !== undefined) {
        findings.push({
          code: 'EXCLUSIVE',
          severity: 'error',
          file: shownAs,
          ...lineOf(builder, unitIndex),
          message: `unit ${units.idAt(unitIndex)} has two codes of the exclusive category ${category}: ${codebook.codes[other]!.id} and ${codebook.codes[codeIndex]!.id}`,
        });
      } else seen.set(category, codeIndex);
    }
  }
  return findings;
}

function lineOf(builder: CodingsBuilder | undefined, unitIndex: number): { line?: number } {
  if (!builder) return {};
  const lines = builder.linesOfUnit(unitIndex);
  return lines.length > 0 ? { line: lines[0]! } : {};
}
