/**
 * Reading a coder's work in any of the accepted layouts — long (`unit_id,code[,memo]`), wide (one
 * column per code) or a filled coding sheet (wide, with text columns) — validating every row
 * against the corpus and the codebook, and writing a coder's stored file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CodebookModel } from '../core/codebook.js';
import { Codings, CodingsBuilder, packKey, unpackKey } from '../core/codings.js';
import { didYouMean } from '../core/suggest.js';
import { ownString, type UnitIndex } from '../core/units.js';
import { type Finding, InputError } from '../errors.js';
import {
  type AnnotationsMeta,
  absentMarks,
  annotationsFormatVersion,
  annotationsMetaSchema,
  presentMarks,
  sheetColumns,
  storedAnnotationsHeader,
} from '../schema/annotations.js';
import { coderNameProblem } from '../schema/config.js';
import { longLineReader } from './annotations-fast.js';
import { type AtomicBatch, exists } from './atomic.js';
import { scanCsv } from './csv-scan.js';
import { csvLine, restoreFormula } from './csv-write.js';

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
  const findings: Finding[] = [];
  const builders = new Map<string, { builder: CodingsBuilder; memos: Map<number, string> }>();
  const builderOf = (coder: string): { builder: CodingsBuilder; memos: Map<number, string> } => {
    let entry = builders.get(coder);
    if (!entry) {
      entry = { builder: new CodingsBuilder(), memos: new Map() };
      builders.set(ownString(coder), entry);
    }
    return entry;
  };
  const problem = (line: number, message: string, code = 'BAD_ROW'): void => {
    if (findings.length < maxFindings)
      findings.push({ code, severity: 'error', file: shownAs, line, message });
  };
  const codeIds = (): string[] => codebook.codes.map((code) => code.id);
  // A short list of ids is searched faster by comparing strings than by hashing each new one.
  const shortList = codebook.codes.length <= 32 ? codebook.codes.map((code) => code.id) : undefined;
  const codeIndexOf = (id: string): number => {
    if (shortList) {
      for (let index = 0; index < shortList.length; index++) if (shortList[index] === id) return index;
    } else {
      const code = codebook.codeById.get(id);
      if (code !== undefined) return code.index;
    }
    return options.discoverCodes ? options.discoverCodes(id) : -1;
  };
  let documents: Map<string, number> | undefined;
  const unknownUnit = (id: string, line: number): void => {
    documents ??= unitsPerDocument(units);
    const separator = id.lastIndexOf(':');
    const document = separator > 0 ? id.slice(0, separator) : id;
    const count = documents.get(document);
    let hint = '';
    if (count !== undefined) hint = ` (document ${document} has units ${document}:1 to ${document}:${count})`;
    else {
      const suggestion = didYouMean(document, documents.keys());
      if (suggestion !== '') hint = ` (no document "${document}"${suggestion})`;
    }
    problem(line, `unknown unit id "${id}"${hint}`, 'UNKNOWN_UNIT');
  };

  let layout: Layout = 'long';
  let unitColumn = -1;
  let codeColumn = -1;
  let memoColumn = -1;
  let coderColumn = -1;
  let noneColumn = -1;
  let codeColumns: Array<{ column: number; codeIndex: number }> = [];
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
      const lower = header.map((column) => column.toLowerCase());
      const detected = options.layout ?? detectLayout(header);
      if (detected === undefined) {
        throw new InputError(
          `cannot tell the layout of this file: it has no "unit_id" column; the columns are ${listOf(header)}`,
          {
            location: { file: shownAs, line: 1 },
            hint: 'a long file has the columns unit_id,code[,memo] (and coder, for several coders); a wide file or coding sheet has unit_id and one column per code.',
          },
        );
      }
      layout = detected;
      unitColumn = lower.indexOf('unit_id');
      memoColumn = lower.indexOf('memo');
      coderColumn = lower.indexOf('coder');
      if (unitColumn < 0) {
        throw new InputError(`no "unit_id" column; the columns are ${listOf(header)}`, {
          location: { file: shownAs, line: 1 },
        });
      }
      if (layout === 'long') {
        codeColumn = lower.indexOf('code');
        if (codeColumn < 0) {
          throw new InputError(`a long file needs a "code" column; the columns are ${listOf(header)}`, {
            location: { file: shownAs, line: 1 },
            hint: 'use --layout wide for a file with one column per code.',
          });
        }
        if (options.fastPath !== false)
          fastLine = longLineReader({
            delimiter,
            width: header.length,
            unitColumn,
            codeColumn,
            coderColumn,
            memoColumn,
            units,
            coder: options.coder,
            onlyCoder: options.onlyCoder ?? false,
            codeIds: codeIds(),
            codeIndexOf,
            builderOf,
          });
        return;
      }
      noneColumn = lower.indexOf('none');
      const headerFindings: Finding[] = [];
      codeColumns = [];
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
    },
    onRow(fields, line) {
      rows++;
      let coder = options.coder;
      if (coderColumn >= 0) {
        const named = fields[coderColumn]!.trim();
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
      const unitId = fields[unitColumn]!.trim();
      if (unitId === '') {
        problem(line, 'the unit_id is empty');
        return;
      }
      // Rows of one unit usually follow each other: look the id up only when it changes.
      let unitIndex: number;
      if (unitId === lastUnitId) unitIndex = lastUnitIndex;
      else {
        unitIndex = units.indexOf(unitId);
        lastUnitId = unitId;
        lastUnitIndex = unitIndex;
      }
      if (unitIndex < 0) {
        unknownUnit(unitId, line);
        return;
      }
      const memo = memoColumn >= 0 ? restoreFormula(fields[memoColumn]!) : '';
      if (layout === 'long') {
        const codeId = fields[codeColumn]!.trim();
        const { builder, memos } = builderOf(coder);
        if (codeId === '') {
          builder.add(unitIndex, -1, line);
          if (memo !== '') memos.set(packKey(unitIndex, -1), memo);
          return;
        }
        const codeIndex = codeIndexOf(codeId);
        if (codeIndex < 0) {
          problem(
            line,
            `unit ${unitId}: unknown code "${codeId}"${didYouMean(codeId, codeIds())}`,
            'UNKNOWN_CODE',
          );
          return;
        }
        builder.add(unitIndex, codeIndex, line);
        if (memo !== '') memos.set(packKey(unitIndex, codeIndex), memo);
        return;
      }
      let reviewed = false;
      const marked: number[] = [];
      for (const { column, codeIndex } of codeColumns) {
        const cell = fields[column]!;
        const mark = readMark(cell);
        if (mark === undefined) {
          problem(
            line,
            `"${cell}" in column ${codebook.codes[codeIndex]?.id ?? codeIndex} is not a mark: use 1, x, yes or true for "applies" and 0, no, false or nothing for "does not"`,
            'BAD_MARK',
          );
          return;
        }
        if (cell.trim() !== '') reviewed = true;
        if (mark) marked.push(codeIndex);
      }
      let none = false;
      if (noneColumn >= 0) {
        const cell = fields[noneColumn]!;
        const mark = readMark(cell);
        if (mark === undefined) {
          problem(line, `"${cell}" in column none is not a mark`, 'BAD_MARK');
          return;
        }
        none = mark;
        if (cell.trim() !== '') reviewed = true;
      }
      if (none && marked.length > 0) {
        problem(
          line,
          `the unit is marked "none" and also ${marked.map((index) => codebook.codes[index]?.id ?? index).join(', ')}: choose one`,
          'CONTRADICTION',
        );
        return;
      }
      if (!reviewed && memo.trim() === '') return; // not reviewed: no row
      const { builder, memos } = builderOf(coder);
      if (marked.length === 0) {
        builder.add(unitIndex, -1, line);
        if (memo !== '') memos.set(packKey(unitIndex, -1), memo);
        return;
      }
      for (const codeIndex of marked) builder.add(unitIndex, codeIndex, line);
      if (memo !== '') memos.set(packKey(unitIndex, marked[0]!), memo);
    },
  });

  const byCoder = new Map<string, CoderCodings>();
  for (const [coder, { builder, memos }] of builders) {
    // A name from a coder column is printed and may become a file name: the rule of every coder
    // name. Checked once per coder here, after the rows, whichever reader took them.
    const wrongName = coderColumn >= 0 ? coderNameProblem(coder) : undefined;
    if (wrongName !== undefined) {
      const first = builder.firstLine() ?? 1;
      problem(first, `"${coder}" in the coder column cannot be a coder name: ${wrongName}`, 'BAD_CODER');
      continue;
    }
    const { codings, duplicates, contradictions } = builder.build();
    const who = builders.size > 1 || coderColumn >= 0 ? ` (coder ${coder})` : '';
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
    findings.push(...exclusivityFindings(codings, codebook, units, builder, shownAs));
    // The rows' lines were kept for these reports only: free them before the next coder's build.
    builder.release();
    byCoder.set(coder, { codings, memos });
  }
  const own = byCoder.get(options.coder) ?? { codings: Codings.empty(), memos: new Map<number, string>() };
  return { ...own, byCoder, layout, rows, findings: findings.slice(0, maxFindings) };
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

/** Where a coder's files live in a workspace. */
export function coderFiles(annotationsFolder: string, coder: string): { csv: string; meta: string } {
  return {
    csv: path.join(annotationsFolder, `${coder}.csv`),
    meta: path.join(annotationsFolder, `${coder}.meta.json`),
  };
}

