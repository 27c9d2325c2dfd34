/**
 * The steps of `coding reproduce`, one function each: every step runs the same code as the
 * individual command and says in one line what it found. A step that finds the study out of step
 * with its files returns the status `failed`; an input error it throws fails that step only.
 */
import path from 'node:path';
import type { GateSummary } from '../core/gates.js';
import type { ReliabilityReport } from '../core/reliability.js';
import { InputError } from '../errors.js';
import type { Workspace } from '../io/workspace.js';
import { adjudicationStatus, openAdjudication } from './adjudicate.js';
import { type MachineCoderCheck, reproduceMachineCoders } from './autocode/reproduce-machine.js';
import { type CodebookCheck, checkCodebook } from './codebook.js';
import { type ImportDocumentsResult, importDocuments } from './import-documents.js';
import { type Merge, mergeCoders } from './merge.js';
import { computeReliability, headlineKappa } from './reliability.js';
import { writeReport } from './report.js';
import { computeSample, readSample } from './sample.js';
import { openStudy } from './study.js';
import { frequencies, loadThemeData } from './themes.js';

export type StepStatus = 'ok' | 'failed' | 'skipped';

/** What a step found: a line for the user, the value later steps use, and its status (ok unless given). */
export interface StepOutcome<T> {
  detail: string;
  value: T;
  status?: StepStatus;
}

/** The workspace folder, as the individual commands are given it. */
export interface StepContext {
  cwd: string;
  workspace: string;
}

/** The saved sample, as readSample gives it. */
export type SavedSample = NonNullable<Awaited<ReturnType<typeof readSample>>>;

/** The most frequent code of each category, with the number of units it was given to. */
export type TopThemes = Map<string, { code: string; units: number }>;

const percentText = (value: number): string => `${(100 * value).toFixed(1)} %`;

/** The documents and units of the stored corpus: what the study's figures were computed on. */
export interface CorpusCounts {
  documents: number;
  units: number;
}

/**
 * Imports the sources coding.yaml lists again, without writing, and fails when that would change
 * the corpus. Skipped when coding.yaml lists no sources. Its value counts the stored corpus, not
 * what the import would make of it.
 */
export async function checkCorpus(
  workspace: Workspace,
  common: StepContext,
): Promise<StepOutcome<CorpusCounts | undefined>> {
  const sources = workspace.config.sources;
  if (!sources || sources.length === 0) {
    return {
      detail: 'coding.yaml lists no sources: the corpus was not checked against its documents',
      value: undefined,
      status: 'skipped' as const,
    };
  }
  let result: ImportDocumentsResult;
  try {
    result = await importDocuments({
      ...common,
      paths: sources.map((source) => path.resolve(workspace.root, source)),
      metadata: {},
      update: false,
      dryRun: true,
    });
  } catch (error) {
    const changedText =
      error instanceof InputError
        ? error.findings.find((finding) => finding.code === 'TEXT_CHANGED')
        : undefined;
    if (!changedText) throw error;
    return {
      detail: `the corpus is out of date: ${changedText.message} (re-import with coding import --update)`,
      value: undefined,
      status: 'failed' as const,
    };
  }
  const changed = result.documents.added + result.documents.changed + result.documents.metadataUpdated;
  const stored: CorpusCounts = {
    documents: result.documents.total - result.documents.added,
    units: result.units.total - result.units.added + result.units.removed,
  };
  if (changed > 0) {
    return {
      detail: `re-importing ${sources.join(', ')} would change ${changed} document${changed === 1 ? '' : 's'}: the corpus is out of date`,
      value: stored,
      status: 'failed' as const,
    };
  }
  return {
    detail: `${stored.documents} documents, ${stored.units} units; re-importing ${sources.join(', ')} changes nothing`,
    value: stored,
  };
}

/** Checks the codebook as `coding codebook check` does, and fails on any error. */
export async function checkStudyCodebook(root: string): Promise<StepOutcome<CodebookCheck>> {
  const check = await checkCodebook({ cwd: root, workspace: root });
  if (check.errors > 0)
    return {
      detail: `${check.errors} errors in ${check.source.shownAs}: run coding codebook check`,
      value: check,
      status: 'failed' as const,
    };
  return {
    detail: `${check.source.shownAs}: ${check.categories} categories, ${check.codes} codes, ${check.warnings} warnings`,
    value: check,
  };
}

/**
 * Draws the sample again from its recorded seed and fails when that gives other units than the
 * saved sample. Skipped when no sample was drawn.
 */
export async function redrawSample(workspace: Workspace): Promise<StepOutcome<SavedSample | undefined>> {
  const saved = await readSample(workspace);
  if (!saved)
    return {
      detail: 'no sample drawn (annotations/sample.csv)',
      value: undefined,
      status: 'skipped' as const,
    };
  const { meta } = saved;
  const redrawn = await computeSample(workspace, {
    fraction: meta.fraction ?? undefined,
    size: meta.size_requested ?? undefined,
    seed: meta.seed,
    by: meta.by ?? undefined,
  });
  const same =
    redrawn.unitIds.length === saved.unitIds.length &&
    redrawn.unitIds.every((id, index) => id === saved.unitIds[index]);
  const description = `${meta.size} of ${meta.population} units (${percentText(meta.size / meta.population)}), seed ${meta.seed}${meta.by ? `, by ${meta.by}` : ''}`;
  if (!same)
    return {
      detail: `${description}: drawing again with the recorded seed gives other units than annotations/sample.csv`,
      value: saved,
      status: 'failed' as const,
    };
  return { detail: `${description}; drawn again from the seed: identical`, value: saved };
}

