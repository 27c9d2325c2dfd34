/**
 * Reliability of three or more coders, with missing data (units not reviewed by every coder):
 * Fleiss' κ (Gwet's generalisation to missing ratings, and Fleiss' own on the complete units),
 * Krippendorff's α and Gwet's AC1, per code (presence/absence) and overall (nominal or
 * pooled). The nominal values and the categories (q) follow the rules of `./reliability-tables.ts`;
 * units reviewed by one coder only are left out, as in the two-coder path.
 */
import type { CodebookModel } from './codebook.js';
import type { Codings } from './codings.js';
import type { MultiFigures, ReliabilityOptions, ReliabilityReport } from './reliability.js';
import { addAlphaBootstrap } from './reliability-bootstrap.js';
import { NominalScale } from './reliability-tables.js';
import {
  coincidenceMatrix,
  type Figure,
  fleissKappa,
  fleissKappaMissing,
  gwetAc1,
  type IntervalMethod,
  krippendorffAlpha,
  type UnitCategoryCounts,
  waldInterval,
} from './stats/index.js';

function value(figure: Figure, key: string, reasons: Record<string, string>): number | null {
  if (figure.value === null) reasons[key] = figure.reason;
  return figure.value;
}

/** Fleiss' κ (with missing ratings, and on complete units), Krippendorff's α and Gwet's AC1 of unit-by-category counts. */
function multiFigures(
  unitCounts: UnitCategoryCounts,
  coderCount: number,
  level: number,
  method: IntervalMethod,
  bootstrap: ReliabilityOptions['bootstrap'],
): MultiFigures {
  const reasons: Record<string, string> = {};
  const gwet = fleissKappaMissing(unitCounts);
  const interval = waldInterval(gwet.kappa, gwet.se, gwet.units, level, method);
  const pairable = unitCounts.filter((row) => row.reduce((sum, count) => sum + count, 0) >= 2);
  const complete = unitCounts.filter((row) => row.reduce((sum, count) => sum + count, 0) === coderCount);
  let fleiss: number | null = null;
  if (complete.length === 0) reasons['fleiss_kappa'] = 'no unit was coded by every coder';
  else fleiss = value(fleissKappa(complete), 'fleiss_kappa', reasons);
  const figures: MultiFigures = {
    n: pairable.length,
    fleiss_kappa_gwet: value(gwet.kappa, 'fleiss_kappa_gwet', reasons),
    fleiss_kappa_gwet_se: value(gwet.se, 'fleiss_kappa_gwet_se', reasons),
    fleiss_kappa_gwet_ci_low: value(interval.low, 'fleiss_kappa_gwet_ci_low', reasons),
    fleiss_kappa_gwet_ci_high: value(interval.high, 'fleiss_kappa_gwet_ci_high', reasons),
    fleiss_kappa: fleiss,
    fleiss_n: complete.length,
    krippendorff_alpha: value(krippendorffAlpha(unitCounts), 'krippendorff_alpha', reasons),
    gwet_ac1: value(gwetAc1(unitCounts), 'gwet_ac1', reasons),
    reasons,
  };
  if (bootstrap) addAlphaBootstrap(figures, coincidenceMatrix(unitCounts), coderCount, bootstrap, level);
  return figures;
}

/** Per unit, the number of coders who gave it code `code` and who did not: a 2-column row. */
function presenceCounts(perUnit: Int32Array[][], code: number): number[][] {
  return perUnit.map((list) => {
    let present = 0;
    for (const codesOfCoder of list) if (codesOfCoder.includes(code)) present++;
    return [present, list.length - present];
  });
}

/** Per unit, how many coders gave it each value of the nominal variable of every code. */
function nominalCounts(perUnit: Int32Array[][], codebook: CodebookModel): number[][] {
  const scale = new NominalScale(
    codebook.codes.map((code) => code.index),
    codebook.codes.map((code) => code.id),
  );
  for (const list of perUnit) for (const codesOfCoder of list) scale.observe(codesOfCoder);
  const size = scale.values.length;
  return perUnit.map((list) => {
    const row = new Array<number>(size).fill(0);
    for (const codesOfCoder of list) row[scale.indexOf(codesOfCoder)]!++;
    return row;
  });
}

/** Reliability of three or more coders, with missing data (units not reviewed by every coder). */
export function multiCoderReliability(
  coders: string[],
  codings: Codings[],
  codebook: CodebookModel,
  options: ReliabilityOptions,
): ReliabilityReport {
  const level = options.level ?? 0.95;
  const method = options.interval ?? 'z';
  const units = new Set<number>();
  for (const coding of codings) for (const unit of coding.units) units.add(unit);
  const ordered = [...units].sort((left, right) => left - right);
  // Per unit, the code lists of the coders who reviewed it.
  const reviewed = ordered.map((unit) =>
    codings.map((coding) => coding.codesOf(unit)).filter((codes): codes is Int32Array => codes !== undefined),
  );
  // A unit reviewed by one coder only is left out of every figure, as in the two-coder path (the
  // rule of README "Which units count"): it shows no agreement, and letting it weigh on chance
  // agreement would make the same units' figures depend on who else coded what.
  const perUnit = reviewed.filter((list) => list.length >= 2);
  const shared = perUnit.length;
  const codes = codebook.codes.map((code) => ({
    code: code.id,
    label: code.label,
    category: code.categoryId,
    ...multiFigures(presenceCounts(perUnit, code.index), codings.length, level, method, options.bootstrap),
  }));
  const exclusiveOverall =
    codebook.exclusive || perUnit.every((list) => list.every((codesOfCoder) => codesOfCoder.length <= 1));
  let definition: 'nominal' | 'pooled';
  if (options.overall === 'auto') definition = exclusiveOverall ? 'nominal' : 'pooled';
  else definition = options.overall;
  let overallFigures: MultiFigures;
  if (definition === 'nominal') {
    overallFigures = multiFigures(
      nominalCounts(perUnit, codebook),
      codings.length,
      level,
      method,
      options.bootstrap,
    );
  } else {
    // Pooled: every (unit, code) pair is one binary item; the coefficients are computed over all of them.
    const counts: number[][] = [];
    for (const list of perUnit) {
      for (const code of codebook.codes) {
        let present = 0;
        for (const codesOfCoder of list) if (codesOfCoder.includes(code.index)) present++;
        counts.push([present, list.length - present]);
      }
    }
    const figures = multiFigures(counts, codings.length, level, method, options.bootstrap);
    // n and fleiss_n count units, as everywhere; the items the figures were computed over are kept apart.
    const everyCoder = perUnit.filter((list) => list.length === codings.length).length;
    overallFigures = { ...figures, n: shared, fleiss_n: everyCoder, items: figures.n };
  }
  return {
    coders,
    n_units: shared,
    units_not_shared: reviewed.filter((list) => list.length < codings.length).length,
    overall: null,
    codes: [],
    categories: [],
    multi: { definition, ...overallFigures, codes },
    interval: { method, level },
    ...(options.bootstrap ? { bootstrap: { ...options.bootstrap, level } } : {}),
  };
}
