/** `annotations/sample.csv` and its sidecar `sample.meta.json`: the double-coding sample and how it was drawn. */
import { z } from 'zod';

export const sampleFormatVersion = 1;
export const sampleHeader = ['unit_id', 'doc_id', 'stratum'] as const;
export const strataFields = ['document', 'source', 'genre', 'actor', 'role'] as const;
export type StrataField = (typeof strataFields)[number];

/** How `coding plan` set the size of a sample drawn with `coding sample --plan`. */
export const samplePlanSchema = z
  .object({
    size: z.number().int().describe('Units the plan asked for (more than the corpus holds: all were drawn)'),
    driver: z.string().describe('The code that set the size (the rarest), or * for a given prevalence'),
    prevalence: z.number().describe("The driver's prevalence, given or estimated"),
    source: z.string().describe('Where the prevalences came from: given, final, or a coder'),
    method: z.enum(['alpha', 'kappa', 'both']),
    alpha_min: z.number(),
    level: z.number(),
    target: z.number(),
    half_width: z.number(),
  })
  .strict();

export const sampleMetaSchema = z
  .object({
    format: z.literal('coding-sample'),
    version: z.literal(sampleFormatVersion),
    fraction: z.number().nullable().describe('Fraction asked for (null when a size was given)'),
    size_requested: z.number().int().nullable().describe('Size asked for (null when a fraction was given)'),
    size: z.number().int().describe('Units drawn'),
    population: z.number().int().describe('Units in the corpus when the sample was drawn'),
    seed: z.number().int(),
    by: z.enum(strataFields).nullable(),
    method: z.string(),
    strata: z.array(
      z.object({ name: z.string(), population: z.number().int(), sample: z.number().int() }).strict(),
    ),
    plan: samplePlanSchema.optional().describe('Present when the size came from `coding sample --plan`'),
  })
  .strict();

export type SampleMeta = z.infer<typeof sampleMetaSchema>;

export const sampleMethod =
  'Simple random sample (or proportional stratified sample) without replacement. Size: round(fraction x N), halves up, at least 1. ' +
  'Strata quotas by largest remainder (Hamilton), ties to the first stratum in sorted order. Draw: strata in sorted order, units in corpus ' +
  'order shuffled by Fisher-Yates with one xoroshiro128+ generator (pure-rand) seeded with the seed; the first quota of each stratum is taken.';
