/**
 * The bootstraps of the reliability figures: the percentile intervals over resampled units (their
 * per-resample cells) and Krippendorff's α bootstrap, shared by the two-coder path and the path
 * for several coders.
 */
import type { FigureSet } from './reliability.js';
import type { PatternSet } from './reliability-tables.js';
import {
  type AlphaBootstrap,
  type BootstrapInterval,
  krippendorffAlphaBootstrap,
  pooledKappa,
} from './stats/index.js';

/**
 * Put α's bootstrap (Hayes & Krippendorff 2007) of a coincidence matrix into a figure set, or null
 * with the reason. Shared by the two-coder path and the path for several coders.
 */
export function addAlphaBootstrap(
  figures: { krippendorff_alpha_bootstrap?: AlphaBootstrap | null; reasons: Record<string, string> },
  coincidences: number[][],
  coders: number,
  bootstrap: { resamples: number; seed: number },
  level: number,
): void {
  const result = krippendorffAlphaBootstrap(coincidences, coders, { ...bootstrap, level });
  figures.krippendorff_alpha_bootstrap = result.value;
  if (result.value === null) figures.reasons['krippendorff_alpha_bootstrap'] = result.reason;
}

/** Put a bootstrap interval into a figure set, with the reason when it is (partly) undefined. */
export function applyInterval(figures: FigureSet, interval: BootstrapInterval): void {
  figures.bootstrap_ci_low = interval.low;
  figures.bootstrap_ci_high = interval.high;
  if (interval.low === null) {
    figures.reasons['bootstrap_ci_low'] = 'the statistic is undefined on every resample';
    figures.reasons['bootstrap_ci_high'] = 'the statistic is undefined on every resample';
  } else if (interval.undefinedResamples > 0) {
    figures.reasons['bootstrap'] =
      `${interval.undefinedResamples} of ${interval.resamples} resamples left the statistic undefined and were left out`;
  }
}

/**
 * Per resample, the cells [both, only A, only B] of every code, computed once from the resampled
 * pattern counts and shared by the statistics of that resample.
 */
export class ResampledCells {
  readonly cells: Float64Array;
  private readonly entries: Int32Array;
  private readonly offsets: Int32Array;

  constructor(
    private readonly patterns: PatternSet,
    private readonly codeCount: number,
  ) {
    this.cells = new Float64Array(codeCount * 3);
    const entries: number[] = [];
    const offsets = [0];
    for (let pattern = 0; pattern < patterns.counts.length; pattern++) {
      const codesA = patterns.codesA[pattern]!;
      const codesB = patterns.codesB[pattern]!;
      for (const code of codesA) entries.push(code * 3 + (codesB.includes(code) ? 0 : 1));
      for (const code of codesB) if (!codesA.includes(code)) entries.push(code * 3 + 2);
      offsets.push(entries.length);
    }
    this.entries = Int32Array.from(entries);
    this.offsets = Int32Array.from(offsets);
  }

  update(counts: ArrayLike<number>): void {
    this.cells.fill(0);
    for (let pattern = 0; pattern < this.patterns.counts.length; pattern++) {
      const count = counts[pattern]!;
      if (count === 0) continue;
      for (let entry = this.offsets[pattern]!; entry < this.offsets[pattern + 1]!; entry++)
        this.cells[this.entries[entry]!]! += count;
    }
  }

  table(code: number): number[][] {
    const both = this.cells[code * 3]!;
    const onlyA = this.cells[code * 3 + 1]!;
    const onlyB = this.cells[code * 3 + 2]!;
    return [
      [both, onlyA],
      [onlyB, this.patterns.n - both - onlyA - onlyB],
    ];
  }

  pooledKappa(): number | null {
    return pooledKappa(Array.from({ length: this.codeCount }, (_, code) => this.table(code))).value;
  }
}
