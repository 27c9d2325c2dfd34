/** Everything `coding report` shows, gathered once: the input of the CSV files and of report.html. */

import type { ExemplarRow } from '../core/exemplars.js';
import type { MachinePrimary } from '../core/machine-primary.js';
import type { ReliabilityReport } from '../core/reliability.js';
import type {
  ActorTableRow,
  CooccurrenceRow,
  CrossTable,
  FrequencyRow,
  TriangulationRow,
} from '../core/themes.js';
import type { MachineCoderReport } from './html/machine-coders.js';

export interface ReportCode {
  id: string;
  label: string;
  category: string;
  color?: string | undefined;
  definition?: string | undefined;
}

export interface ReportCategory {
  id: string;
  label: string;
  exclusive: boolean;
  color?: string | undefined;
}

export interface ReportDisagreement {
  unit_id: string;
  doc_id: string;
  text: string;
  only_a: string[];
  only_b: string[];
  /** The adjudicated codes, when the disagreement was settled. */
  decision?: { codes: string[]; decided_by: string; rationale: string } | undefined;
}

export interface ReportData {
  /** `coding 0.1.0`: the report records the tool, never a date, so re-running gives the same bytes. */
  tool: string;
  title: string;
  description?: string | undefined;
  study: {
    documents: number;
    units: number;
    /** Units in the analysis data set (reviewed by at least one coder). */
    coded_units: number;
    coders: string[];
    primary?: string | undefined;
    sample?:
      | { size: number; population: number; fraction: number | null; seed: number; by: string | null }
      | undefined;
    codebook: string;
    /** `final` (adjudicated, else agreed, else the primary coder's) or a coder's name. */
    basis: string;
  };
  codebook: { categories: ReportCategory[]; codes: ReportCode[] };
  /** Two coders over their common units; absent when fewer than two coders share units. */
  reliability?: ReliabilityReport | undefined;
  /** Why there is no reliability section, when there is none. */
  reliability_note?: string | undefined;
  frequencies: FrequencyRow[];
  /** Code × group tables, by field name (actor, source, genre, document, role, date). */
  groups: Record<string, CrossTable>;
  cooccurrence: CooccurrenceRow[];
  exemplars: ExemplarRow[];
  triangulation: TriangulationRow[];
  rhetoric?: { category: string; rows: ActorTableRow[] } | undefined;
  disagreements: ReportDisagreement[];
  adjudication: { disagreements: number; decided: number; pending: number };
  /** Inputs the report was made from, with their SHA-256. */
  inputs: Array<{ file: string; sha256: string }>;
  /** Machine coders (coding autocode) with their agreement with people; absent when there are none. */
  machine_coders?: MachineCoderReport[] | undefined;
  /**
   * When `coders.primary` names a machine coder: its validation against the people's final codes
   * and the label (`machineCodedLabel`) every theme table carries. Absent otherwise.
   */
  machine_primary?: (MachinePrimary & { label: string }) | undefined;
}
