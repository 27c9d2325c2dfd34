/** Files of coders' work under `annotations/`: their columns, sidecar metadata, and reserved names. */
import { z } from 'zod';

export const annotationsFormatVersion = 1;

/** Long layout of a coder's stored annotations: one row per (unit, code); an empty code = reviewed, no code applies. */
export const storedAnnotationsHeader = ['unit_id', 'code', 'memo'] as const;

/** Names that cannot be coders: they are other files of annotations/, or the analysis data set. */
export const reservedCoderNames = new Set(['sample', 'adjudication', 'final', 'merge', 'backup']);

export const annotationsMetaSchema = z
  .object({
    format: z.literal('coding-annotations'),
    version: z.literal(annotationsFormatVersion),
    coder: z.string(),
    codebook: z.string().describe('The codebook file the annotations were checked against'),
    codebook_hash: z.string().describe('Content hash of that codebook, to detect later changes'),
    units_reviewed: z.number().int(),
    codings: z.number().int(),
  })
  .strict();

export type AnnotationsMeta = z.infer<typeof annotationsMetaSchema>;

/** Marks that mean "this code applies" in a wide file or a coding sheet (case-insensitive). */
export const presentMarks = new Set(['1', 'x', 'yes', 'y', 'true', '✓', '✔', 'wahr', 'vrai', 'sí', 'si']);
/** Marks that mean "this code does not apply". */
export const absentMarks = new Set(['', '0', 'no', 'n', 'false', '-', 'falsch', 'faux']);

/** Columns of a wide file or coding sheet that are not codes. */
export const sheetColumns = [
  'unit_id',
  'doc_id',
  'ordinal',
  'actor',
  'source',
  'genre',
  'date',
  'role',
  'title',
  'context_before',
  'text',
  'context_after',
  'none',
  'memo',
  'coder',
] as const;
