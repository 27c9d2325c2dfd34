/**
 * `coding plan`: how many units to double-code. The prevalence of each code comes from the codes so
 * far (the final codes: adjudicated, else agreed, else the primary coder's; or one coder's), or is
 * given once for all codes.
 */
import {
  type Plan,
  type PlanCode,
  type PlanParameters,
  planFromCodes,
  planFromPrevalence,
} from '../core/plan.js';
import { InputError, UsageError } from '../errors.js';
import { loadAnalysisData } from './final.js';

export interface PlanOptions extends PlanParameters {
  cwd: string;
  workspace?: string | undefined;
  /** Estimate the prevalences from one coder's codes instead of the final codes. */
  coder?: string | undefined;
  /** The expected prevalence of every code, instead of estimating it. */
  prevalence?: number | undefined;
}

export interface PlanResult extends Plan {
  parameters: PlanParameters;
  /** Where the prevalences come from: `given`, `final`, or a coder's name. */
  source: string;
  /** Units reviewed, from which the prevalences were estimated (null when given). */
  reviewed: number | null;
  /** Units in the corpus (null when the prevalence was given). */
  population: number | null;
}

export const planDefaults = {
  alphaMin: 0.8,
  level: 0.95,
  target: 0.8,
  halfWidth: 0.1,
  method: 'alpha',
} as const;

function inOpenUnit(value: number): boolean {
  return Number.isFinite(value) && value > 0 && value < 1;
}

/** @throws UsageError naming the flag of the first parameter outside its range */
export function checkPlanParameters(options: PlanParameters & { prevalence?: number | undefined }): void {
  if (options.prevalence !== undefined && !inOpenUnit(options.prevalence))
    throw new UsageError(`--prevalence must be between 0 and 1 (exclusive), received ${options.prevalence}`, {
      hint: 'the expected share of units with the code, for example --prevalence 0.1',
    });
  if (!inOpenUnit(options.alphaMin))
    throw new UsageError(`--alpha-min must be between 0 and 1 (exclusive), received ${options.alphaMin}`, {
      hint: 'the smallest acceptable α: Krippendorff recommends 0.800, and 0.667 for tentative conclusions',
    });
  if (!inOpenUnit(options.level))
    throw new UsageError(`--level must be between 0 and 1 (exclusive), received ${options.level}`, {
      hint: 'the confidence level, for example --level 0.95',
    });
  if (!inOpenUnit(options.target))
    throw new UsageError(`--target must be between 0 and 1 (exclusive), received ${options.target}`, {
      hint: 'the κ the coders are expected to reach, for example --target 0.8',
    });
  if (
    !(
      options.halfWidth > 0 &&
      options.target - options.halfWidth > 0 &&
      options.target + options.halfWidth < 1
    )
  )
    throw new UsageError(
      `--half-width ${options.halfWidth} around --target ${options.target} leaves (0, 1): the interval must lie strictly between 0 and 1`,
      { hint: 'for example --target 0.8 --half-width 0.1 (the interval 0.7 to 0.9)' },
    );
}

export async function plan(options: PlanOptions): Promise<PlanResult> {
  checkPlanParameters(options);
  const parameters: PlanParameters = {
    alphaMin: options.alphaMin,
    level: options.level,
    target: options.target,
    halfWidth: options.halfWidth,
    method: options.method,
  };
  if (options.prevalence !== undefined) {
    return {
      ...planFromPrevalence(options.prevalence, parameters),
      parameters,
      source: 'given',
      reviewed: null,
      population: null,
    };
  }
  const data = await loadAnalysisData({
    cwd: options.cwd,
    workspace: options.workspace,
    coder: options.coder,
  });
  const { codings } = data;
  if (codings.size === 0) {
    throw new InputError(`no unit has been coded${data.coder === 'final' ? '' : ` by ${data.coder}`} yet`, {
      hint: 'give the expected share of units with the rarest code instead: coding plan --prevalence P',
    });
  }
  const counts = new Array<number>(data.set.codebook.codes.length).fill(0);
  for (const code of codings.codes) counts[code]!++;
  const codes: PlanCode[] = data.set.codebook.codes.map((code) => ({
    id: code.id,
    units: counts[code.index]!,
    reviewed: codings.size,
  }));
  return {
    ...planFromCodes(codes, parameters),
    parameters,
    source: data.coder,
    reviewed: codings.size,
    population: data.set.units.size,
  };
}
