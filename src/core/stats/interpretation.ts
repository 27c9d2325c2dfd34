/**
 * Landis & Koch's verbal label for a κ-type coefficient. Labels only: the number is the result.
 *
 *     κ < 0            poor
 *     0    ≤ κ ≤ 0.20  slight
 *     0.20 < κ ≤ 0.40  fair
 *     0.40 < κ ≤ 0.60  moderate
 *     0.60 < κ ≤ 0.80  substantial
 *     0.80 < κ ≤ 1     almost perfect
 *
 * Landis and Koch print the bands as 0.00–0.20, 0.21–0.40, …, 0.81–1.00, which leaves gaps between
 * two-decimal values; here each band includes its upper bound and excludes its lower one (0.20 is
 * "slight", 0.2001 is "fair"), and 0 itself is "slight". Landis, J. R., & Koch, G. G. (1977). The
 * measurement of observer agreement for categorical data. Biometrics, 33(1), 159–174 (p. 165).
 * Cost O(1).
 *
 * @param kappa a coefficient ≤ 1
 * @throws {RangeError} when kappa is NaN or above 1
 * @example landisKoch(0.87) // 'almost perfect'
 */
export function landisKoch(kappa: number): string {
  if (Number.isNaN(kappa) || kappa > 1) {
    throw new RangeError(`a kappa-type coefficient is at most 1, received ${kappa}`);
  }
  if (kappa < 0) return 'poor';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}
