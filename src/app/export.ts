/**
 * `coding export`: the analysis data set as CSV for R, pandas or SPSS — long (one row per unit and
 * code) or wide (one row per unit with its document's metadata and a 0/1 column per code).
 */
import { InputError } from '../errors.js';
import { type AnalysisData, type AnalysisOptions, loadAnalysisData } from './final.js';
import { documentOfUnit } from './study.js';
import { documentOfEachUnit, readThemeDocuments } from './themes.js';

export const exportLayouts = ['long', 'wide'] as const;
export type ExportLayout = (typeof exportLayouts)[number];

export const longColumns = ['unit_id', 'doc_id', 'coder', 'code', 'basis'] as const;
/** Document fields in the wide layout, before any user-defined attributes and the code columns. */
export const wideMetadataColumns = ['actor', 'source', 'genre', 'date', 'role', 'language', 'title'] as const;

export interface ExportTable {
  data: AnalysisData;
  header: string[];
  /** Index of the first code column of the wide layout (the columns before it are text). */
  firstCodeColumn?: number;
  rows(): Generator<Array<string | number>>;
  /** The wide layout: every document's date, for typed exports (a DATE column when all are full dates). */
  documentDates?: () => Iterable<string | undefined>;
}

/**
 * The long table: unit_id, doc_id, coder (`final` or the coder's name), code (empty: reviewed, no
 * code), basis (where the unit's final codes come from — `adjudicated`, `agreed`, `single`,
 * `primary`, `other` or `machine` — or `coder` for one coder's codes).
 */
export function longTable(data: AnalysisData): ExportTable {
  const { codings, set } = data;
  return {
    data,
    header: [...longColumns],
    *rows() {
      for (let position = 0; position < codings.size; position++) {
        const unitId = set.units.idAt(codings.units[position]!);
        const basis = data.sources[position]!;
        const codes = codings.codesAt(position);
        if (codes.length === 0) yield [unitId, documentOfUnit(unitId), data.coder, '', basis];
        for (const code of codes)
          yield [unitId, documentOfUnit(unitId), data.coder, set.codebook.codes[code]!.id, basis];
      }
    },
  };
}

/** The wide table: one row per reviewed unit, the metadata of its document, coder and basis (as in the long table), a 0/1 column per code. */
export async function wideTable(data: AnalysisData): Promise<ExportTable> {
  const { codings, set } = data;
  // The metadata in columns, as the theme tables keep it: a million documents as objects took a
  // gigabyte.
  const documents = await readThemeDocuments(set.study!);
  const unitDocument = documentOfEachUnit(set.units, documents);
  const names = new Set<string>();
  for (let index = 0; index < documents.length; index++)
    for (const name of Object.keys(documents.attributes(index))) names.add(name);
  const attributes = [...names].sort();
  const codeIds = set.codebook.codes.map((code) => code.id);
  const textColumns = ['unit_id', 'doc_id', ...wideMetadataColumns, ...attributes, 'coder', 'basis'];
  const metadata = (index: number, field: (typeof wideMetadataColumns)[number]): string =>
    (field === 'title' ? documents.title(index) : documents.value(index, field)) ?? '';
  return {
    data,
    documentDates: function* () {
      for (let index = 0; index < documents.length; index++) yield documents.value(index, 'date');
    },
    header: [...textColumns, ...codeIds],
    firstCodeColumn: textColumns.length,
    *rows() {
      for (let position = 0; position < codings.size; position++) {
        const unitIndex = codings.units[position]!;
        const document = unitDocument[unitIndex]!;
        const present = new Array<number>(codeIds.length).fill(0);
        for (const code of codings.codesAt(position)) present[code] = 1;
        const own = documents.attributes(document);
        yield [
          set.units.idAt(unitIndex),
          documents.id(document),
          ...wideMetadataColumns.map((field) => metadata(document, field)),
          ...attributes.map((name) => own[name] ?? ''),
          data.coder,
          data.sources[position]!,
          ...present,
        ];
      }
    },
  };
}

export async function exportTable(options: AnalysisOptions & { layout: ExportLayout }): Promise<ExportTable> {
  const data = await loadAnalysisData(options);
  if (data.codings.size === 0)
    throw new InputError('there are no codes to export: no coder has reviewed any unit');
  return options.layout === 'long' ? longTable(data) : wideTable(data);
}
