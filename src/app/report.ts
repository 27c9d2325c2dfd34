/**
 * `coding report`: every table as a CSV file, the reliability tables, the disagreements, and one
 * self-contained report.html, with a manifest of the files and their hashes. The same inputs give
 * byte-identical files: no dates inside, the tool version and the inputs' hashes instead.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { codeCautions } from '../core/gates.js';
import { machineCodedLabel } from '../core/machine-primary.js';
import type { ReliabilityReport } from '../core/reliability.js';
import { type CrossTable, crossTable, groupFields, someDocumentHas } from '../core/themes.js';
import { CodingError, InputError } from '../errors.js';
import { readAdjudication } from '../io/adjudication.js';
import { corpusPaths, readManifest } from '../io/corpus-store.js';
import { csvLine } from '../io/csv-write.js';
import { type FolderContent, replaceReportFolder } from '../io/report-folder.js';
import { openWorkspace } from '../io/workspace.js';
import type { ReportData, ReportDisagreement } from '../report/data.js';
import { renderReportHtml } from '../report/html.js';
import { renderMethods } from '../report/methods.js';
import { reliabilityCsv } from '../report/reliability.js';
import { reportLatexFiles } from '../report/report-latex.js';
import {
  actorCsv,
  cooccurrenceCsv,
  crossCsv,
  exemplarCsv,
  frequencyCsv,
  triangulationCsv,
} from '../report/themes.js';
import type { AdjudicationRecord } from '../schema/adjudication.js';
import { toolVersion } from '../version.js';
import { adjudicationFile } from './adjudicate.js';
import { machineCoderReports } from './autocode/report-data.js';
import { mergeCoders } from './merge.js';
import { CorpusFacts, gatherMethodsFacts } from './methods-facts.js';
import { computeReliability } from './reliability.js';
import { readSample } from './sample.js';
import { relativeTo } from './study.js';
import {
  cooccurrence,
  exemplarAndActorTables,
  frequencies,
  loadThemeData,
  rhetoricCategory,
  triangulation,
} from './themes.js';

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

/** Documents above which the per-document table is left out of the report (it would have a row per document and code). */
export const maxDocumentsInReport = 2000;
/** Disagreements listed in report.html (all are in disagreements.csv). */
export const maxDisagreementsInReport = 500;

async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Text gathered as UTF-8 bytes, each piece written straight into a buffer of a megabyte: a string
 * grown by `+=` to a megabyte outlived the young generation with all its pieces, which grew the
 * heap by 100 MB over the disagreements of a million units. Each text is encoded on its own (whole
 * CSV lines here, so a surrogate pair is never split).
 */
