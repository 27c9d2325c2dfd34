/**
 * `coding themes`: the theme tables of the analysis data set (see core/themes.ts), with the texts
 * of exemplar units read from the corpus only for the units shown.
 */

import { type ExemplarRow, exemplars } from '../core/exemplars.js';
import { codeCautions, type GateResult } from '../core/gates.js';
import { didYouMean } from '../core/suggest.js';
import { ThemeDocuments } from '../core/theme-documents.js';
import {
  type ActorTableRow,
  actorTable,
  byFields,
  cooccurrence,
  crossTable,
  frequencies,
  type GroupField,
  type Period,
  someDocumentHas,
  type ThemeInput,
  triangulation,
} from '../core/themes.js';
import { CodingError, InputError } from '../errors.js';
import { corpusPaths, readDocumentMetadata } from '../io/corpus-store.js';
import type { DocumentRecord } from '../schema/corpus.js';
import { iterateUnits } from './corpus.js';
import { type AnalysisData, type AnalysisOptions, loadAnalysisData } from './final.js';
import { computeReliability } from './reliability.js';
import { documentOfUnit, type Study } from './study.js';

export interface ThemeData {
  data: AnalysisData;
  input: ThemeInput;
  /** The texts of some units, read in one pass over the corpus. */
  texts(unitIds: ReadonlySet<string>): Promise<Map<string, string>>;
}

/**
 * Every document's metadata, in columns (core/theme-documents.ts), not an object per document;
 * `visit` sees each record as it is read (the report gathers its methods facts so).
 */
export async function readThemeDocuments(
  study: Study,
  visit?: (document: DocumentRecord) => void,
): Promise<ThemeDocuments> {
  const documents = new ThemeDocuments();
  for await (const batch of readDocumentMetadata(corpusPaths(study.workspace.paths.corpus)))
    for (const document of batch) {
      visit?.(document);
      documents.push({
        id: document.id,
        title: document.title,
        actor: document.actor,
        source: document.source,
        genre: document.genre,
        date: document.date,
        role: document.role,
        language: document.language,
        attributes: document.attributes,
      });
    }
  return documents;
}

/**
 * The position of every unit's document, worked out once. Units and documents are stored in the
 * same order, so a unit's document is the current one or the next; a map of a million ids is made
 * only if not.
 *
 * @throws InputError when a unit's document is not in the corpus (a damaged corpus)
 */
export function documentOfEachUnit(
  units: { readonly size: number; idAt(index: number): string },
  documents: ThemeDocuments,
): Int32Array {
  const unitDocument = new Int32Array(units.size);
  let current = 0;
  let documentIndex: Map<string, number> | undefined;
  for (let unitIndex = 0; unitIndex < unitDocument.length; unitIndex++) {
    const id = documentOfUnit(units.idAt(unitIndex));
    if (current >= documents.length || documents.id(current) !== id) {
      if (current + 1 < documents.length && documents.id(current + 1) === id) current++;
      else {
        if (documentIndex === undefined) {
          documentIndex = new Map();
          for (let index = 0; index < documents.length; index++)
            documentIndex.set(documents.id(index), index);
        }
        const found = documentIndex.get(id);
        if (found === undefined)
          throw new InputError(
            `the corpus is damaged: unit ${units.idAt(unitIndex)} belongs to document "${id}", which corpus/documents.jsonl does not have`,
            {
              location: { file: 'corpus/units.csv' },
              hint: 'restore corpus/ from version control, or import the documents again into a new workspace.',
            },
          );
        current = found;
      }
    }
    unitDocument[unitIndex] = current;
  }
  return unitDocument;
}

/** `visit` sees every document's metadata as it is read (the report gathers its methods facts so). */
export async function loadThemeData(
  options: AnalysisOptions,
  visit?: (document: DocumentRecord) => void,
): Promise<ThemeData> {
  const data = await loadAnalysisData(options);
  const study = data.set.study!;
  const documents = await readThemeDocuments(study, visit);
  if (data.codings.size === 0) {
    throw new InputError(`no unit has been coded${data.coder === 'final' ? '' : ` by ${data.coder}`}`, {
      hint: "bring coders' work in first: coding import --coder NAME FILE",
    });
  }
  const unitDocument = documentOfEachUnit(data.set.units, documents);
  const input: ThemeInput = {
    codebook: data.set.codebook,
    codings: data.codings,
    sources: data.sources,
    documents,
    documentOf: (unitIndex) => unitDocument[unitIndex]!,
    unitId: (unitIndex) => data.set.units.idAt(unitIndex),
    unitText: () => '',
  };
  return {
    data,
    input,
    async texts(unitIds) {
      const found = new Map<string, string>();
      if (unitIds.size === 0) return found;
      for await (const unit of iterateUnits({
        cwd: study.workspace.root,
        workspace: study.workspace.root,
        filter: (_index, id) => unitIds.has(id),
      })) {
        found.set(unit.unit_id, unit.text);
        if (found.size === unitIds.size) break;
      }
      return found;
    },
  };
}

