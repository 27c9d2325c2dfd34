/**
 * REFI-QDA projects (`.qdpx`, QDA-XML 1.0, namespace `urn:QDA-XML:project:1.0`): the model of a
 * project as read. The archive is read and written by `zip.ts`, `project.qde` by `qde-read.ts`
 * and `qde-write.ts`.
 */
import type { Finding } from '../errors.js';

export interface QdeUser {
  guid: string;
  name: string | undefined;
  id: string | undefined;
}

export interface QdeVariable {
  guid: string;
  name: string;
  type: string;
}

export interface QdeVariableValue {
  variableGuid: string;
  value: string;
}

export interface QdeCase {
  guid: string;
  name: string | undefined;
  sourceGuids: string[];
  values: QdeVariableValue[];
}

/** Dates and the modifying user as the producer wrote them (kept verbatim, written back on export). */
export interface QdeStamps {
  creationDateTime?: string;
  modifyingUser?: string;
  modifiedDateTime?: string;
}

export interface QdeCoding extends QdeStamps {
  guid: string;
  codeGuid: string | undefined;
  creatingUser: string | undefined;
  noteGuids: string[];
}

export interface QdeSelection extends QdeStamps {
  guid: string;
  name: string | undefined;
  start: number;
  end: number;
  creatingUser: string | undefined;
  codings: QdeCoding[];
  noteGuids: string[];
  /** The selection's `<Description>` (absent or empty: undefined). */
  description?: string;
  /** `Sources/TextSource[2]/PlainTextSelection[5]`, for messages. */
  where: string;
}

export interface QdeText {
  guid: string;
  name: string | undefined;
  plainTextContent: string | undefined;
  plainTextPath: string | undefined;
  where: string;
}

export interface QdeTextSource extends QdeText {
  creatingUser: string | undefined;
  selections: QdeSelection[];
  /** Codings of the source as a whole. */
  codings: QdeCoding[];
  values: QdeVariableValue[];
}

export const otherSourceKinds = ['PDFSource', 'PictureSource', 'AudioSource', 'VideoSource'] as const;
export type OtherSourceKind = (typeof otherSourceKinds)[number];

/** What this tool writes in a comment of the projects it exports, so that it can read them back exactly. */
export interface ProjectMarker {
  tool: string;
  /** Which units a coder reviewed: those their selections cover (with or without a code). */
  reviewed: 'selections';
  /** Unit kind of each document, by TextSource GUID. */
  units: Record<string, string>;
  /**
   * Documents (TextSource GUIDs) in which every unit counts as reviewed by a user (user GUID → list):
   * those of an imported project read so (`--reviewed document`), given back with its own selections.
   */
  reviewedDocuments?: Record<string, string[]>;
  /** How positions were counted, when not as code points with CRLF as two (an export made for NVivo or ATLAS.ti). */
  offsets?: 'codepoints' | 'utf16';
  crlf?: 'one' | 'two';
}

/** A `<Set>` of the project: its members by kind (codes go to the codebook's `sets:`, sources to the documents' `sets` attribute). */
export interface QdeSet {
  guid: string;
  name: string;
  codeGuids: string[];
  sourceGuids: string[];
  notes: number;
}

export interface QdeProject {
  name: string;
  origin: string | undefined;
  basePath: string | undefined;
  users: QdeUser[];
  /** The project's `<CodeBook>` as a `.qdc` document, for `parseQdc`; undefined without a codebook. */
  codebookQdc: string | undefined;
  variables: QdeVariable[];
  cases: QdeCase[];
  textSources: QdeTextSource[];
  otherSources: Array<{ kind: OtherSourceKind; guid: string; name: string | undefined }>;
  notes: QdeText[];
  sets: QdeSet[];
  /** Elements the import does not carry over, by kind, with their count (graphs, links, notes attached to nothing, any element it does not read). */
  leftOut: Record<string, number>;
  marker: ProjectMarker | undefined;
  warnings: Finding[];
}

/** The comment that marks a project written by this tool, and the one that carries its codebook's metadata. */
export const markerPrefix = 'coding project:';
export const codebookCommentPrefix = 'coding codebook:';

export { parseProject } from './qde-read.js';
export { type ProjectXml, projectToQde } from './qde-write.js';
export {
  crc32,
  defaultQdpxLimits,
  openZip,
  type QdpxLimits,
  unsafeEntryName,
  type ZipArchive,
  type ZipEntry,
  zipProject,
} from './zip.js';