export class ByteChunks {
  private readonly chunks: Buffer[] = [];
  private current: Buffer;
  private used = 0;
  constructor(private readonly size = 1 << 20) {
    this.current = Buffer.allocUnsafe(size);
  }
  add(text: string): void {
    // A UTF-16 code unit is at most three bytes of UTF-8 (a lone surrogate becomes U+FFFD).
    const most = text.length * 3;
    if (this.used + most > this.current.length) {
      this.flush();
      if (most > this.current.length) {
        this.chunks.push(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.current.write(text, this.used, 'utf8');
  }
  private flush(): void {
    if (this.used === 0) return;
    this.chunks.push(this.current.subarray(0, this.used));
    this.current = Buffer.allocUnsafe(this.size);
    this.used = 0;
  }
  /** The pieces, not joined: joining them held the table twice (50 MB more at a million units). */
  pieces(): Buffer[] {
    this.flush();
    return this.chunks.splice(0);
  }
}

export async function buildReport(
  options: ReportOptions,
): Promise<{ data: ReportData; files: Map<string, FolderContent> }> {
  // The corpus facts of the methods section are gathered in the same pass over the metadata.
  const corpusFacts = new CorpusFacts();
  const themes = await loadThemeData(options, (document) => corpusFacts.add(document));
  const { data: analysis, input } = themes;
  const study = analysis.set.study!;
  const { workspace } = study;
  const files = new Map<string, FolderContent>();
  // A machine coder as primary: every theme table says so (in CSV, a column coded_by).
  const machinePrimary = analysis.machinePrimary;
  const codedBy = machinePrimary === undefined ? undefined : machineCodedLabel(machinePrimary);

  const frequencyRows = frequencies(input);
  files.set('frequencies.csv', frequencyCsv(frequencyRows, undefined, codedBy));
  const groups: Record<string, CrossTable> = {};
  for (const field of groupFields) {
    if (field === 'document' && input.documents.length > maxDocumentsInReport) continue;
    if (!someDocumentHas(input.documents, field, 'month')) continue;
    const table = crossTable(input, field, 'month');
    groups[field] = table;
    files.set(`by-${field}.csv`, crossCsv(table, undefined, codedBy));
  }
  const cooccurrenceRows = cooccurrence(input);
  files.set('cooccurrence.csv', cooccurrenceCsv(cooccurrenceRows, undefined, codedBy));
  const triangulationRows = triangulation(input);
  files.set('triangulation.csv', triangulationCsv(triangulationRows, undefined, codedBy));
  const category = rhetoricCategory(themes, undefined);
  const quoted = await exemplarAndActorTables(themes, options.exemplars ?? 3, category);
  const exemplarRows = quoted.exemplars;
  files.set('exemplars.csv', exemplarCsv(exemplarRows, undefined, codedBy));
  const rhetoric =
    category === undefined || quoted.actors === undefined ? undefined : { category, rows: quoted.actors };
  if (rhetoric) files.set('rhetoric.csv', actorCsv(rhetoric.rows, undefined, codedBy));

  let reliability: ReliabilityReport | undefined;
  let reliabilityNote: string | undefined;
  const disagreements: ReportDisagreement[] = [];
  let adjudication = { disagreements: 0, decided: 0, pending: 0 };
  // The decisions taken on the disagreements counted above, for the methods section.
  const decided: AdjudicationRecord[] = [];
  const coders = analysis.set.coders;
  if (options.coder === undefined && coders.length >= 2) {
    try {
      reliability = (
        await computeReliability({ cwd: options.cwd, workspace: workspace.root, set: analysis.set })
      ).report;
      files.set('reliability.csv', reliabilityCsv(reliability));
      files.set('reliability.json', `${JSON.stringify(reliability, null, 2)}\n`);
      const merge = await mergeCoders({
        cwd: options.cwd,
        workspace: workspace.root,
        coders: reliability.coders.slice(0, 2),
        ...(analysis.set.coders.length === 2 ? { set: analysis.set } : {}),
      });
      const decisions = new Map(
        (
          await readAdjudication(
            adjudicationFile(merge.set),
            relativeTo(workspace, adjudicationFile(merge.set)),
          )
        ).map((record) => [record.unitId, record]),
      );
      // Every disagreement goes to disagreements.csv as it comes, kept as UTF-8 bytes (a quarter of
      // a million rows as strings held twice the memory); the page keeps the first ones.
      const lines = new ByteChunks();
      lines.add(
        csvLine([
          'unit_id',
          'doc_id',
          'text',
          `only_${merge.coderA}`,
          `only_${merge.coderB}`,
          'decided_codes',
          'decided_by',
          'rationale',
        ]),
      );
      let total = 0;
      for await (const row of merge.rows({ disagreementsOnly: true })) {
        if (row.agree) continue;
        total++;
        const decision = decisions.get(row.unit_id);
        if (decision) decided.push(decision);
        lines.add(
          csvLine(
            [
              row.unit_id,
              row.doc_id,
              row.text,
              row.only_a.join(' '),
              row.only_b.join(' '),
              decision?.codes.join(' ') ?? '',
              decision?.decidedBy ?? '',
              decision?.rationale ?? '',
            ],
            { neutraliseFormulas: true },
          ),
        );
        if (disagreements.length < maxDisagreementsInReport) {
          disagreements.push({
            unit_id: row.unit_id,
            doc_id: row.doc_id,
            text: row.text,
            only_a: row.only_a,
            only_b: row.only_b,
            ...(decision
              ? {
                  decision: {
                    codes: decision.codes,
                    decided_by: decision.decidedBy,
                    rationale: decision.rationale,
                  },
                }
              : {}),
          });
        }
      }
      adjudication = { disagreements: total, decided: decided.length, pending: total - decided.length };
      files.set('disagreements.csv', lines.pieces());
    } catch (error) {
      if (!(error instanceof CodingError)) throw error;
      reliabilityNote = error.message;
    }
  } else {
    reliabilityNote =
      options.coder !== undefined
        ? `a report on one coder (${options.coder}) has no reliability section`
        : 'only one coder has annotations';
  }

  // With a gate (coding.yaml reliability.require), every theme table gets its `caution` column.
  const cautions = workspace.config.reliability.require ? codeCautions(reliability) : undefined;
  if (cautions) {
    files.set('frequencies.csv', frequencyCsv(frequencyRows, cautions, codedBy));
    for (const [field, table] of Object.entries(groups))
      files.set(`by-${field}.csv`, crossCsv(table, cautions, codedBy));
    files.set('cooccurrence.csv', cooccurrenceCsv(cooccurrenceRows, cautions, codedBy));
    files.set('triangulation.csv', triangulationCsv(triangulationRows, cautions, codedBy));
    files.set('exemplars.csv', exemplarCsv(exemplarRows, cautions, codedBy));
    if (rhetoric) files.set('rhetoric.csv', actorCsv(rhetoric.rows, cautions, codedBy));
  }

  const sample = await readSample(workspace).catch(() => undefined);
  const inputs: Array<{ file: string; sha256: string }> = [];
  const paths = corpusPaths(workspace.paths.corpus);
  const candidates = [
    workspace.configFile,
    workspace.paths.codebook,
    paths.manifest,
    paths.documents,
    paths.units,
  ];
  try {
    for (const name of (await fs.readdir(workspace.paths.annotations)).sort()) {
      if (name.endsWith('.csv') || name.endsWith('.json'))
        candidates.push(path.join(workspace.paths.annotations, name));
    }
  } catch {
    // No annotations folder: nothing to hash.
  }
  for (const file of candidates) {
    try {
      inputs.push({ file: relativeTo(workspace, file), sha256: await fileHash(file) });
    } catch {
      // A missing optional input (no adjudication yet) is simply not listed.
    }
  }
  const unitCount = (await readManifest(paths))?.units ?? 0;
  const data: ReportData = {
    tool: `coding ${toolVersion}`,
    title: workspace.config.title ?? workspace.config.name,
    description: workspace.config.description,
    study: {
      documents: input.documents.length,
      units: unitCount,
      coded_units: input.codings.size,
      coders,
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
    codebook: {
      categories: input.codebook.categories.map((item) => ({
        id: item.id,
        label: item.label,
        exclusive: item.exclusive,
        color: input.codebook.codebook.categories.find((entry) => entry.id === item.id)?.color,
      })),
      codes: input.codebook.codes.map((code) => ({
        id: code.id,
        label: code.label,
        category: code.categoryId,
        color: code.color,
        definition: code.definition,
      })),
    },
    reliability,
    reliability_note: reliabilityNote,
    frequencies: frequencyRows,
    groups,
    cooccurrence: cooccurrenceRows,
    exemplars: exemplarRows,
    triangulation: triangulationRows,
    rhetoric,
    disagreements,
    adjudication,
    inputs,
  };
  if (options.coder === undefined) {
    const machines = await machineCoderReports(study);
    if (machines.length > 0) data.machine_coders = machines;
  }
  if (machinePrimary !== undefined) data.machine_primary = { ...machinePrimary, label: codedBy! };
  files.set('report.html', renderReportHtml(data));
  const methods = renderMethods(
    data,
    await gatherMethodsFacts({
      set: analysis.set,
      units: unitCount,
      sample,
      primary: workspace.config.coders.primary,
      decisions: decided,
      adjudication,
      corpus: corpusFacts.facts(unitCount),
    }),
  );
  const basis = analysis.coder === 'final' ? 'final codes' : `codes of ${analysis.coder}`;
  for (const [name, content] of reportLatexFiles(data, cautions, {
    caption: `Theme frequencies (${basis}, ${input.codings.size} units)`,
    reliability,
  }))
    files.set(name, content);
  files.set('methods.md', methods.markdown);
  files.set('methods.tex', methods.latex);
  return { data, files };
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
