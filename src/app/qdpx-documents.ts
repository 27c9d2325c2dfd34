/**
 * A project's text sources as corpus documents: how positions are read, each source's id,
 * metadata (variables and cases) and segmentation, and what is left out (empty, missing, media).
 */
import path from 'node:path';
import { isIsoDate } from '../core/dates.js';
import { type RawMetadata, slugify } from '../core/documents.js';
import { type PositionPieces, positionMapOf } from '../core/overlap.js';
import { choosePositionReading } from '../core/position-reading.js';
import { type Finding, InputError } from '../errors.js';
import type { LoadedCorpus } from '../io/corpus-store.js';
import {
  type OtherSourceKind,
  otherSourceKinds,
  type QdeTextSource,
  type QdeVariableValue,
} from '../io/qdpx.js';
import { type UnitKind, unitKinds } from '../schema/config.js';
import { documentIdPattern, roles, standardFields } from '../schema/corpus.js';
import type { ImportContext, ImportQdpxResult, PlannedDocument, ReviewedMode } from './qdpx-types.js';

/** The metadata key of a REFI-QDA variable: a standard field when its name is one (any case), else the name. */
function metadataKey(name: string): string {
  const trimmed = name.trim();
  const lower = trimmed.toLowerCase();
  return (standardFields as readonly string[]).includes(lower) ? lower : trimmed;
}

/** How many codings a source carries (its own and its selections'). */
export function codingsOfSource(source: QdeTextSource): number {
  return (
    source.codings.length + source.selections.reduce((sum, selection) => sum + selection.codings.length, 0)
  );
}

/** The import's settings: the position reading chosen for these texts (per producer or measured), overlap, reviewed. */
export function chooseSettings(
  context: ImportContext,
  analyses: ReadonlyArray<PositionPieces | undefined>,
): ImportQdpxResult['settings'] {
  const { options, project } = context;
  const choice = choosePositionReading(
    project.textSources.flatMap((source, index) => {
      const pieces = analyses[index];
      return pieces === undefined ? [] : [{ pieces, selections: source.selections }];
    }),
    project.origin,
    // A project of ours says how it counted (an export made for NVivo or ATLAS.ti); the options win.
    { offsets: options.offsets ?? project.marker?.offsets, crlf: options.crlf ?? project.marker?.crlf },
  );
  if (choice.overruled)
    context.warn(
      'QDPX_POSITIONS_MEASURED',
      `positions read as ${choice.reading.offsets === 'utf16' ? 'UTF-16 code units' : 'code points'} with CRLF as ${choice.reading.crlf}: ${choice.reason}`,
    );
  return {
    overlap: options.overlap,
    offsets: choice.reading.offsets,
    crlf: choice.reading.crlf,
    reviewed:
      options.reviewed ?? (project.marker !== undefined ? 'selections' : ('document' as ReviewedMode)),
    positions: choice.reason,
  };
}

export interface DocumentPlan {
  planned: PlannedDocument[];
  emptySources: string[];
}

/** Each source whose text was read becomes a planned document (empty texts are left out with a warning). */
export function planDocuments(
  context: ImportContext,
  analyses: ReadonlyArray<PositionPieces | undefined>,
  settings: ImportQdpxResult['settings'],
  corpus: LoadedCorpus | undefined,
): DocumentPlan {
  const { project, shownAs, warn } = context;
  const usedIds = new Set<string>();
  const planned: PlannedDocument[] = [];
  const emptySources: string[] = [];
  for (const [sourceIndex, source] of project.textSources.entries()) {
    const pieces = analyses[sourceIndex];
    if (pieces === undefined) continue;
    const label = source.name ?? source.guid;
    const map = positionMapOf(pieces, settings);
    if (map.text.trim() === '') {
      emptySources.push(label);
      const codings = codingsOfSource(source);
      warn(
        'QDPX_EMPTY_SOURCE',
        `source "${label}" has no text; left out${codings > 0 ? ` with its ${codings} coding${codings === 1 ? '' : 's'}` : ''}`,
        source.where,
      );
      continue;
    }
    if (!map.exact)
      warn(
        'QDPX_INEXACT_POSITIONS',
        `the text of "${label}" changes under Unicode normalisation in a way positions cannot follow exactly; check its codings`,
        source.where,
      );
    const id = documentId(source, usedIds);
    const metadata = sourceMetadata(context, source, id);
    const recordedUnit = project.marker?.units[source.guid];
    const unit: UnitKind =
      context.options.unit ??
      ((unitKinds as readonly string[]).includes(recordedUnit ?? '')
        ? (recordedUnit as UnitKind)
        : context.workspace.config.segmentation.unit);
    const existing = corpus?.documentById.get(id);
    const origin =
      existing !== undefined && existing.text === map.text
        ? existing.origin
        : `${path.basename(shownAs)}#${source.name ?? source.guid}`;
    planned.push({
      input: { id, text: map.text, location: { file: shownAs, path: source.where }, origin, metadata, unit },
      sourceIndex,
      map,
    });
  }
  return { planned, emptySources };
}

