/**
 * The reliability sample plan: for each code, how many units two coders must double-code, from the
 * code's prevalence (the share of units with it), by Krippendorff's minimum sample for α and by the
 * Donner–Rotondi sample for a κ interval; the plan's size is the largest, set by the rarest code.
 */
import { alphaMinimumSample } from './stats/alpha-sample-size.js';
import { kappaIntervalSample } from './stats/kappa-sample-size.js';

export const planMethods = ['alpha', 'kappa', 'both'] as const;
export type PlanMethod = (typeof planMethods)[number];

export interface PlanParameters {
  /** The smallest acceptable α (Krippendorff's α_min). */
  alphaMin: number;
  /** Confidence level: α is tested at significance 1 − level (one-sided), κ's interval is two-sided. */
  level: number;
  /** The κ the coders are expected to reach (the centre of the planned interval). */
  target: number;
  /** Half-width of the planned κ interval. */
  halfWidth: number;
  /** Which size sets the plan: α's, κ's, or the larger of the two. */
  method: PlanMethod;
}

export interface PlanCode {
  id: string;
  /** Units with the code. */
  units: number;
  /** Units reviewed (with or without the code). */
  reviewed: number;
}

export interface PlanRow {
  code: string;
  units_with_code: number | null;
  prevalence: number;
  /** The least frequent value's probability, min(prevalence, 1 − prevalence). */
  p_min: number;
  alpha_units: number | null;
  kappa_units: number | null;
  /** The units this code needs under the chosen method; null when its prevalence is 0 or 1. */
  units: number | null;
  drives: boolean;
}

export interface Plan {
  rows: PlanRow[];
  /** Units to double-code: the largest over the codes; null when no code can be planned for. */
  size: number | null;
  /** The code that sets the size (the first of equals, in codebook order). */
  driver: string | null;
  /** Codes never given (or given to every unit): no size can be computed from a prevalence of 0 or 1. */
  unplanned: string[];
}

function rowOf(
  code: string,
  unitsWithCode: number | null,
  prevalence: number,
  parameters: PlanParameters,
): PlanRow {
  const pMin = Math.min(prevalence, 1 - prevalence);
  const plannable = prevalence > 0 && prevalence < 1;
  const alphaUnits = plannable
    ? alphaMinimumSample(parameters.alphaMin, pMin, 1 - parameters.level).units
    : null;
  const kappaUnits = plannable
    ? kappaIntervalSample(parameters.target, parameters.halfWidth, prevalence, parameters.level).units
    : null;
  const units =
    alphaUnits === null || kappaUnits === null
      ? null
      : parameters.method === 'alpha'
        ? alphaUnits
        : parameters.method === 'kappa'
          ? kappaUnits
          : Math.max(alphaUnits, kappaUnits);
  return {
    code,
    units_with_code: unitsWithCode,
    prevalence,
    p_min: pMin,
    alpha_units: alphaUnits,
    kappa_units: kappaUnits,
    units,
    drives: false,
  };
}

function finish(rows: PlanRow[]): Plan {
  let driver: PlanRow | undefined;
  for (const row of rows)
    if (row.units !== null && (driver === undefined || row.units > driver.units!)) driver = row;
  if (driver) driver.drives = true;
  return {
    rows,
    size: driver?.units ?? null,
    driver: driver?.code ?? null,
    unplanned: rows.filter((row) => row.units === null).map((row) => row.code),
  };
}

/** The plan from the codes' prevalences so far (units with the code / units reviewed). */
export function planFromCodes(codes: readonly PlanCode[], parameters: PlanParameters): Plan {
  return finish(
    codes.map((code) =>
      rowOf(code.id, code.units, code.reviewed === 0 ? 0 : code.units / code.reviewed, parameters),
    ),
  );
}

/** The plan for one expected prevalence, the same for every code. */
export function planFromPrevalence(prevalence: number, parameters: PlanParameters): Plan {
  return finish([rowOf('*', null, prevalence, parameters)]);
}
