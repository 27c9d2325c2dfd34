/** `annotations/adjudication.csv`: decisions on the coders' disagreements. */
export const adjudicationHeader = [
  'unit_id',
  'decision',
  'codes',
  'coder_a',
  'coder_b',
  'decided_by',
  'decided_at',
  'rationale',
] as const;

/**
 * What was decided: take coder A's codes, coder B's, both (their union), neither (no code), or an
 * edited set. Stored as `a`, `b`, `both`, `neither`, `edit`; the coders' names are in their own columns.
 */
export const decisions = ['a', 'b', 'both', 'neither', 'edit'] as const;
export type Decision = (typeof decisions)[number];

export interface AdjudicationRecord {
  unitId: string;
  decision: Decision;
  /** The final code ids (empty: reviewed, no code applies). */
  codes: string[];
  coderA: string;
  coderB: string;
  decidedBy: string;
  /** ISO 8601 date-time of the decision. */
  decidedAt: string;
  rationale: string;
}