/** The source's name when it is a valid id, else a slug of it; `-2`, `-3` when taken. */
function documentId(source: QdeTextSource, usedIds: Set<string>): string {
  let id =
    source.name !== undefined && documentIdPattern.test(source.name)
      ? source.name
      : slugify(source.name ?? source.guid);
  const base = id;
  for (let counter = 2; usedIds.has(id); counter++) id = `${base}-${counter}`;
  usedIds.add(id);
  return id;
}

/** A source's metadata: its variable values, then its cases' values where it says nothing, the case names, its title. */
function sourceMetadata(context: ImportContext, source: QdeTextSource, id: string): RawMetadata {
  const { project, warn } = context;
  const label = source.name ?? source.guid;
  const variablesByGuid = new Map(project.variables.map((variable) => [variable.guid, variable]));
  const metadata: RawMetadata = {};
  const apply = (values: readonly QdeVariableValue[], overwrite: boolean, where: string): void => {
    for (const { variableGuid, value } of values) {
      const variable = variablesByGuid.get(variableGuid);
      if (variable === undefined) {
        warn(
          'QDPX_UNKNOWN_VARIABLE',
          `a value refers to variable ${variableGuid}, which <Variables> does not define; left out`,
          where,
        );
        continue;
      }
      const key = checkedKey(context, metadataKey(variable.name), variable.name, value, label, where);
      if (overwrite || metadata[key] === undefined) metadata[key] = value;
      else if (metadata[key] !== value) {
        warn(
          'QDPX_CASE_VALUES',
          `the cases of "${label}" give ${variable.name} two values, "${metadata[key]}" and "${value}"; both are kept`,
          where,
        );
        metadata[key] = `${metadata[key]}; ${value}`;
      }
    }
  };
  const cases = project.cases.filter((item) => item.sourceGuids.includes(source.guid));
  for (const item of cases) apply(item.values, false, `Cases/Case[@guid="${item.guid}"]`);
  apply(source.values, true, source.where);
  if (cases.length > 0 && metadata['case'] === undefined)
    metadata['case'] = cases.map((item) => item.name ?? item.guid).join('; ');
  const sets = project.sets.filter((set) => set.sourceGuids.includes(source.guid)).map((set) => set.name);
  if (sets.length > 0 && metadata['sets'] === undefined)
    metadata['sets'] = [...new Set(sets)].sort().join('; ');
  if (metadata['title'] === undefined && source.name !== undefined && source.name !== id)
    metadata['title'] = source.name;
  return metadata;
}

/** A date that is not ISO 8601 or a role that is not ours is kept under `<key>_text`, with a warning. */
function checkedKey(
  context: ImportContext,
  key: string,
  name: string,
  value: string,
  label: string,
  where: string,
): string {
  if ((key === 'date' || key === 'accessed') && value !== '' && !isIsoDate(value)) {
    context.warn(
      'QDPX_DATE',
      `${name} "${value}" of "${label}" is not an ISO 8601 date; kept as the attribute ${key}_text`,
      where,
    );
    return `${key}_text`;
  }
  if (key === 'role' && value !== '' && !(roles as readonly string[]).includes(value)) {
    context.warn(
      'QDPX_ROLE',
      `role "${value}" of "${label}" is not primary or secondary; kept as the attribute role_text`,
      where,
    );
    return 'role_text';
  }
  return key;
}

