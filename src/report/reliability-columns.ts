/**
 * The per-code table of two coders — its columns and each code's cells — as the terminal (`coding
 * reliability`) and the report's tables (reliability.tex and the Markdown/LaTeX formats) show it.
 * The columns are defined here once; each caller formats numbers its own way.
 */
import type { GateResult } from '../core/gates.js';
import type { CodeReliability, ReliabilityReport } from '../core/reliability.js';

type Figure = number | null | undefined;

/** How a caller writes the cells. */
export interface CodeCellFormat {
  /** p_o, κ, π, α, AC1 and PABAK. */
  figure(value: Figure): string;
  /** The prevalence and bias indices. */
  index(value: Figure): string;
  interval(low: Figure, high: Figure): string;
  verdict(gate: GateResult | undefined): string;
}

/** The columns; `ciLabel` names the SE-based interval (its level, and the method where shown). */
export function perCodeHeader(report: ReliabilityReport, ciLabel: string): string[] {
  return [
    'code',
    'n',
    'yes/yes',
    'A only',
    'B only',
    'p_o',
    'κ',
    ciLabel,
    ...(report.bootstrap !== undefined ? ['bootstrap CI'] : []),
    'π',
    'α',
    'AC1',
    'PABAK',
    'PI',
    'BI',
    ...(report.gate ? ['verdict'] : []),
  ];
}

/** One code's cells, in the order of `perCodeHeader`. */
export function perCodeCells(
  report: ReliabilityReport,
  code: CodeReliability,
  format: CodeCellFormat,
): string[] {
  return [
    code.code,
    String(code.n),
    String(code.table[0]![0]!),
    String(code.table[0]![1]!),
    String(code.table[1]![0]!),
    format.figure(code.observed_agreement),
    format.figure(code.kappa),
    format.interval(code.ci_low, code.ci_high),
    ...(report.bootstrap !== undefined
      ? [format.interval(code.bootstrap_ci_low, code.bootstrap_ci_high)]
      : []),
    format.figure(code.scott_pi),
    format.figure(code.krippendorff_alpha),
    format.figure(code.gwet_ac1),
    format.figure(code.pabak),
    format.index(code.prevalence_index),
    format.index(code.bias_index),
    ...(report.gate ? [format.verdict(code.gate)] : []),
  ];
}