/** Merges the two coders' annotations and counts their disagreements. */
export async function mergeStudyCoders(common: StepContext): Promise<StepOutcome<Merge>> {
  const merge = await mergeCoders(common);
  return {
    detail: `${merge.coderA} and ${merge.coderB}: ${merge.summary.n} units coded by both, ${merge.summary.n - merge.summary.identical} disagreements`,
    value: merge,
  };
}

/** Computes the reliability report and states its headline κ with the bootstrap interval. */
export async function recomputeReliability(common: StepContext): Promise<StepOutcome<ReliabilityReport>> {
  const { report } = await computeReliability(common);
  const kappa = headlineKappa(report);
  const definition = report.overall?.definition ?? report.multi?.definition ?? '';
  const interval =
    report.overall?.bootstrap_ci_low != null
      ? `, bootstrap 95 % CI ${report.overall.bootstrap_ci_low.toFixed(2)}–${report.overall.bootstrap_ci_high?.toFixed(2)}`
      : '';
  return {
    detail: `overall κ (${definition}) = ${kappa === null ? 'undefined' : kappa.toFixed(3)}${interval} on ${report.n_units} units`,
    value: report,
  };
}

/** Tallies the codes' verdicts under the reliability gate, and fails when a code fails the gate. */
export async function judgeGate(
  reliability: ReliabilityReport,
  gate: GateSummary,
): Promise<StepOutcome<GateSummary>> {
  const judged = [...reliability.codes, ...(reliability.multi?.codes ?? [])];
  const count = (verdict: string) => judged.filter((code) => code.gate?.verdict === verdict).length;
  const tally = `${count('reliable')} of ${judged.length} codes reliable, ${count('tentative')} tentative`;
  if (gate.failed.length > 0)
    return {
      detail: `${gate.description}: ${gate.failed.length} fail (${gate.failed.join(', ')}); ${tally}`,
      value: gate,
      status: 'failed' as const,
    };
  const caution = gate.flagged.length > 0 ? ` (interpret with caution: ${gate.flagged.join(', ')})` : '';
  return { detail: `${gate.description}: ${tally}${caution}`, value: gate };
}

/** Counts the disagreements decided and still open; open ones do not fail the step. */
export async function countAdjudication(
  common: StepContext,
): Promise<StepOutcome<ReturnType<typeof adjudicationStatus>>> {
  const session = await openAdjudication(common);
  const status = adjudicationStatus(session);
  // Open disagreements do not fail the step: the study is reproduced as it stands, and the line
  // says how many are open.
  return {
    detail: `${status.decided} of ${status.disagreements} disagreements decided, ${status.pending} open`,
    value: status,
  };
}

/** Finds the most frequent code of each category in the final codes. */
export async function findTopThemes(common: StepContext): Promise<StepOutcome<TopThemes>> {
  const data = await loadThemeData(common);
  const rows = frequencies(data.input);
  const top: TopThemes = new Map();
  for (const row of rows) {
    if (row.code === '') continue;
    const best = top.get(row.category);
    if (!best || row.units > best.units) top.set(row.category, { code: row.code, units: row.units });
  }
  return {
    detail: [...top].map(([category, best]) => `${category}: ${best.code} (${best.units})`).join('; '),
    value: top,
  };
}

/** Codes again with every machine coder (LLM coders from the cache) and fails when one codes differently. */
export async function recodeMachineCoders(common: StepContext): Promise<StepOutcome<MachineCoderCheck[]>> {
  const checks = await reproduceMachineCoders(await openStudy(common));
  const failed = checks.filter((check) => check.problem !== undefined);
  const names = checks.map((check) => `${check.coder} (${check.method})`).join(', ');
  if (failed.length > 0)
    return {
      detail: failed.map((check) => `${check.coder} (${check.method}): ${check.problem}`).join('; '),
      value: checks,
      status: 'failed' as const,
    };
  return { detail: `${names}: coded again (LLM coders from the cache), identical`, value: checks };
}

/**
 * Writes the report into `output` (resolved against `cwd`, the folder the command was run in), or
 * into reports/ in the workspace; its value is the report's folder.
 */
export async function writeStudyReport(
  common: StepContext,
  cwd: string,
  output: string | undefined,
): Promise<StepOutcome<string>> {
  const written = await writeReport({
    ...common,
    output: output === undefined ? undefined : path.resolve(cwd, output),
  });
  return {
    detail: `${written.files.length + 1} files in ${path.relative(cwd, written.folder) || '.'}`,
    value: written.folder,
  };
}