/**
 * Sources whose text is missing, by name with their codings. Texts that could not be read are
 * warnings when something usable remains, and stop the import (nothing written) when nothing does.
 */
export function missingSources(
  context: ImportContext,
  originals: ReadonlyArray<unknown>,
  problems: readonly Finding[],
  plannedCount: number,
): ImportQdpxResult['sources']['missing'] {
  const { project } = context;
  const missing = project.textSources.flatMap((source, index) =>
    originals[index] === undefined
      ? [{ name: source.name ?? source.guid, codings: codingsOfSource(source) }]
      : [],
  );
  if (problems.length > 0 && (plannedCount > 0 || project.codebookQdc !== undefined)) {
    // Import what is there (a repackaged project may lack some texts); list what is missing.
    for (const problem of problems) context.warnings.push({ ...problem, severity: 'warning' });
  } else if (problems.length > 0) {
    throw new InputError(
      `nothing imported: the text of ${problems.length} source${problems.length === 1 ? '' : 's'} cannot be read`,
      {
        findings: [...problems],
        hint: 'export the project again with its sources inside the archive, or pass --base-path DIR for relative:// sources.',
      },
    );
  }
  return missing;
}

/** PDF, picture, audio and video sources, counted by kind and named in one warning. */
export function skippedSources(context: ImportContext): Record<OtherSourceKind, number> {
  const { project } = context;
  const skipped = Object.fromEntries(otherSourceKinds.map((kind) => [kind, 0])) as Record<
    OtherSourceKind,
    number
  >;
  for (const source of project.otherSources) skipped[source.kind]++;
  const leftOut = Object.entries(project.leftOut);
  if (leftOut.length > 0)
    context.warn(
      'QDPX_LEFT_OUT',
      `left out, as nothing here holds them: ${leftOut.map(([kind, number]) => `${number} ${number === 1 ? kind.replace(/^graphs|^links|^descriptions|^notes/, (word) => word.slice(0, -1)) : kind}`).join(', ')}`,
    );
  const count = project.otherSources.length;
  if (count > 0) {
    context.warn(
      'QDPX_SKIPPED_SOURCES',
      `${count} source${count === 1 ? ' is' : 's are'} not text and ${count === 1 ? 'was' : 'were'} left out: ${otherSourceKinds
        .filter((kind) => skipped[kind] > 0)
        .map((kind) => `${skipped[kind]} ${kind.replace('Source', '')}`)
        .join(', ')}`,
    );
  }
  return skipped;
}

/**
 * Sets of documents (`<Set>` with `MemberSource`) are kept as the attribute `sets` of each member
 * document (the set names, sorted, `; `-separated; see sourceMetadata). Members that are not an
 * imported text source (a PDF, a picture, a source missing from the archive) and notes are counted
 * and named in a warning, never dropped silently.
 */
export function documentSets(
  context: ImportContext,
  planned: readonly PlannedDocument[],
): ImportQdpxResult['documentSets'] {
  const { project } = context;
  const imported = new Set(planned.map((document) => project.textSources[document.sourceIndex]!.guid));
  let sets = 0;
  let memberships = 0;
  let leftOut = 0;
  let notes = 0;
  const named: string[] = [];
  for (const set of project.sets) {
    if (set.sourceGuids.length === 0 && set.notes === 0) continue;
    sets++;
    const kept = set.sourceGuids.filter((guid) => imported.has(guid)).length;
    memberships += kept;
    leftOut += set.sourceGuids.length - kept;
    notes += set.notes;
    if (kept < set.sourceGuids.length || set.notes > 0) named.push(`"${set.name}"`);
  }
  if (leftOut + notes > 0) {
    context.warn(
      'QDPX_SET_MEMBERS',
      `sets of documents: ${leftOut} member${leftOut === 1 ? ' is' : 's are'} not a text source imported here (a PDF, picture, audio or video source, or a text missing from the archive)${notes > 0 ? ` and ${notes} ${notes === 1 ? 'is a note' : 'are notes'}` : ''}; left out of ${named.length === 1 ? 'the set' : 'the sets'} ${named.slice(0, 10).join(', ')}${named.length > 10 ? ', …' : ''}`,
      'Sets',
    );
  }
  return { sets, memberships, leftOut: leftOut + notes };
}
