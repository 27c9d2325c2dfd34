/**
 * How a machine coder compares: with each human coder (Cohen's κ per code and pooled, on the units
 * both coded), and, for the runs of one LLM coder, with itself (Krippendorff's α and Fleiss' κ
 * across the runs: run-to-run stability).
 */
import type { Codings } from '../../core/codings.js';
import { multiCoderReliability, twoCoderReliability } from '../../core/reliability.js';
import { codersWithAnnotations, loadCoder, type Study } from '../study.js';
import { machineCoders } from './store.js';

export interface LlmAgreement {
  human: string;
  n: number;
  pooledKappa: number | null;
  codes: Array<{ code: string; kappa: number | null; ciLow: number | null; ciHigh: number | null }>;
}

/** An agreement as the JSON outputs write it (the report's data, `coding autocode --format json`). */
export function agreementJson(row: LlmAgreement): {
  human: string;
  n: number;
  pooled_kappa: number | null;
  codes: Array<{ code: string; kappa: number | null; ci_low: number | null; ci_high: number | null }>;
} {
  return {
    human: row.human,
    n: row.n,
    pooled_kappa: row.pooledKappa,
    codes: row.codes.map((code) => ({
      code: code.code,
      kappa: code.kappa,
      ci_low: code.ciLow,
      ci_high: code.ciHigh,
    })),
  };
}

/** The machine coder against every human coder (a coder without an autocode record) it shares units with. */
export async function humanAgreement(
  study: Study,
  machine: string,
  codings: Codings,
  load: (coder: string) => ReturnType<typeof loadCoder> = (coder) => loadCoder(study, coder),
): Promise<LlmAgreement[]> {
  const machines = new Set(await machineCoders(study.workspace.paths.annotations));
  const humans = (await codersWithAnnotations(study)).filter(
    (coder) => !machines.has(coder) && coder !== machine,
  );
  const result: LlmAgreement[] = [];
  for (const human of humans) {
    const loaded = await load(human);
    const report = twoCoderReliability([human, machine], loaded!.codings, codings, study.codebook, {
      overall: 'pooled',
    });
    if (report.n_units === 0) continue;
    result.push({
      human,
      n: report.n_units,
      pooledKappa: report.overall?.kappa ?? null,
      codes: report.codes.map((code) => ({
        code: code.code,
        kappa: code.kappa,
        ciLow: code.ci_low,
        ciHigh: code.ci_high,
      })),
    });
  }
  return result;
}

export interface RunStability {
  coders: string[];
  /** Units coded in two or more runs. */
  n: number;
  /** Pooled over codes: every (unit, code) pair one binary item. */
  alpha: number | null;
  fleissKappa: number | null;
  codes: Array<{ code: string; alpha: number | null; fleissKappa: number | null }>;
}

/** Agreement of the runs of one coder with each other (each code present or absent). */
export function runStability(
  study: Study,
  runs: ReadonlyArray<{ coder: string; codings: Codings }>,
): RunStability {
  const report = multiCoderReliability(
    runs.map((run) => run.coder),
    runs.map((run) => run.codings),
    study.codebook,
    { overall: 'pooled' },
  );
  const multi = report.multi!;
  return {
    coders: report.coders,
    n: report.n_units,
    alpha: multi.krippendorff_alpha,
    fleissKappa: multi.fleiss_kappa,
    codes: multi.codes.map((code) => ({
      code: code.code,
      alpha: code.krippendorff_alpha,
      fleissKappa: code.fleiss_kappa,
    })),
  };
}