/** The stored long CSV of a coder, line by line: units in corpus order, codes in codebook order, memos kept. */
export function* storedAnnotationLines(
  codings: Codings,
  memos: ReadonlyMap<number, string>,
  units: UnitIndex,
  codebook: CodebookModel,
): Generator<string> {
  yield csvLine(storedAnnotationsHeader);
  for (let position = 0; position < codings.size; position++) {
    const unitIndex = codings.units[position]!;
    const unitId = units.idAt(unitIndex);
    const codes = codings.codesAt(position);
    if (codes.length === 0) {
      yield csvLine([unitId, '', memos.get(packKey(unitIndex, -1)) ?? '']);
      continue;
    }
    for (const codeIndex of codes) {
      yield csvLine([unitId, codebook.codes[codeIndex]!.id, memos.get(packKey(unitIndex, codeIndex)) ?? '']);
    }
  }
}

export function metaText(meta: Omit<AnnotationsMeta, 'format' | 'version'>): string {
  const full: AnnotationsMeta = { format: 'coding-annotations', version: annotationsFormatVersion, ...meta };
  return `${JSON.stringify(full, null, 2)}\n`;
}

/** Read a coder's sidecar metadata; undefined when there is none. */
export async function readMeta(file: string, shownAs: string): Promise<AnnotationsMeta | undefined> {
  if (!(await exists(file))) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError('the file is not valid JSON', { location: { file: shownAs }, cause: error });
  }
  const version = (data as { version?: unknown }).version;
  if (version !== annotationsFormatVersion) {
    throw new InputError(
      `unknown annotations format version: expected ${annotationsFormatVersion}, received ${String(version)}`,
      { location: { file: shownAs } },
    );
  }
  const result = annotationsMetaSchema.safeParse(data);
  if (!result.success)
    throw new InputError(`the file is malformed: ${result.error.issues[0]?.message}`, {
      location: { file: shownAs },
    });
  return result.data;
}

/** Write a coder's stored files as members of a batch of atomic writes (streamed: a million units never form one string). */
export async function addCoderFiles(
  batch: AtomicBatch,
  files: { csv: string; meta: string },
  content: {
    codings: Codings;
    memos: ReadonlyMap<number, string>;
    units: UnitIndex;
    codebook: CodebookModel;
    coder: string;
    codebookFile: string;
  },
): Promise<void> {
  const output = await batch.stream(files.csv);
  for (const line of storedAnnotationLines(content.codings, content.memos, content.units, content.codebook))
    await output.write(line);
  batch.add(
    files.meta,
    metaText({
      coder: content.coder,
      codebook: content.codebookFile,
      codebook_hash: content.codebook.hash,
      units_reviewed: content.codings.size,
      codings: content.codings.pairs,
    }),
  );
}
