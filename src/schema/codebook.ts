/**
 * The codebook format (`codebooks/<name>.yaml`): categories of codes with definitions and rules.
 * This schema is the single source of truth: types come from it, and `schemas/codebook.schema.json`
 * is generated from it for editors.
 */
import { z } from 'zod';
import { patternProblem } from '../core/autocode/patterns.js';

export const codebookFormatVersion = 1;

/** Ids are dotted slugs: `trade`, `trade.ntb`, `trade.ntb.sps`. */
export const codeIdPattern = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*$/;

const codeId = z
  .string()
  .regex(
    codeIdPattern,
    'an id is lower-case letters, digits, "-" or "_", in parts joined by "." (for example trade.ntb)',
  );

/** A REFI-QDA GUID kept from an imported codebook or project, so that an export gives it back. */
const refiGuid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'a GUID is written in lower case, 8-4-4-4-12 hex digits',
  )
  .describe(
    'The GUID this entry had in the REFI-QDA codebook or project it was imported from; exports write it back (absent: a GUID made from the id)',
  );

const colour = z
  .string()
  .regex(/^#[0-9A-Fa-f]{6}$/, 'a colour is written #RRGGBB, for example #1F77B4')
  .describe('Display colour, #RRGGBB');

/** Keys of `patterns`: `any` (every language), `not` (exclusions), or a language (`en`, `es`: ISO 639 codes). */
const patternLanguageKey = /^(?:any|[a-z]{2,3})$/;

const patternText = z.string().superRefine((value, context) => {
  const problem = patternProblem(value);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

const patternList = z
  .array(patternText)
  .describe(
    'Patterns: a word (tariff), a word with a trailing * (tariff* for tariffs, tariffed), a phrase (non-tariff barrier*), or a regular expression in RE2 syntax between slashes (/sanction(s|ed)?/)',
  );

function checkLanguageKeys(value: Record<string, unknown>, context: z.core.$RefinementCtx): void {
  for (const key of Object.keys(value)) {
    if (key === 'not' || patternLanguageKey.test(key)) continue;
    context.addIssue({
      code: 'custom',
      path: [key],
      message: `"${key}" is not a language: use a two- or three-letter ISO 639 code in lower case (en, es), "any" for every language, or "not" for exclusions`,
    });
  }
}

const exclusionPatterns = z
  .record(z.string(), patternList)
  .superRefine((value, context) => {
    if ('not' in value)
      context.addIssue({ code: 'custom', path: ['not'], message: 'exclusions cannot have exclusions' });
    checkLanguageKeys(value, context);
  })
  .describe('Exclusions: a match of the code that overlaps a match of one of these does not count');

export interface CodePatternsInput {
  not?: Record<string, string[]> | undefined;
  [language: string]: string[] | Record<string, string[]> | undefined;
}

export const codePatternsSchema = z
  .object({ not: exclusionPatterns.optional() })
  .catchall(patternList)
  .superRefine(checkLanguageKeys)
  .describe(
    'Dictionary patterns of the code for `coding autocode --method dictionary`, by language (en, es, … or any), with `not` exclusions by language',
  ) as unknown as z.ZodType<CodePatternsInput>;

export interface CodeInput {
  id: string;
  label: string;
  definition?: string | undefined;
  include?: string | undefined;
  exclude?: string | undefined;
  examples?: string[] | undefined;
  color?: string | undefined;
  codable?: boolean | undefined;
  guid?: string | undefined;
  patterns?: CodePatternsInput | undefined;
  codes?: CodeInput[] | undefined;
}

export const codeSchema: z.ZodType<CodeInput> = z
  .lazy(() =>
    z
      .object({
        id: codeId.describe(
          'Code id: its category id (or, for a sub-code, its parent code id), a dot, and a short name, e.g. trade.ntb',
        ),
        label: z.string().min(1).describe('Short name shown in tables and coding sheets'),
        definition: z.string().optional().describe('What the code means, in one or two sentences'),
        include: z.string().optional().describe('When to use the code'),
        exclude: z
          .string()
          .optional()
          .describe('When not to use it, naming the neighbouring code to use instead'),
        examples: z
          .array(z.string())
          .optional()
          .describe('Example units that take this code, quoted verbatim from the corpus'),
        color: colour.optional(),
        codable: z
          .boolean()
          .optional()
          .describe(
            'False: a grouping code that coders cannot apply (REFI-QDA isCodable="false"); absent or true: codable',
          ),
        guid: refiGuid.optional(),
        patterns: codePatternsSchema.optional(),
        codes: z
          .array(codeSchema)
          .optional()
          .describe('Sub-codes, whose ids start with this code id and a dot'),
      })
      .strict(),
  )
  .meta({ id: 'code', description: 'A code: an id, a label, and the rules for applying it' });

export const categorySchema = z
  .object({
    id: codeId.describe('Category id, e.g. trade; the ids of its codes start with it and a dot'),
    label: z.string().min(1).describe('Name of the category'),
    description: z.string().optional().describe('What the category covers'),
    exclusive: z
      .boolean()
      .default(false)
      .describe('At most one code of this category per unit (the category is one nominal variable)'),
    color: colour.optional(),
    codable: z
      .boolean()
      .optional()
      .describe(
        'True: the category was a codable parent code in the REFI-QDA file it came from (isCodable="true"), written back so; categories are never applied here',
      ),
    gathered: z
      .boolean()
      .optional()
      .describe(
        'True: the category was made at import to hold codes that stood at the top level of a REFI-QDA codebook, outside any group; a .qdc or .qdpx export writes its codes at the top level again, without it',
      ),
    guid: refiGuid.optional(),
    codes: z.array(codeSchema).describe('The codes of the category (at least one)'),
  })
  .strict();

export const codeSetSchema = z
  .object({
    id: codeId.describe('Set id, unique among the sets'),
    label: z.string().min(1).describe('Name of the set'),
    description: z.string().optional().describe('What the set gathers'),
    codes: z.array(codeId).describe('Ids of the codes in the set, from any category'),
    guid: refiGuid.optional(),
  })
  .strict()
  .describe(
    'A set of codes across categories (a REFI-QDA Set, a code group): kept for reading and for exchange; it does not change how units are coded',
  );

export const codebookSchema = z
  .object({
    version: z
      .literal(codebookFormatVersion)
      .describe('Format version of the codebook file; this tool reads version 1'),
    name: z.string().min(1).describe('Short name of the codebook'),
    title: z.string().optional().describe('Title, for the printed appendix'),
    description: z.string().optional().describe('What the codebook is for, its sources'),
    exclusive: z
      .boolean()
      .default(false)
      .describe('The whole codebook is one nominal variable: exactly one code per unit'),
    categories: z.array(categorySchema).describe('Categories of codes'),
    sets: z
      .array(codeSetSchema)
      .optional()
      .describe('Sets of codes across categories, as other QDA programs group them (REFI-QDA Sets)'),
  })
  .strict()
  .describe('A codebook of the coding tool: categories of codes with definitions and rules');

export type Codebook = z.infer<typeof codebookSchema>;
export type Category = z.infer<typeof categorySchema>;
export type CodeSet = z.infer<typeof codeSetSchema>;
export type Code = CodeInput;

/** Where the generated JSON Schema of the codebook lives, relative to the repository root. */
export const codebookJsonSchemaFile = 'schemas/codebook.schema.json';

/**
 * The JSON Schema of a codebook file (the input side: fields with defaults are optional), for
 * editors (`# yaml-language-server: $schema=…`). Generated from `codebookSchema`, never edited by hand;
 * `npm run schemas` writes it and a test checks the committed file against it.
 */
export function codebookJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(codebookSchema, { io: 'input', target: 'draft-2020-12' });
  return { $schema, title: 'Codebook of the coding tool (codebooks/<name>.yaml)', ...rest };
}

/** The text of `schemas/codebook.schema.json`: the schema as JSON, two-space indented, ending in a newline. */
export function codebookJsonSchemaText(): string {
  return `${JSON.stringify(codebookJsonSchema(), null, 2)}\n`;
}
