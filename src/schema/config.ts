/**
 * `coding.yaml`, the study settings: the single source of truth for its shape is this schema.
 */
import { z } from 'zod';

export const configFormatVersion = 1;

/**
 * The most bootstrap resamples a study may ask for, from coding.yaml or from `--bootstrap`: one limit
 * whatever the source. A million resamples of a few thousand units already takes minutes.
 */
export const maxBootstrapResamples = 1_000_000;

export const unitKinds = ['document', 'paragraph', 'sentence', 'line'] as const;
export type UnitKind = (typeof unitKinds)[number];

/**
 * A coder's name becomes a file name (`annotations/<name>.csv`) and is typed on the command line
 * (`--coders a,b`), so it is restricted to characters safe in file names on every system and in a
 * shell: letters of any alphabet (with their accents), digits, "-" and "_", starting with a letter
 * or digit. No spaces (they would need quoting in every command), no Windows device names.
 */
export const coderNamePattern = /^[\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}_-]{0,63}$/u;
const windowsDeviceName = /^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

/** What is wrong with a coder name (undefined: nothing), said so that the fix is clear. */
export function coderNameProblem(name: string): string | undefined {
  const allowed =
    'use 1–64 letters (of any alphabet, accents included), digits, "-" or "_", starting with a letter or digit';
  if (name.includes(' ') && coderNamePattern.test(name.replace(/ +/g, '-')))
    return `spaces are not allowed (the name is typed on the command line and becomes a file name); write it as "${name.trim().replace(/ +/g, '-')}"`;
  if (!coderNamePattern.test(name)) return allowed;
  if (name !== name.normalize('NFC'))
    return 'the name is not in Unicode normal form C (its accents are separate characters); type it again';
  if (windowsDeviceName.test(name))
    return 'the name is a device name on Windows, so it cannot be a file name there';
  return undefined;
}

export const coderName = z
  .string()
  .superRefine((name, context) => {
    const problem = coderNameProblem(name);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: `not a coder name: ${problem}` });
  })
  .describe('A coder, as named in annotations/<coder>.csv');

/** Statistics a reliability gate can be set on (`reliability.require.statistic`). */
export const gateStatistics = ['alpha', 'kappa', 'ac1', 'pi', 'bp'] as const;
export type GateStatistic = (typeof gateStatistics)[number];
/** What of the statistic is held against the thresholds: the estimate, or the lower bound of its interval. */
export const gateBases = ['estimate', 'ci_low'] as const;
export type GateBasis = (typeof gateBases)[number];

/**
 * `reliability.require`: the gate every code (and exclusive category) must pass, Krippendorff's
 * (2004, §11.4.4) rule by default: rely on α ≥ 0.800, draw only tentative conclusions from
 * 0.667 ≤ α < 0.800.
 */
export const gateSchema = z
  .object({
    statistic: z
      .enum(gateStatistics)
      .default('alpha')
      .describe(
        "Coefficient the gate is on: alpha (Krippendorff), kappa (Cohen; Fleiss' for 3+ coders), ac1 (Gwet), pi (Scott), bp (Brennan-Prediger); default alpha",
      ),
    min: z
      .number()
      .min(-1)
      .max(1)
      .default(0.8)
      .describe('A code is reliable when the figure is at least this; default 0.8'),
    tentative: z
      .number()
      .min(-1)
      .max(1)
      .default(0.667)
      .describe(
        'A code below min but at least this is tentative (interpret with caution); below it, unreliable; default 0.667',
      ),
    on: z
      .enum(gateBases)
      .default('estimate')
      .describe(
        'Hold the estimate, or the lower bound of its confidence interval (ci_low), against the thresholds; default estimate',
      ),
  })
  .strict()
  .refine((gate) => gate.tentative <= gate.min, {
    message: 'tentative must not be above min (codes between tentative and min are tentative)',
    path: ['tentative'],
  });
export type Gate = z.infer<typeof gateSchema>;

export const configSchema = z
  .object({
    version: z
      .literal(configFormatVersion)
      .describe('Format version of coding.yaml; this tool reads version 1'),
    name: z.string().min(1).describe('Short name of the study'),
    title: z.string().optional().describe('Title of the study, shown in reports'),
    description: z.string().optional().describe('What the study is, where its data come from'),
    codebook: z
      .string()
      .min(1)
      .default('codebooks/codebook.yaml')
      .describe('Path of the codebook, relative to this file'),
    corpus: z.string().min(1).default('corpus').describe('Folder of the corpus store, relative to this file'),
    sources: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Files or folders the corpus was imported from; `coding reproduce` re-imports them to check that nothing changed',
      ),
    segmentation: z
      .object({
        unit: z.enum(unitKinds).default('sentence').describe('Default coding unit for `coding import`'),
        language: z
          .string()
          .default('auto')
          .describe(
            'Language of documents that do not give theirs, for sentence segmentation (BCP 47 tag), or auto: detected per document',
          ),
        abbreviations: z
          .array(z.string())
          .optional()
          .describe('Words ending in "." after which a sentence does not end; replaces the built-in list'),
      })
      .strict()
      .prefault({})
      .describe('How documents are cut into coding units'),
    coders: z
      .object({
        primary: coderName
          .optional()
          .describe(
            'Coder whose codes stand where coders disagree and nobody adjudicated; a machine coder (coding autocode) here gives only the units no person coded',
          ),
        names: z.array(coderName).default([]).describe('Coders of the study, in order'),
      })
      .strict()
      .prefault({})
      .describe('Who codes'),
    reliability: z
      .object({
        overall: z
          .enum(['auto', 'nominal', 'pooled'])
          .default('auto')
          .describe('Definition of the overall kappa'),
        bootstrap: z
          .number()
          .int()
          .min(0)
          .max(maxBootstrapResamples)
          .default(0)
          .describe('Bootstrap resamples for confidence intervals (0: none)'),
        seed: z.number().int().default(1).describe('Seed of the bootstrap'),
        min_kappa: z
          .number()
          .min(-1)
          .max(1)
          .optional()
          .describe('Fail (exit 1) when the overall kappa is below this'),
        require: gateSchema
          .optional()
          .describe(
            'Gate per code: each code, exclusive category and the overall figure is marked reliable, tentative or unreliable; absent: no gate',
          ),
      })
      .strict()
      .prefault({})
      .describe('Reliability settings'),
    paper: z
      .object({
        kappa: z.number().optional().describe('The overall kappa the study reports, for `coding reproduce`'),
        sample_fraction: z.number().optional().describe('The double-coded fraction the study reports'),
        documents: z.number().int().optional().describe('Number of documents the study reports'),
        units: z.number().int().optional().describe('Number of coding units the study reports'),
        top_themes: z
          .record(z.string(), z.string())
          .optional()
          .describe('Most frequent code per category, as the study reports it (category id → code id)'),
        decimals: z
          .number()
          .int()
          .min(0)
          .max(6)
          .default(2)
          .describe('Decimals to which reported figures are compared'),
      })
      .strict()
      .optional()
      .describe('Figures the study reports, compared by `coding reproduce`'),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
