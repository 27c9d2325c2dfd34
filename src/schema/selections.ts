/**
 * `annotations/selections.json`: the text selections of the REFI-QDA projects imported into the
 * workspace, kept as they were, so that `coding export --format qdpx` gives them back (GUIDs,
 * positions, users, dates) instead of re-cutting them to whole units. Written by
 * `coding import FILE.qdpx`; read by the export.
 */
import { z } from 'zod';

export const selectionsFormatVersion = 1;

const guid = z.string().min(1).describe('A GUID, bare and in lower case');

const stamps = {
  creationDateTime: z.string().optional().describe('As the producer wrote it'),
  modifyingUser: guid.optional(),
  modifiedDateTime: z.string().optional().describe('As the producer wrote it'),
};

export const storedCodingSchema = z
  .object({
    guid,
    code: guid.nullable().describe("GUID of the coding's code in the project (null: the coding names none)"),
    creatingUser: guid.optional().describe('The user who applied the code, as written (absent: not written)'),
    coder: z
      .string()
      .optional()
      .describe('The coder whose annotations it went into (absent: none, e.g. a case or an unknown code)'),
    notes: z.array(guid).optional().describe('GUIDs of the notes the coding refers to'),
    ...stamps,
  })
  .strict();

export const storedSelectionSchema = z
  .object({
    guid,
    name: z.string().optional(),
    start: z.number().int().describe('startPosition as written in the project'),
    end: z.number().int().describe('endPosition as written in the project'),
    codePointStart: z.number().int().min(0).describe('Start in code points of the stored (normalised) text'),
    codePointEnd: z.number().int().min(0).describe('End in code points of the stored (normalised) text'),
    creatingUser: guid.optional(),
    description: z.string().optional(),
    notes: z.array(guid).optional(),
    codings: z.array(storedCodingSchema),
    ...stamps,
  })
  .strict();

export const storedSourceSchema = z
  .object({
    document: z.string().describe('The corpus document the source became'),
    guid,
    name: z.string().optional(),
    project: z
      .object({
        file: z.string().describe('Base name of the .qdpx'),
        name: z.string(),
        origin: z.string().nullable().describe('The program that wrote it (the origin attribute)'),
        offsets: z.enum(['codepoints', 'utf16']).describe('How its positions were read'),
        crlf: z.enum(['two', 'one']),
        overlap: z.enum(['any', 'majority', 'full']),
        reviewed: z.enum(['document', 'selections']),
      })
      .strict(),
    text: z
      .object({
        hash: z.string().describe('SHA-256 of the stored text the code point offsets refer to'),
        original: z.string().describe('SHA-256 of the plain text as the project held it, without a BOM'),
        bom: z.boolean(),
        lineEnds: z.enum(['crlf', 'lf', 'cr', 'mixed', 'none']),
      })
      .strict(),
    selections: z.array(storedSelectionSchema),
    codings: z.array(storedCodingSchema).describe('Codings of the source as a whole'),
  })
  .strict();

export const selectionsFileSchema = z
  .object({
    format: z.literal('coding-refi-selections'),
    version: z.literal(selectionsFormatVersion),
    users: z
      .array(
        z
          .object({
            guid,
            name: z.string().optional(),
            id: z.string().optional(),
            coder: z.string().optional().describe('The coder name the user was given'),
          })
          .strict(),
      )
      .describe('The projects’ users, sorted by GUID'),
    notes: z.array(z.object({ guid, name: z.string().optional(), text: z.string() }).strict()),
    documentSets: z
      .array(z.object({ guid, name: z.string() }).strict())
      .describe('GUIDs of the sets of documents, by name'),
    sources: z.array(storedSourceSchema).describe('Sorted by document id'),
  })
  .strict();

export type SelectionsFile = z.infer<typeof selectionsFileSchema>;
export type StoredSource = z.infer<typeof storedSourceSchema>;
export type StoredSelection = z.infer<typeof storedSelectionSchema>;
export type StoredCoding = z.infer<typeof storedCodingSchema>;
