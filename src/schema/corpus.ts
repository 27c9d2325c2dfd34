/**
 * The corpus store (`corpus/` in a workspace): `documents.jsonl` (one document a line, with its
 * metadata and text), `units.csv` (the unit index) and `corpus.json` (format version and counts).
 */
import { z } from 'zod';
import { unitKinds } from './config.js';
import { textFields } from './fields.js';

export const corpusFormatVersion = 1;

/** Document ids are slugs: they appear in unit ids (`doc:3`), file names and URLs. */
export const documentIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export const roles = ['primary', 'secondary'] as const;
export type Role = (typeof roles)[number];

/** Metadata fields with a meaning of their own; any other field is kept under `attributes`. */
export const standardFields = [...textFields, 'role'] as const;
export type StandardField = (typeof standardFields)[number];

export const documentRecordSchema = z
  .object({
    id: z.string().regex(documentIdPattern).describe('Document id (a slug)'),
    title: z.string().optional().describe('Title, when one was given (readers show the id otherwise)'),
    actor: z.string().optional().describe('Speaker or author'),
    source: z.string().optional().describe('Outlet or institution'),
    genre: z
      .string()
      .optional()
      .describe('Press conference, press release, social post, news article, briefing…'),
    date: z.string().optional().describe('ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or a date-time)'),
    language: z.string().optional().describe('Language of the text (BCP 47)'),
    url: z.string().optional().describe('Where the document was found'),
    accessed: z.string().optional().describe('ISO 8601 date the document was accessed'),
    role: z.enum(roles).optional().describe('primary or secondary source, for triangulation'),
    attributes: z.record(z.string(), z.string()).describe('User-defined metadata'),
    unit: z.enum(unitKinds).describe('How the document was segmented'),
    origin: z.string().describe('The file (and line, for a table row) the document was imported from'),
    pages: z
      .array(z.number().int().min(0))
      .optional()
      .describe('A paged source (PDF): the code point offset in the text at which each page starts'),
    hash: z.string().describe('SHA-256 of the text'),
    text: z.string().describe('The text: UTF-8, LF line ends, Unicode NFC'),
  })
  .strict();

export type DocumentRecord = z.infer<typeof documentRecordSchema>;

export interface UnitRecord {
  /** `doc:n`, stable across re-imports: n is given when the unit first appears and never reused. */
  id: string;
  docId: string;
  /** 1-based position of the unit in its document. */
  ordinal: number;
  /** Offsets in code points into the document text. */
  start: number;
  end: number;
  /** First 16 hex digits of the SHA-256 of the unit's text. */
  hash: string;
}

export const unitsHeader = ['unit_id', 'doc_id', 'ordinal', 'start', 'end', 'hash'] as const;

export const corpusManifestSchema = z
  .object({
    format: z.literal('coding-corpus'),
    version: z.literal(corpusFormatVersion),
    documents: z.number().int().min(0),
    units: z.number().int().min(0),
    note: z.string().optional(),
  })
  .strict();

export type CorpusManifest = z.infer<typeof corpusManifestSchema>;
