/**
 * The codebook format (`codebooks/<name>.yaml`): categories of codes with definitions and rules.
 * This schema is the single source of truth: types come from it, and `schemas/codebook.schema.json`
 * is generated from it for editors.
 */
import { z } from 'zod';

export const codebookFormatVersion = 1;

/** Ids are dotted slugs: `trade`, `trade.ntb`, `trade.ntb.sps`. */
export const codeIdPattern = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*$/;

const codeId = z
  .string()
  .regex(
    codeIdPattern,
    'an id is lower-case letters, digits, "-" or "_", in parts joined by "." (for example trade.ntb)',
  );

const colour = z
  .string()
  .regex(/^#[0-9A-Fa-f]{6}$/, 'a colour is written #RRGGBB, for example #1F77B4')
  .describe('Display colour, #RRGGBB');

export interface CodeInput {
  id: string;
  label: string;
  definition?: string | undefined;
  include?: string | undefined;
  exclude?: string | undefined;
  examples?: string[] | undefined;
  color?: string | undefined;
  codes?: CodeInput[] | undefined;
}

export const codeSchema: z.ZodType<CodeInput> = z.lazy(() =>
  z
    .object({
      id: codeId.describe('Code id, starting with its category id, e.g. trade.ntb'),
      label: z.string().min(1).describe('Short name shown in tables'),
      definition: z.string().optional().describe('What the code means'),
      include: z.string().optional().describe('When to use the code'),
      exclude: z.string().optional().describe('When not to use it (and which code to use instead)'),
      examples: z.array(z.string()).optional().describe('Example units, quoted from the corpus'),
      color: colour.optional(),
      codes: z.array(codeSchema).optional().describe('Sub-codes, whose ids start with this code id'),
    })
    .strict(),
);

export const categorySchema = z
  .object({
    id: codeId.describe('Category id, e.g. trade'),
    label: z.string().min(1).describe('Name of the category'),
    description: z.string().optional().describe('What the category covers'),
    exclusive: z.boolean().default(false).describe('At most one code of this category per unit'),
    color: colour.optional(),
    codes: z.array(codeSchema).describe('The codes of the category'),
  })
  .strict();

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
  })
  .strict();

export type Codebook = z.infer<typeof codebookSchema>;
export type Category = z.infer<typeof categorySchema>;
export type Code = CodeInput;
