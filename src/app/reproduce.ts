/**
 * `coding reproduce`: the study from its files to its figures, each step through the same code
 * as the individual command, with the figures the paper reports (coding.yaml `paper:`) set beside
 * the ones recomputed. Nothing here knows about any particular study.
 */
import type { ReliabilityReport } from '../core/reliability.js';
import { CodingError } from '../errors.js';
import { openWorkspace, type Workspace } from '../io/workspace.js';
import { machineCoders } from './autocode/store.js';
import { headlineKappa } from './reliability.js';
import {
  type CorpusCounts,
  checkCorpus,
  checkStudyCodebook,
  countAdjudication,
  findTopThemes,
  judgeGate,
  mergeStudyCoders,
  recodeMachineCoders,
  recomputeReliability,
  redrawSample,
  type SavedSample,
  type StepOutcome,
  type StepStatus,
  type TopThemes,
  writeStudyReport,
} from './reproduce-steps.js';

export type { StepStatus };

export interface Step {
  name: string;
  status: StepStatus;
  detail: string;
}

export interface Comparison {
  figure: string;
  paper: string;
  reproduced: string;
  /** Undefined when the paper gives no figure to compare with. */
  matches: boolean | undefined;
}

export interface ReproduceResult {
  steps: Step[];
  comparisons: Comparison[];
  reportFolder?: string;
  /** Every step passed and every figure the paper reports was reproduced. */
  reproduced: boolean;
}

export interface ReproduceOptions {
  cwd: string;
  workspace?: string | undefined;
  output?: string | undefined;
  /** Called as each step ends, for a line of progress. */
  onStep?: (step: Step) => void;
}

/** Runs the steps one after the other and keeps the line each ends with, in order. */
class StepLog {
  readonly steps: Step[] = [];
  private readonly onStep: ((step: Step) => void) | undefined;

  constructor(onStep: ((step: Step) => void) | undefined) {
    this.onStep = onStep;
  }

  /** Runs a step; an input error fails that step (and what depends on it), not the whole command. */
  async run<T>(name: string, body: () => Promise<StepOutcome<T>>): Promise<T | undefined> {
    try {
      const { detail, value, status } = await body();
      this.record({ name, status: status ?? 'ok', detail });
      return value;
    } catch (error) {
      if (!(error instanceof CodingError)) throw error;
      this.record({
        name,
        status: 'failed',
        detail: error.message + (error.findings[0] ? ` (${error.findings[0].message})` : ''),
      });
      return undefined;
    }
  }

  /** Keeps the line a step ended with and passes it on for progress. */
  private record(step: Step): void {
    this.steps.push(step);
    this.onStep?.(step);
  }
}

/**
 * Runs every step of the study in order (a failed step does not stop the ones after it), then sets
 * the paper's figures beside the reproduced ones.
 */
export async function reproduce(options: ReproduceOptions): Promise<ReproduceResult> {
  const workspace = await openWorkspace(options);
  const root = workspace.root;
  const common = { cwd: root, workspace: root };
  const log = new StepLog(options.onStep);

  const corpus = await log.run('corpus', () => checkCorpus(workspace, common));
  await log.run('codebook', () => checkStudyCodebook(root));
  const sample = await log.run('sample', () => redrawSample(workspace));
  await log.run('merge', () => mergeStudyCoders(common));
  const reliability = await log.run('reliability', () => recomputeReliability(common));
  const gate = reliability?.gate;
  if (reliability && gate) await log.run('gate', () => judgeGate(reliability, gate));
  await log.run('adjudication', () => countAdjudication(common));
  const themes = await log.run('themes', () => findTopThemes(common));
  // Only a study with machine coders gets this step, so the others' output is as before.
  if ((await machineCoders(workspace.paths.annotations)).length > 0) {
    await log.run('autocode', () => recodeMachineCoders(common));
  }
  const report = await log.run('report', () => writeStudyReport(common, options.cwd, options.output));

  const comparisons = compareWithPaper(workspace.config.paper, { reliability, sample, corpus, themes });
  const reproduced =
    log.steps.every((step) => step.status !== 'failed') &&
    comparisons.every((comparison) => comparison.matches !== false);
  return { steps: log.steps, comparisons, ...(report ? { reportFolder: report } : {}), reproduced };
}

/** What the steps found that the paper's figures are compared with; undefined where a step failed or was skipped. */
interface ReproducedFigures {
  reliability: ReliabilityReport | undefined;
  sample: SavedSample | undefined;
  corpus: CorpusCounts | undefined;
  themes: TopThemes | undefined;
}

/**
 * The figures the paper reports (coding.yaml `paper:`), beside the reproduced ones: κ to the
 * paper's decimals, the sample's fraction, the numbers of documents and units, and the most
 * frequent code of each category.
 */
function compareWithPaper(paper: Workspace['config']['paper'], found: ReproducedFigures): Comparison[] {
  const { reliability, sample, corpus, themes } = found;
  const decimals = paper?.decimals ?? 2;
  const comparisons: Comparison[] = [];
  const kappa = reliability ? headlineKappa(reliability) : null;
  comparisons.push({
    figure: `κ (${reliability?.overall?.definition ?? reliability?.multi?.definition ?? 'overall'})`,
    paper: paper?.kappa === undefined ? '—' : paper.kappa.toFixed(decimals),
    reproduced: kappa === null ? 'undefined' : kappa.toFixed(decimals),
    matches:
      paper?.kappa === undefined
        ? undefined
        : kappa !== null && kappa.toFixed(decimals) === paper.kappa.toFixed(decimals),
  });
  const fraction = sample?.meta.fraction ?? (sample ? sample.meta.size / sample.meta.population : undefined);
  comparisons.push({
    figure: 'double-coded sample',
    paper: paper?.sample_fraction === undefined ? '—' : `${(100 * paper.sample_fraction).toFixed(0)} %`,
    reproduced: sample
      ? `${(100 * (fraction ?? 0)).toFixed(0)} % (${sample.meta.size} of ${sample.meta.population} units)`
      : 'none',
    matches:
      paper?.sample_fraction === undefined
        ? undefined
        : fraction !== undefined && Math.abs(fraction - paper.sample_fraction) < 1e-9,
  });
  comparisons.push({
    figure: 'documents',
    paper: paper?.documents === undefined ? '—' : String(paper.documents),
    reproduced: corpus ? String(corpus.documents) : '—',
    matches: paper?.documents === undefined ? undefined : corpus?.documents === paper.documents,
  });
  comparisons.push({
    figure: 'coding units',
    paper: paper?.units === undefined ? '—' : String(paper.units),
    reproduced: corpus ? String(corpus.units) : '—',
    matches: paper?.units === undefined ? undefined : corpus?.units === paper.units,
  });
  for (const [category, best] of themes ?? []) {
    const reported = paper?.top_themes?.[category];
    comparisons.push({
      figure: `most frequent ${category} code`,
      paper: reported ?? '—',
      reproduced: `${best.code} (${best.units} units)`,
      matches: reported === undefined ? undefined : reported === best.code,
    });
  }
  return comparisons;
}
