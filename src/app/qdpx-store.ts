/**
 * The units after an import, the check of the project's codings against each coder's stored
 * annotations (before anything is written), and the storing of the annotations.
 */
import path from 'node:path';
import type { CodebookModel } from '../core/codebook.js';
import { Codings, packKey } from '../core/codings.js';
import { buildDocument, freshUnits, reconcileUnits } from '../core/documents.js';
import { FixedUnitIndex } from '../core/units.js';
import { type Finding, InputError } from '../errors.js';
import type { LoadedCorpus } from '../io/corpus-store.js';
import type { Workspace } from '../io/workspace.js';
import type { UnitRecord } from '../schema/corpus.js';
import { storeCodings } from './import-annotations.js';
import type { CoderOutcome } from './qdpx-codings.js';
import type { ImportContext, ImportedCoder, PlannedDocument } from './qdpx-types.js';
import { codersWithAnnotationsIn, loadCoder, openStudy, relativeTo, type Study } from './study.js';

/** Each planned document's units as they will be after the import (stable ids, as `coding import` makes them). */
export function unitsAfterImport(
  workspace: Workspace,
  planned: readonly PlannedDocument[],
  corpus: LoadedCorpus | undefined,
): Map<string, UnitRecord[]> {
  const segmentOptions = {
    language: workspace.config.segmentation.language,
    ...(workspace.config.segmentation.abbreviations
      ? { abbreviations: workspace.config.segmentation.abbreviations }
      : {}),
  };
  const unitsByDocument = new Map<string, UnitRecord[]>();
  for (const document of planned) {
    const built = buildDocument(document.input, {}, segmentOptions).document!;
    const existing = corpus?.documentById.get(document.input.id);
    const oldUnits = corpus?.unitsByDocument.get(document.input.id) ?? [];
    unitsByDocument.set(
      document.input.id,
      existing === undefined
        ? freshUnits(document.input.id, built.spans)
        : existing.hash === built.record.hash && existing.unit === document.input.unit
          ? oldUnits
          : reconcileUnits(document.input.id, oldUnits, built.spans).units,
    );
  }
  return unitsByDocument;
}

/** The unit ids of the corpus after the import, in corpus order: documents in place, new ones appended. */
function futureUnitIds(
  corpus: LoadedCorpus | undefined,
  ids: string[],
  unitsByDocument: Map<string, UnitRecord[]>,
): string[] {
  const result: string[] = [];
  const known = new Set<string>();
  for (const document of corpus?.documents ?? []) {
    known.add(document.id);
    const units = unitsByDocument.get(document.id) ?? corpus!.unitsByDocument.get(document.id) ?? [];
    for (const unit of units) result.push(unit.id);
  }
  for (const id of ids) {
    if (known.has(id)) continue;
    known.add(id);
    for (const unit of unitsByDocument.get(id) ?? []) result.push(unit.id);
  }
  return result;
}

export interface ConflictCheck {
  model: CodebookModel;
  codebookFile: string;
  switched: boolean;
  corpus: LoadedCorpus | undefined;
  planned: readonly PlannedDocument[];
  unitsByDocument: Map<string, UnitRecord[]>;
  outcomes: ReadonlyMap<string, CoderOutcome>;
}

/**
 * Refuses (nothing written) when the project codes a unit differently from a coder's stored
 * annotations (unless `--replace`), or when a switched codebook no longer fits stored annotations.
 */
