/**
 * The "machine coders" section of report.html: for each machine coder (coding autocode), its
 * agreement with each human coder per code (Cohen's κ with its 95 % interval), and its provenance.
 * Shown only when the study has machine coders.
 */
import type { ReportData } from '../data.js';
import { codeChip, h, interval, num, type Palette, section, tableWrap } from './shared.js';

export interface MachineCoderComparison {
  human: string;
  /** Units both coded. */
  n: number;
  pooled_kappa: number | null;
  codes: Array<{ code: string; kappa: number | null; ci_low: number | null; ci_high: number | null }>;
}

export interface MachineCoderReport {
  coder: string;
  method: string;
  /** Provenance and parameters, as recorded in annotations/NAME.autocode.json (flattened, in order). */
  provenance: Array<[string, string]>;
  comparisons: MachineCoderComparison[];
  /** LLM coders run several times (--runs N): the agreement of the runs with each other. */
  stability?: MachineCoderStability;
}

export interface MachineCoderStability {
  /** The coder the runs are of (--as NAME). */
  family: string;
  coders: string[];
  /** Units coded in two or more runs. */
  n: number;
  alpha: number | null;
  fleiss_kappa: number | null;
  codes: Array<{ code: string; alpha: number | null; fleiss_kappa: number | null }>;
}

function fixed(value: number | null): string {
  return value === null ? '—' : value.toFixed(3);
}

function stabilityBlock(machine: MachineCoderReport, colors: Palette): string {
  if (machine.method !== 'llm')
    return '<p>Run-to-run stability: the method is deterministic (the same inputs and seed give the same codes), so there is no run-to-run variation to report.</p>';
  const stability = machine.stability;
  if (stability === undefined)
    return '<p>Run-to-run stability: not measured (one run; <code>coding autocode --method llm --runs N</code> codes every unit N times).</p>';
  const rows = stability.codes
    .map(
      (row) =>
        `<tr><th scope="row">${codeChip(row.code, colors)}</th>${num(fixed(row.alpha))}${num(fixed(row.fleiss_kappa))}</tr>`,
    )
    .join('\n');
  return (
    `<p>Run-to-run stability of ${h(stability.family)} across its ${stability.coders.length} runs (${h(stability.coders.join(', '))}) on ${stability.n} units: Krippendorff's α ${h(fixed(stability.alpha))}, Fleiss' κ ${h(fixed(stability.fleiss_kappa))}, pooled over codes.</p>\n` +
    tableWrap(
      `<table class="machine-stability">\n<thead><tr><th scope="col">Code</th><th scope="col" class="num">α across runs</th><th scope="col" class="num">Fleiss' κ</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`,
    )
  );
}

function coderBlock(machine: MachineCoderReport, colors: Palette): string {
  const comparisons = machine.comparisons.map((comparison) => {
    const rows = comparison.codes
      .map(
        (row) =>
          `<tr><th scope="row">${codeChip(row.code, colors)}</th>${num(fixed(row.kappa))}<td>${h(interval(row.ci_low, row.ci_high))}</td></tr>`,
      )
      .join('\n');
    return (
      `<h4>Against ${h(comparison.human)}: ${comparison.n} units, pooled κ ${h(fixed(comparison.pooled_kappa))}</h4>\n` +
      tableWrap(
        `<table class="machine-agreement">\n<thead><tr><th scope="col">Code</th><th scope="col" class="num">κ</th><th scope="col">95 % CI (z)</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`,
      )
    );
  });
  const provenance = tableWrap(
    `<table class="provenance">\n<tbody>\n${machine.provenance
      .map(([key, value]) => `<tr><th scope="row">${h(key)}</th><td>${h(value)}</td></tr>`)
      .join('\n')}\n</tbody>\n</table>`,
  );
  return (
    `<h3>${h(machine.coder)} <small>(${h(machine.method)})</small></h3>\n` +
    `${comparisons.length === 0 ? '<p>No human coder shares units with this machine coder.</p>' : comparisons.join('\n')}\n` +
    `${stabilityBlock(machine, colors)}\n` +
    `<details><summary>Provenance</summary>\n${provenance}\n</details>`
  );
}

export function machineCodersSection(data: ReportData, colors: Palette): string {
  const machines = data.machine_coders ?? [];
  if (machines.length === 0) return '';
  const intro =
    "<p>Machine coders are coders like the others: their codes are annotation files, compared with each human coder on the units both coded, code by code (Cohen's κ, 95 % interval from its asymptotic SE). For the model coder, units people coded got their machine code from a model that did not see them (cross-fitting), so the agreement is honest. An LLM coder's codes are the answers kept in annotations/llm-cache.jsonl; its provenance names the model as the server named it, and the prompt template and codebook by their hashes.</p>";
  return section(
    'machine-coders',
    'Machine coders',
    `${intro}\n${machines.map((machine) => coderBlock(machine, colors)).join('\n')}`,
  );
}
