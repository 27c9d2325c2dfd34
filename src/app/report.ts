/**
 * `coding report`: every table as a CSV file, the reliability tables, the disagreements, and one
 * self-contained report.html, with a manifest of the files and their hashes. The same inputs give
 * byte-identical files: no dates inside, the tool version and the inputs' hashes instead.
 */

import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CodebookModel } from '../core/codebook.js';
import { codeCautions } from '../core/gates.js';
import { machineCodedLabel } from '../core/machine-primary.js';
import { InputError } from '../errors.js';
import { corpusPaths, readManifest } from '../io/corpus-store.js';
import { type FolderContent, replaceReportFolder } from '../io/report-folder.js';
import { openWorkspace } from '../io/workspace.js';
import type { ReportData } from '../report/data.js';
import { renderReportHtml } from '../report/html.js';
import { renderMethods } from '../report/methods.js';
import { reportLatexFiles } from '../report/report-latex.js';
import type { Cautions } from '../report/themes.js';
import { toolVersion } from '../version.js';
import { machineCoderReports } from './autocode/report-data.js';
import { CorpusFacts, gatherMethodsFacts } from './methods-facts.js';
import { reportInputs } from './report-inputs.js';
import { type ReportReliability, reportReliability } from './report-reliability.js';
import { type ReportThemeTables, reportThemeTables, setThemeCsvFiles } from './report-themes.js';
import { readSample } from './sample.js';
import { relativeTo } from './study.js';
import { loadThemeData, type ThemeData } from './themes.js';

// The pieces of the report live beside this file, by what they make (report-*.ts).

export interface ReportOptions {
  cwd: string;
  workspace?: string | undefined;
  coder?: string | undefined;
  output?: string | undefined;
  exemplars?: number;
}

export interface ReportResult {
  folder: string;
  files: Array<{ name: string; sha256: string; bytes: number }>;
  data: ReportData;
}

type Sample = Awaited<ReturnType<typeof readSample>>;

/**
 * Gather everything the report shows and render its files (CSV tables, reliability, disagreements,
 * report.html, methods, LaTeX tables), without writing them. The corpus is read as the themes
 * need it, and the disagreements are streamed once.
 */
export async function buildReport(
  options: ReportOptions,
): Promise<{ data: ReportData; files: Map<string, FolderContent> }> {
  // The corpus facts of the methods section are gathered in the same pass over the metadata.
  const corpusFacts = new CorpusFacts();
  const themes = await loadThemeData(options, (document) => corpusFacts.add(document));
  const analysis = themes.data;
  const study = analysis.set.study!;
  const { workspace } = study;
  const files = new Map<string, FolderContent>();
  // A machine coder as primary: every theme table says so (in CSV, a column coded_by).
  const machinePrimary = analysis.machinePrimary;
  const codedBy = machinePrimary === undefined ? undefined : machineCodedLabel(machinePrimary);

  const tables = await reportThemeTables(themes, options.exemplars ?? 3);
  setThemeCsvFiles(files, tables, undefined, codedBy);
  const agreement = await reportReliability(options, analysis.set, files);
  // With a gate (coding.yaml reliability.require), every theme table gets its `caution` column.
  const cautions = workspace.config.reliability.require ? codeCautions(agreement.reliability) : undefined;
  if (cautions) setThemeCsvFiles(files, tables, cautions, codedBy);

  const sample = await readSample(workspace).catch(() => undefined);
  const inputs = await reportInputs(workspace);
  const units = (await readManifest(corpusPaths(workspace.paths.corpus)))?.units ?? 0;
  const data = reportData({ themes, tables, agreement, sample, inputs, units });
  if (options.coder === undefined) {
    const machines = await machineCoderReports(study);
    if (machines.length > 0) data.machine_coders = machines;
  }
  if (machinePrimary !== undefined) data.machine_primary = { ...machinePrimary, label: codedBy! };
  files.set('report.html', renderReportHtml(data));
  const facts = await gatherMethodsFacts({
    set: analysis.set,
    units,
    sample,
    primary: workspace.config.coders.primary,
    decisions: agreement.decided,
    adjudication: agreement.adjudication,
    corpus: corpusFacts.facts(units),
  });
  setMethodsAndLatexFiles(files, data, renderMethods(data, facts), cautions);
  return { data, files };
}

