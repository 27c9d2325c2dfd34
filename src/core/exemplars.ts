/**
 * Exemplar quotations of a coded corpus: for each code, a few units chosen deterministically,
 * preferring those whose codes the coders agreed on, and one per document before a second.
 */
import type { ThemeInput } from './themes.js';

export interface ExemplarRow {
  code: string;
  label: string;
  rank: number;
  unit_id: string;
  doc_id: string;
  actor: string;
  date: string;
  /** Where the unit's codes come from: agreed (both coders gave them), adjudicated, primary… */
  basis: string;
  text: string;
}

/** Preference of a unit as an exemplar by where its codes come from: agreement first. */
export const basisRank: Record<string, number> = {
  agreed: 0,
  adjudicated: 1,
  single: 2,
  primary: 3,
  other: 4,
  coder: 2,
};

/**
 * For each code, up to `count` exemplar units, chosen deterministically: units whose codes the
 * coders agreed on first, then adjudicated ones, then the rest; within that, one unit per
 * document before a second from the same document, in corpus order.
 */
export function exemplars(input: ThemeInput, count: number): ExemplarRow[] {
  const { codebook, codings } = input;
  // Units come in corpus order, so for each code and rank the first `count` units with distinct
  // documents, and the first `count` units at all, are all the choice below can need: a million
  // units never become a million candidates.
  type Kept = { firsts: number[]; distinct: number[]; documents: Set<number> };
  const kept = codebook.codes.map(() => new Map<number, Kept>());
  for (let position = 0; position < codings.size; position++) {
    const rank = basisRank[input.sources[position]!] ?? 5;
    const document = input.documentOf(codings.units[position]!);
    for (const code of codings.codesAt(position)) {
      let entry = kept[code]!.get(rank);
      if (!entry) {
        entry = { firsts: [], distinct: [], documents: new Set() };
        kept[code]!.set(rank, entry);
      }
      if (entry.firsts.length < count) entry.firsts.push(position);
      if (entry.distinct.length < count && !entry.documents.has(document)) {
        entry.documents.add(document);
        entry.distinct.push(position);
      }
    }
  }
  const rows: ExemplarRow[] = [];
  for (const code of codebook.codes) {
    const ranks = [...kept[code.index]!.keys()].sort((left, right) => left - right);
    const chosen: number[] = [];
    const documentsUsed = new Set<number>();
    // First pass: best rank first, one unit per document; second pass: fill up in the same order.
    for (const pass of [0, 1]) {
      for (const rank of ranks) {
        const entry = kept[code.index]!.get(rank)!;
        for (const position of pass === 0 ? entry.distinct : entry.firsts) {
          if (chosen.length >= count) break;
          if (chosen.includes(position)) continue;
          const document = input.documentOf(codings.units[position]!);
          if (pass === 0 && documentsUsed.has(document)) continue;
          documentsUsed.add(document);
          chosen.push(position);
        }
      }
    }
    for (const [rank, position] of chosen.entries()) {
      const unitIndex = codings.units[position]!;
      const document = input.documents.at(input.documentOf(unitIndex));
      rows.push({
        code: code.id,
        label: code.label,
        rank: rank + 1,
        unit_id: input.unitId(unitIndex),
        doc_id: document.id,
        actor: document.actor ?? '',
        date: document.date ?? '',
        basis: input.sources[position]!,
        text: input.unitText(unitIndex),
      });
    }
  }
  return rows;
}