/**
 * Exemplars and the per-actor table of a category, with their texts read in one pass over the
 * corpus (the report needs both).
 */
export async function exemplarAndActorTables(
  themes: ThemeData,
  count: number,
  categoryId: string | undefined,
): Promise<{ exemplars: ExemplarRow[]; actors: ActorTableRow[] | undefined }> {
  const exemplarRows = exemplars(themes.input, count);
  const actorRows = categoryId === undefined ? undefined : actorTable(themes.input, categoryId);
  const texts = await themes.texts(
    new Set([
      ...exemplarRows.map((row) => row.unit_id),
      ...(actorRows ?? []).map((row) => row.exemplar_unit),
    ]),
  );
  return {
    exemplars: exemplarRows.map((row) => ({ ...row, text: texts.get(row.unit_id) ?? '' })),
    actors: actorRows?.map((row) => ({ ...row, exemplar: texts.get(row.exemplar_unit) ?? '' })),
  };
}

/** Exemplars with their texts. */
export async function exemplarTable(themes: ThemeData, count: number): Promise<ExemplarRow[]> {
  const rows = exemplars(themes.input, count);
  const texts = await themes.texts(new Set(rows.map((row) => row.unit_id)));
  return rows.map((row) => ({ ...row, text: texts.get(row.unit_id) ?? '' }));
}

/** The per-actor table of a category (the paper's rhetoric table), with exemplar texts. */
export async function actorTableWithTexts(themes: ThemeData, categoryId: string): Promise<ActorTableRow[]> {
  const { codebook } = themes.input;
  if (!codebook.categoryById.has(categoryId)) {
    throw new InputError(
      `no category "${categoryId}" in the codebook${didYouMean(
        categoryId,
        codebook.categories.map((category) => category.id),
      )}`,
      {
        hint: `the categories are ${codebook.categories.map((category) => category.id).join(', ')}`,
      },
    );
  }
  const rows = actorTable(themes.input, categoryId);
  const texts = await themes.texts(new Set(rows.map((row) => row.exemplar_unit)));
  return rows.map((row) => ({ ...row, exemplar: texts.get(row.exemplar_unit) ?? '' }));
}

/** The category the rhetoric table is about: the one given, else one with id `rhetoric`. */
export function rhetoricCategory(themes: ThemeData, given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  return themes.input.codebook.categoryById.has('rhetoric') ? 'rhetoric' : undefined;
}

/**
 * The code × group table, refusing a field that no document has.
 * @throws InputError naming the fields the documents do have
 */
export function groupTable(themes: ThemeData, field: GroupField, period: Period) {
  if (!someDocumentHas(themes.input.documents, field, period)) {
    const present = byFields.filter((candidate) =>
      someDocumentHas(themes.input.documents, candidate, period),
    );
    throw new InputError(`no document has a ${field}`, {
      hint: `group by a field the documents have: ${present.join(', ')} (add metadata with coding import --${field} …, or in the documents' front matter)`,
    });
  }
  return crossTable(themes.input, field, period);
}

export { cooccurrence, frequencies, triangulation };

/**
 * The codes to read with caution under the study's gate (coding.yaml `reliability.require`): the
 * same verdicts as `coding reliability` with the study's settings. `cautions` is undefined without
 * a gate; `note` says why no verdict could be made when the reliability cannot be computed.
 */
export async function themeCautions(
  themes: ThemeData,
): Promise<{ cautions: Map<string, GateResult> | undefined; note?: string }> {
  const workspace = themes.data.set.study!.workspace;
  const settings = workspace.config.reliability;
  if (!settings.require) return { cautions: undefined };
  const set = themes.data.set;
  // The final codes load every coder already; one coder's codes or a file load them again.
  const reuse = themes.data.coder === 'final' && set.coders.length >= 2;
  // Only α's interval for three or more coders needs the bootstrap; nothing else does.
  const needsBootstrap = settings.require.statistic === 'alpha' && settings.require.on === 'ci_low';
  try {
    const { report } = await computeReliability({
      cwd: workspace.root,
      workspace: workspace.root,
      ...(reuse ? { set } : {}),
      ...(needsBootstrap ? {} : { bootstrap: 0 }),
    });
    return { cautions: codeCautions(report) };
  } catch (error) {
    if (!(error instanceof CodingError)) throw error;
    return {
      cautions: new Map(),
      note: `the reliability gate could not be applied, so no code is flagged: ${error.message}`,
    };
  }
}