/** The report's data: the study in figures, its codebook, every table, and the inputs' hashes. */
function reportData(parts: {
  themes: ThemeData;
  tables: ReportThemeTables;
  agreement: ReportReliability;
  sample: Sample;
  inputs: Array<{ file: string; sha256: string }>;
  units: number;
}): ReportData {
  const { themes, tables, agreement, sample } = parts;
  const { data: analysis, input } = themes;
  const { workspace } = analysis.set.study!;
  return {
    tool: `coding ${toolVersion}`,
    title: workspace.config.title ?? workspace.config.name,
    description: workspace.config.description,
    study: {
      documents: input.documents.length,
      units: parts.units,
      coded_units: input.codings.size,
      coders: analysis.set.coders,
      primary: workspace.config.coders.primary,
      sample: sample
        ? {
            size: sample.meta.size,
            population: sample.meta.population,
            fraction: sample.meta.fraction,
            seed: sample.meta.seed,
            by: sample.meta.by,
          }
        : undefined,
      codebook: relativeTo(workspace, workspace.paths.codebook),
      basis: analysis.coder,
    },
    codebook: reportCodebook(input.codebook),
    reliability: agreement.reliability,
    reliability_note: agreement.note,
    frequencies: tables.frequencies,
    groups: tables.groups,
    cooccurrence: tables.cooccurrence,
    exemplars: tables.exemplars,
    triangulation: tables.triangulation,
    rhetoric: tables.rhetoric,
    disagreements: agreement.disagreements,
    adjudication: agreement.adjudication,
    inputs: parts.inputs,
  };
}

/** The categories and codes as the report lists them, with their colours and definitions. */
function reportCodebook(codebook: CodebookModel): ReportData['codebook'] {
  return {
    categories: codebook.categories.map((item) => ({
      id: item.id,
      label: item.label,
      exclusive: item.exclusive,
      color: codebook.codebook.categories.find((entry) => entry.id === item.id)?.color,
    })),
    codes: codebook.codes.map((code) => ({
      id: code.id,
      label: code.label,
      category: code.categoryId,
      color: code.color,
      definition: code.definition,
    })),
  };
}

/** Put the LaTeX tables and the methods section (Markdown and LaTeX) into `files`. */
function setMethodsAndLatexFiles(
  files: Map<string, FolderContent>,
  data: ReportData,
  methods: { markdown: string; latex: string },
  cautions: Cautions,
): void {
  const basis = data.study.basis === 'final' ? 'final codes' : `codes of ${data.study.basis}`;
  for (const [name, content] of reportLatexFiles(data, cautions, {
    caption: `Theme frequencies (${basis}, ${data.study.coded_units} units)`,
    reliability: data.reliability,
  }))
    files.set(name, content);
  files.set('methods.md', methods.markdown);
  files.set('methods.tex', methods.latex);
}

/** Build the report and write its files atomically into the output folder (default: reports/). */
export async function writeReport(options: ReportOptions): Promise<ReportResult> {
  const { data, files } = await buildReport(options);
  const folder =
    options.output === undefined
      ? (await openWorkspace(options)).paths.reports
      : path.resolve(options.cwd, options.output);
  try {
    const stat = await fs.stat(folder);
    if (!stat.isDirectory())
      throw new InputError(`${options.output ?? 'reports'} is a file, not a folder`, {
        hint: 'choose another output folder with -o DIR.',
      });
  } catch (error) {
    if (error instanceof InputError) throw error;
  }
  const listed: Array<{ name: string; sha256: string; bytes: number }> = [];
  for (const [name, content] of [...files].sort(([left], [right]) => (left < right ? -1 : 1))) {
    const pieces = Array.isArray(content)
      ? (content as readonly Uint8Array[])
      : [content as string | Uint8Array];
    const hash = createHash('sha256');
    let bytes = 0;
    for (const piece of pieces) {
      hash.update(piece);
      bytes += Buffer.byteLength(piece);
    }
    listed.push({ name, sha256: hash.digest('hex'), bytes });
  }
  const manifest = {
    format: 'coding-report',
    version: 1,
    tool: data.tool,
    basis: data.study.basis,
    inputs: data.inputs,
    files: listed,
  };
  // A fresh folder switched in by renaming: a kill never leaves the manifest disagreeing with the files.
  await replaceReportFolder(
    folder,
    [...files].map(([name, content]) => ({ name, content })),
    { name: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
  );
  return { folder, files: listed, data };
}
