/**
 * `coding reproduce`: the study from its files to its figures, each step through the same code
 * as the individual command, with the figures the paper reports (coding.yaml `paper:`) set beside
 * the ones recomputed. Nothing here knows about any particular study.
 */
import path from 'node:path';
import { CodingError, InputError } from '../errors.js';
import { openWorkspace } from '../io/workspace.js';
import { adjudicationStatus, openAdjudication } from './adjudicate.js';
import { reproduceMachineCoders } from './autocode/reproduce-machine.js';
import { machineCoders } from './autocode/store.js';
import { checkCodebook } from './codebook.js';
import { importDocuments } from './import-documents.js';
import { mergeCoders } from './merge.js';
import { computeReliability, headlineKappa } from './reliability.js';
import { writeReport } from './report.js';
import { computeSample, readSample } from './sample.js';
import { openStudy } from './study.js';
import { frequencies, loadThemeData } from './themes.js';

export type StepStatus = 'ok' | 'failed' | 'skipped';

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

const percentText = (value: number): string => `${(100 * value).toFixed(1)} %`;

export async function reproduce(options: ReproduceOptions): Promise<ReproduceResult> {
  const workspace = await openWorkspace(options);
  const root = workspace.root;
  const common = { cwd: root, workspace: root };
  const steps: Step[] = [];
  const comparisons: Comparison[] = [];
  const paper = workspace.config.paper;
  const decimals = paper?.decimals ?? 2;
  const record = (step: Step): void => {
    steps.push(step);
    options.onStep?.(step);
  };
  /** Run a step; an input error fails that step (and what depends on it), not the whole command. */
  const run = async <T>(
    name: string,
    body: () => Promise<{ detail: string; value: T; status?: StepStatus }>,
  ): Promise<T | undefined> => {
    try {
      const { detail, value, status } = await body();
      record({ name, status: status ?? 'ok', detail });
      return value;
    } catch (error) {
      if (!(error instanceof CodingError)) throw error;
      record({
        name,
        status: 'failed',
        detail: error.message + (error.findings[0] ? ` (${error.findings[0].message})` : ''),
      });
      return undefined;
    }
  };

  const corpus = await run('corpus', async () => {
    const sources = workspace.config.sources;
    if (!sources || sources.length === 0) {
      return {
        detail: 'coding.yaml lists no sources: the corpus was not checked against its documents',
        value: undefined,
        status: 'skipped' as const,
      };
    }
    let result: Awaited<ReturnType<typeof importDocuments>>;
    try {
      result = await importDocuments({
        ...common,
        paths: sources.map((source) => path.resolve(root, source)),
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
    if (changed > 0) {
      return {
        detail: `re-importing ${sources.join(', ')} would change ${changed} documents: the corpus is out of date`,
        value: result,
        status: 'failed' as const,
      };
    }
    return {
      detail: `${result.documents.total} documents, ${result.units.total} units; re-importing ${sources.join(', ')} changes nothing`,
      value: result,
    };
  });

  await run('codebook', async () => {
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
  });

  const sample = await run('sample', async () => {
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
  });

  await run('merge', async () => {
    const merge = await mergeCoders(common);
    return {
      detail: `${merge.coderA} and ${merge.coderB}: ${merge.summary.n} units coded by both, ${merge.summary.n - merge.summary.identical} disagreements`,
      value: merge,
    };
  });

  const reliability = await run('reliability', async () => {
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
  });

  const gate = reliability?.gate;
  if (reliability && gate) {
    await run('gate', async () => {
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
    });
  }

  await run('adjudication', async () => {
    const session = await openAdjudication(common);
    const status = adjudicationStatus(session);
    return {
      detail: `${status.decided} of ${status.disagreements} disagreements decided, ${status.pending} open`,
      value: status,
      ...(status.pending > 0 ? { status: 'ok' as const } : {}),
    };
  });

  const themes = await run('themes', async () => {
    const data = await loadThemeData(common);
    const rows = frequencies(data.input);
    const top = new Map<string, { code: string; units: number }>();
    for (const row of rows) {
      if (row.code === '') continue;
      const best = top.get(row.category);
      if (!best || row.units > best.units) top.set(row.category, { code: row.code, units: row.units });
    }
    return {
      detail: [...top].map(([category, best]) => `${category}: ${best.code} (${best.units})`).join('; '),
      value: top,
    };
  });

  // Only a study with machine coders gets this step, so the others' output is as before.
  if ((await machineCoders(workspace.paths.annotations)).length > 0) {
    await run('autocode', async () => {
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
    });
  }

  const report = await run('report', async () => {
    const written = await writeReport({
      ...common,
      output: options.output === undefined ? undefined : path.resolve(options.cwd, options.output),
    });
    return {
      detail: `${written.files.length + 1} files in ${path.relative(options.cwd, written.folder) || '.'}`,
      value: written.folder,
    };
  });

  // The figures the paper reports, beside the reproduced ones.
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
    reproduced: corpus ? String(corpus.documents.total) : '—',
    matches: paper?.documents === undefined ? undefined : corpus?.documents.total === paper.documents,
  });
  comparisons.push({
    figure: 'coding units',
    paper: paper?.units === undefined ? '—' : String(paper.units),
    reproduced: corpus ? String(corpus.units.total) : '—',
    matches: paper?.units === undefined ? undefined : corpus?.units.total === paper.units,
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
  const reproduced =
    steps.every((step) => step.status !== 'failed') &&
    comparisons.every((comparison) => comparison.matches !== false);
  return { steps, comparisons, ...(report ? { reportFolder: report } : {}), reproduced };
}
