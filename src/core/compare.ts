/**
 * Two coders compared unit by unit over the units both reviewed: which codes each gave, where
 * they agree, and per code the 2×2 table of presence and absence. One pass over both coders'
 * sorted units; nothing per unit is kept unless asked for.
 */
import type { Codings } from './codings.js';

/** Per code, over units both coders reviewed: [[both, only A], [only B, neither]] as counts. */
export interface CodeCounts {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
}

export interface PairSummary {
  /** Units both coders reviewed. */
  n: number;
  /** Units only A (only B) reviewed. */
  onlyA: number;
  onlyB: number;
  /** Units on which the two sets of codes are identical. */
  identical: number;
  /** One entry per code index. */
  perCode: CodeCounts[];
}

export interface UnitComparison {
  unitIndex: number;
  codesA: Int32Array;
  codesB: Int32Array;
}

/** Call `visit` for every unit both coders reviewed, in unit order. */
export function forEachCommonUnit(
  a: Codings,
  b: Codings,
  visit: (unitIndex: number, positionA: number, positionB: number) => void,
): { onlyA: number; onlyB: number } {
  let positionA = 0;
  let positionB = 0;
  let onlyA = 0;
  let onlyB = 0;
  while (positionA < a.size && positionB < b.size) {
    const unitA = a.units[positionA]!;
    const unitB = b.units[positionB]!;
    if (unitA === unitB) {
      visit(unitA, positionA, positionB);
      positionA++;
      positionB++;
    } else if (unitA < unitB) {
      positionA++;
      onlyA++;
    } else {
      positionB++;
      onlyB++;
    }
  }
  return { onlyA: onlyA + (a.size - positionA), onlyB: onlyB + (b.size - positionB) };
}

function sameCodes(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** Summary of two coders over `codeCount` codes. */
export function comparePair(a: Codings, b: Codings, codeCount: number): PairSummary {
  const presentA = new Float64Array(codeCount);
  const presentB = new Float64Array(codeCount);
  const presentBoth = new Float64Array(codeCount);
  let n = 0;
  let identical = 0;
  const { onlyA, onlyB } = forEachCommonUnit(a, b, (_unit, positionA, positionB) => {
    n++;
    const codesA = a.codesAt(positionA);
    const codesB = b.codesAt(positionB);
    if (sameCodes(codesA, codesB)) identical++;
    for (const code of codesA) presentA[code]!++;
    for (const code of codesB) presentB[code]!++;
    // Both lists are sorted: walk them together for the codes both gave.
    let left = 0;
    let right = 0;
    while (left < codesA.length && right < codesB.length) {
      if (codesA[left] === codesB[right]) {
        presentBoth[codesA[left]!]!++;
        left++;
        right++;
      } else if (codesA[left]! < codesB[right]!) left++;
      else right++;
    }
  });
  const perCode: CodeCounts[] = [];
  for (let code = 0; code < codeCount; code++) {
    const both = presentBoth[code]!;
    const aOnly = presentA[code]! - both;
    const bOnly = presentB[code]! - both;
    perCode.push({ both, onlyA: aOnly, onlyB: bOnly, neither: n - both - aOnly - bOnly });
  }
  return { n, onlyA, onlyB, identical, perCode };
}

/** Codes in `first` that are not in `second` (both sorted). */
export function codesOnlyIn(first: Int32Array, second: Int32Array): number[] {
  const result: number[] = [];
  let right = 0;
  for (const code of first) {
    while (right < second.length && second[right]! < code) right++;
    if (right >= second.length || second[right] !== code) result.push(code);
  }
  return result;
}