export async function checkConflicts(context: ImportContext, check: ConflictCheck): Promise<void> {
  const { workspace, shownAs } = context;
  const futureIds = futureUnitIds(
    check.corpus,
    check.planned.map((document) => document.input.id),
    check.unitsByDocument,
  );
  const futureStudy: Study = {
    workspace,
    codebook: check.model,
    codebookFile: check.codebookFile,
    units: new FixedUnitIndex(futureIds),
  };
  const conflicts: Finding[] = [];
  for (const coder of await codersWithAnnotationsIn(workspace)) {
    const incoming = check.outcomes.get(coder);
    if (incoming === undefined && !check.switched) continue;
    const stored = await loadCoder(futureStudy, coder, { required: false }).catch((error: unknown) => {
      if (check.switched && error instanceof InputError) {
        throw new InputError(
          `nothing imported: with the project's codebook, ${relativeTo(workspace, path.join(workspace.paths.annotations, `${coder}.csv`))} would no longer fit it`,
          {
            findings: error.findings,
            hint: 'import the project into a new workspace (coding init DIR), or bring the codebooks together first.',
          },
        );
      }
      throw error;
    });
    if (stored === undefined || incoming === undefined) continue;
    conflicts.push(...coderConflicts(shownAs, coder, futureStudy, stored, incoming));
  }
  if (conflicts.length > 0 && context.options.replace !== true) {
    throw new InputError(
      `nothing imported: ${conflicts.length} unit${conflicts.length === 1 ? ' is' : 's are'} coded differently from the stored annotations`,
      {
        findings: conflicts.slice(0, 100),
        hint: 'to replace them, run again with --replace (the stored files are copied to annotations/.backup/ first); check --overlap and --offsets too.',
      },
    );
  }
}

/** The units one coder's stored annotations code differently from the project (codes or memos). */
function coderConflicts(
  shownAs: string,
  coder: string,
  study: Study,
  stored: NonNullable<Awaited<ReturnType<typeof loadCoder>>>,
  incoming: CoderOutcome,
): Finding[] {
  const conflicts: Finding[] = [];
  const describe = (list: Iterable<number>): string =>
    [...list].length === 0 ? '(no code)' : [...list].map((code) => study.codebook.codes[code]!.id).join(' ');
  for (const [unitId, codes] of incoming.pairs) {
    const unitIndex = study.units.indexOf(unitId);
    const codings = stored.codings.codesOf(unitIndex);
    if (codings === undefined) continue;
    const before = [...codings].sort((left, right) => left - right).join(' ');
    const after = [...codes].sort((left, right) => left - right).join(' ');
    const memoOf = (code: number): string => stored.memos.get(packKey(unitIndex, code)) ?? '';
    const memoKeys = codes.size === 0 ? [-1] : [...codes];
    const sameMemos = memoKeys.every(
      (code) => memoOf(code) === (incoming.memos.get(`${unitId}\u0000${code}`) ?? ''),
    );
    if (before !== after || !sameMemos) {
      conflicts.push({
        code: 'CHANGED_CODES',
        severity: 'error',
        file: shownAs,
        message:
          before !== after
            ? `unit ${unitId} is coded ${describe(codings)} in annotations/${coder}.csv, and ${describe(codes)} in the project`
            : `unit ${unitId}: the memo differs from the one in annotations/${coder}.csv`,
      });
    }
  }
  return conflicts;
}

/** Stores each coder's codes and memos (after the corpus is written), filling in `stored` of each coder. */
export async function storeOutcomes(
  context: ImportContext,
  outcomes: ReadonlyMap<string, CoderOutcome>,
  coders: ImportedCoder[],
): Promise<void> {
  const withPairs = [...outcomes.entries()].filter(([, { pairs }]) => pairs.size > 0);
  if (withPairs.length === 0) return;
  const study = await openStudy({ cwd: context.options.cwd, workspace: context.workspace.root });
  for (const [coder, { pairs, memos }] of withPairs) {
    const keys: number[] = [];
    const memoByKey = new Map<number, string>();
    for (const [unitId, codes] of pairs) {
      const unitIndex = study.units.indexOf(unitId);
      if (unitIndex < 0) throw new Error(`unit ${unitId} is missing from the corpus after the import`);
      if (codes.size === 0) keys.push(packKey(unitIndex, -1));
      for (const code of codes) keys.push(packKey(unitIndex, code));
      for (const code of codes.size === 0 ? [-1] : codes) {
        const memo = memos.get(`${unitId}\u0000${code}`);
        if (memo !== undefined) memoByKey.set(packKey(unitIndex, code), memo);
      }
    }
    const stored = await storeCodings(study, {
      coder,
      codings: Codings.fromSortedKeys(Float64Array.from(keys).sort()),
      memos: memoByKey,
      shownAs: context.options.file,
      replace: context.options.replace === true,
    });
    context.warnings.push(...stored.warnings);
    const entry = coders.find((item) => item.coder === coder)!;
    entry.stored = {
      ...stored.units,
      written: stored.written,
      ...(stored.backup === undefined ? {} : { backup: stored.backup }),
    };
  }
}
