/**
 * The reliability part of `coding report`: reliability.csv and reliability.json for the first two
 * coders, and their disagreements with the decisions taken on them (disagreements.csv, streamed).
 */

import type { ReliabilityReport } from '../core/reliability.js';
import { CodingError } from '../errors.js';
import { readAdjudication } from '../io/adjudication.js';
import { csvLine } from '../io/csv-write.js';
import type { FolderContent } from '../io/report-folder.js';
import type { Workspace } from '../io/workspace.js';
import type { ReportDisagreement } from '../report/data.js';
import { reliabilityCsv } from '../report/reliability.js';
import type { AdjudicationRecord } from '../schema/adjudication.js';
import { adjudicationFile } from './adjudicate.js';
import type { AnnotationSet } from './annotation-set.js';
import { type Merge, type MergeRow, mergeCoders } from './merge.js';
import { computeReliability } from './reliability.js';
import { relativeTo } from './study.js';

/** Disagreements listed in report.html (all are in disagreements.csv). */
export const maxDisagreementsInReport = 500;

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

/**
 * What the report shows of the coders' agreement. Filled as it is gathered: when a step fails with
 * a `CodingError`, what came before it stays and `note` says why the rest is missing.
 */
export interface ReportReliability {
  reliability: ReliabilityReport | undefined;
  /** Why there is no reliability section (or only part of one), when so. */
  note: string | undefined;
  /** The first disagreements, for report.html (all are in disagreements.csv). */
  disagreements: ReportDisagreement[];
  /** The decisions taken on the disagreements counted in `adjudication`, for the methods section. */
  decided: AdjudicationRecord[];
  adjudication: { disagreements: number; decided: number; pending: number };
}

/**
 * Compute the reliability of the first two coders and stream their disagreements, putting
 * reliability.csv, reliability.json and disagreements.csv into `files`. A report on one coder, or a
 * study with fewer than two coders, has no reliability section; neither has one whose reliability
 * or merge fails with a `CodingError` (its message becomes the note).
 */
export async function reportReliability(
  options: { cwd: string; coder?: string | undefined },
  set: AnnotationSet,
  files: Map<string, FolderContent>,
): Promise<ReportReliability> {
  const part: ReportReliability = {
    reliability: undefined,
    note: undefined,
    disagreements: [],
    decided: [],
    adjudication: { disagreements: 0, decided: 0, pending: 0 },
  };
  if (options.coder !== undefined || set.coders.length < 2) {
    part.note =
      options.coder !== undefined
        ? `a report on one coder (${options.coder}) has no reliability section`
        : 'only one coder has annotations';
    return part;
  }
  const { workspace } = set.study!;
  try {
    part.reliability = (
      await computeReliability({ cwd: options.cwd, workspace: workspace.root, set })
    ).report;
    files.set('reliability.csv', reliabilityCsv(part.reliability));
    files.set('reliability.json', `${JSON.stringify(part.reliability, null, 2)}\n`);
    const merge = await mergeCoders({
      cwd: options.cwd,
      workspace: workspace.root,
      coders: part.reliability.coders.slice(0, 2),
      ...(set.coders.length === 2 ? { set } : {}),
    });
    const decisions = await decisionsByUnit(merge.set, workspace);
    await streamDisagreements(merge, decisions, part, files);
  } catch (error) {
    if (!(error instanceof CodingError)) throw error;
    part.note = error.message;
  }
  return part;
}

/** The adjudication decisions of a pair of coders, by unit. */
async function decisionsByUnit(
  pair: AnnotationSet,
  workspace: Workspace,
): Promise<Map<string, AdjudicationRecord>> {
  const file = adjudicationFile(pair);
  const records = await readAdjudication(file, relativeTo(workspace, file));
  return new Map(records.map((record) => [record.unitId, record]));
}

/**
 * Every disagreement goes to disagreements.csv as it comes, kept as UTF-8 bytes (a quarter of a
 * million rows as strings held twice the memory); `part` keeps the first ones for the page, every
 * decision taken, and the counts.
 */
async function streamDisagreements(
  merge: Merge,
  decisions: ReadonlyMap<string, AdjudicationRecord>,
  part: ReportReliability,
  files: Map<string, FolderContent>,
): Promise<void> {
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
    if (decision) part.decided.push(decision);
    lines.add(disagreementLine(row, decision));
    if (part.disagreements.length < maxDisagreementsInReport)
      part.disagreements.push(reportDisagreement(row, decision));
  }
  const decided = part.decided.length;
  part.adjudication = { disagreements: total, decided, pending: total - decided };
  files.set('disagreements.csv', lines.pieces());
}

/** A disagreement as a line of disagreements.csv (formulas neutralised: the text is the corpus's). */
function disagreementLine(row: MergeRow, decision: AdjudicationRecord | undefined): string {
  return csvLine(
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
  );
}

/** A disagreement as report.html lists it, with its decision when it was settled. */
function reportDisagreement(row: MergeRow, decision: AdjudicationRecord | undefined): ReportDisagreement {
  return {
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
  };
}
