/** The options and the result of `coding import FILE.qdpx`, and what its phases hand each other. */

import type { DocumentInput, RawMetadata } from '../core/documents.js';
import type { CrlfCount, OffsetUnit, OverlapRule, PositionMap, Range } from '../core/overlap.js';
import type { Finding } from '../errors.js';
import type { OtherSourceKind, QdeProject, QdpxLimits } from '../io/qdpx.js';
import type { Workspace } from '../io/workspace.js';
import type { UnitKind } from '../schema/config.js';
import type { ImportDocumentsResult } from './import-documents.js';

export const reviewedModes = ['document', 'selections'] as const;
export type ReviewedMode = (typeof reviewedModes)[number];

export interface ImportQdpxOptions {
  cwd: string;
  workspace?: string | undefined;
  /** The .qdpx file. */
  file: string;
  overlap: OverlapRule;
  /** Default: code points. */
  offsets?: OffsetUnit | undefined;
  /** Default: one for projects written by ATLAS.ti, else two. */
  crlf?: CrlfCount | undefined;
  /** Default: selections for projects this tool wrote, else document. */
  reviewed?: ReviewedMode | undefined;
  /** Segmentation of new documents (default: what a project of ours records, else coding.yaml). */
  unit?: UnitKind | undefined;
  /** REFI-QDA user (name, id or GUID) → coder name, from `--user NAME=CODER`. */
  users?: Record<string, string> | undefined;
  /** Make the project's codebook the workspace's even though the workspace has annotations. */
  switchCodebook?: boolean | undefined;
  /** Replace a coder's stored codes where the project codes a unit differently. */
  replace?: boolean | undefined;
  /** Re-segment documents whose text changed. */
  update?: boolean | undefined;
  dryRun?: boolean | undefined;
  /** Folder that `relative://` sources are relative to (default: the project's basePath if it exists here, else the .qdpx's folder). */
  basePath?: string | undefined;
  limits?: QdpxLimits | undefined;
  /** Metadata for documents that do not say (the import flags --actor, --attr…); the project's values win. */
  metadata?: RawMetadata | undefined;
}

export interface ImportedCoder {
  /** The REFI-QDA user's GUID ('' for codings that name no user). */
  userGuid: string;
  /** The user's name (or id) in the project. */
  user: string;
  coder: string;
  codings: number;
  documents: number;
  unitsReviewed: number;
  unitsCoded: number;
  /** What storing the annotations did (absent in a dry run, or when nothing could be stored). */
  stored?: {
    added: number;
    unchanged: number;
    replaced: number;
    kept: number;
    total: number;
    written: boolean;
    backup?: string;
  };
}

export interface ImportQdpxResult {
  file: string;
  project: { name: string; origin: string | undefined };
  settings: {
    overlap: OverlapRule;
    offsets: OffsetUnit;
    crlf: CrlfCount;
    reviewed: ReviewedMode;
    /** How the position reading was chosen (the producer's rule, a measurement, or the options). */
    positions: string;
  };
  sources: {
    text: number;
    imported: number;
    empty: string[];
    /** Text sources whose text is not there (named), with the codings left out with them. */
    missing: Array<{ name: string; codings: number }>;
    skipped: Record<OtherSourceKind, number>;
  };
  documents: ImportDocumentsResult;
  /** Elements not carried over, by kind, with their count (graphs, links, descriptions of selections). */
  leftOut: Record<string, number>;
  /** Sets of documents: how many, how many memberships became a document's `sets` attribute, how many members were left out. */
  documentSets: { sets: number; memberships: number; leftOut: number };
  /** `written` and `switched`: done (never in a dry run); `planned`: what the import does or would do. */
  codebook:
    | {
        file: string;
        written: boolean;
        switched: boolean;
        planned: { write: boolean; switch: boolean };
        categories: number;
        codes: number;
      }
    | undefined;
  coders: ImportedCoder[];
  /** The project's selections kept as they were (for the export), in `file`: how many; written (never in a dry run). */
  selections: { file: string; kept: number; written: boolean };
  warnings: Finding[];
  dryRun: boolean;
}

export interface PlannedDocument {
  input: DocumentInput;
  sourceIndex: number;
  map: PositionMap;
}

export interface CoderWork {
  userGuid: string;
  coder: string;
  codings: number;
  /** Documents in which the coder made at least one coding. */
  documents: Set<string>;
  /** Per document, per code index, the ranges coded. */
  ranges: Map<string, Map<number, Range[]>>;
  /** Per document, ranges the coder's selections cover, with or without a code. */
  reviewed: Map<string, Range[]>;
  memos: Array<{ docId: string; code: number; range: Range; text: string }>;
}

/** Where the coding of a unit by a coder ends up: unit id → code indices (empty: reviewed, no code). */
export type CoderPairs = Map<string, Set<number>>;

/** What every phase of an import reads: the options, the workspace, the project, and where warnings go. */
export interface ImportContext {
  options: ImportQdpxOptions;
  workspace: Workspace;
  /** The .qdpx file as the user named it. */
  shownAs: string;
  project: QdeProject;
  warnings: Finding[];
  warn: (code: string, message: string, where?: string) => void;
}

/** A warning collector for `shownAs`. */
export function warningsFor(shownAs: string, warnings: Finding[]): ImportContext['warn'] {
  return (code, message, where) => {
    warnings.push({
      code,
      severity: 'warning',
      file: shownAs,
      ...(where === undefined ? {} : { path: where }),
      message,
    });
  };
}
