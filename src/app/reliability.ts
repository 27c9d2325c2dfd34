/** `coding reliability`: every agreement figure for the coders of a workspace or of explicit files. */

import { applyGate } from '../core/gates.js';
import {
  multiCoderReliability,
  type OverallDefinition,
  type ReliabilityReport,
  twoCoderReliability,
} from '../core/reliability.js';
import type { IntervalMethod } from '../core/stats/index.js';
import { CheckFailed, InputError, UsageError } from '../errors.js';
import type { Gate } from '../schema/config.js';
import { type AnnotationSet, type AnnotationSetOptions, loadAnnotationSet } from './annotation-set.js';

export interface ReliabilityCommandOptions extends AnnotationSetOptions {
  /** Coders' annotations loaded already (by the report), instead of loading them again. */
  set?: AnnotationSet | undefined;
  overall?: OverallDefinition | undefined;
  bootstrap?: number | undefined;
  seed?: number | undefined;
  level?: number | undefined;
  /** SE-based intervals: z (default) or t(n − 1) with the upper bound capped at 1. */
  interval?: IntervalMethod | undefined;
  /** The gate per code, instead of coding.yaml `reliability.require`. */
  require?: Gate | undefined;
}

export interface ReliabilityResult {
  set: AnnotationSet;
  report: ReliabilityReport;
}

/** Refuses a coder named twice in --coders: agreement of a coder with themself is 1 by construction, not a finding. */
function checkDistinctCoders(coders: readonly string[] | undefined): void {
  if (coders === undefined) return;
  const seen = new Set<string>();
  for (const coder of coders) {
    if (seen.has(coder)) {
      throw new UsageError(
        `--coders names coder "${coder}" twice: agreement is measured between different coders, and a coder compared with themself agrees perfectly by construction`,
        { hint: 'name each coder once, e.g. --coders coder1,coder2.' },
      );
    }
    seen.add(coder);
  }
}

export async function computeReliability(options: ReliabilityCommandOptions): Promise<ReliabilityResult> {
  checkDistinctCoders(options.coders);
  const set = options.set ?? (await loadAnnotationSet(options));
  const settings = set.study?.workspace.config.reliability;
  const overall = options.overall ?? settings?.overall ?? 'auto';
  const resamples = options.bootstrap ?? settings?.bootstrap ?? 0;
  const seed = options.seed ?? settings?.seed ?? 1;
  const common = {
    overall,
    ...(resamples > 0 ? { bootstrap: { resamples, seed } } : {}),
    ...(options.level !== undefined ? { level: options.level } : {}),
    ...(options.interval !== undefined ? { interval: options.interval } : {}),
  };
  const codings = set.coders.map((coder) => set.byCoder.get(coder)!.codings);
  const report =
    set.coders.length === 2
      ? twoCoderReliability([set.coders[0]!, set.coders[1]!], codings[0]!, codings[1]!, set.codebook, common)
      : multiCoderReliability(set.coders, codings, set.codebook, common);
  if (report.n_units === 0) {
    throw new InputError(
      `no unit was reviewed by ${set.coders.length === 2 ? 'both' : 'two or more of the'} coders (${set.coders.join(', ')})`,
      {
        hint: 'agreement is measured on units coded independently by several coders: the second coder codes the sample (coding sheet --coder NAME --sample).',
      },
    );
  }
  const gate = options.require ?? settings?.require;
  return { set, report: gate ? applyGate(report, gate) : report };
}

/**
 * `--check`: fails (exit 1) when a code or exclusive category fails the gate, naming them.
 * @throws UsageError when no gate is set; CheckFailed when something fails it
 */
export function checkGate(report: ReliabilityReport): void {
  const gate = report.gate;
  if (!gate) {
    throw new UsageError('--check needs a gate, and none is set', {
      hint: 'set reliability.require in coding.yaml (e.g. require: {statistic: alpha, min: 0.8}) or pass --require alpha:0.8',
    });
  }
  if (gate.failed.length > 0) {
    throw new CheckFailed(
      `${gate.failed.length} of the codes and categories fail the gate ${gate.description}: ${gate.failed.join(', ')}`,
      {
        hint: 'see the verdict column of coding reliability; refine the codebook and re-code, or report these codes as unreliable.',
      },
    );
  }
}

/**
 * The figure `--min-kappa` is checked against: the overall κ; for three or more coders Fleiss' κ
 * generalised to missing ratings (Gwet 2014), which is Fleiss' own when every coder coded every unit.
 */
export function headlineKappa(report: ReliabilityReport): number | null {
  if (report.multi) return report.multi.fleiss_kappa_gwet ?? null;
  return report.overall?.kappa ?? null;
}
