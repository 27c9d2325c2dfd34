/**
 * Coefficients of Wichura's AS 241 (PPND16), in ascending powers, as the doubles nearest to the
 * 20-digit values printed in the paper (each literal is the shortest decimal of that double).
 * Regions: |p − ½| ≤ 0.425 (polynomials in r = 0.180625 − (p − ½)²), then r = √(−ln min(p, 1 − p))
 * ≤ 5 (in r − 1.6), then r > 5 (in r − 5).
 */
const CENTRAL_NUMERATOR = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];

const CENTRAL_DENOMINATOR = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
];

const TAIL_NUMERATOR = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];

const TAIL_DENOMINATOR = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
];

const FAR_TAIL_NUMERATOR = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 2.7115555687434876e-5, 2.0103343992922881e-7,
];

const FAR_TAIL_DENOMINATOR = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  1.8463183175100548e-5, 1.421511758316446e-7, 2.0442631033899397e-15,
];

/** Horner evaluation of Σ_i coefficients[i] x^i, highest power first, as the nested form of AS 241. */
function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let power = coefficients.length - 1; power >= 0; power--) value = value * x + coefficients[power]!;
  return value;
}

/**
 * Quantile function of the standard normal distribution (the inverse of its cumulative
 * distribution function, Φ⁻¹): the z with P(Z ≤ z) = p.
 *
 * Algorithm AS 241 (PPND16) of Wichura, M. J. (1988). The percentage points of the normal
 * distribution. Journal of the Royal Statistical Society, Series C (Applied Statistics), 37(3),
 * 477–484: a ratio of two degree-7 polynomials in each of three regions, relative error about
 * 1e−16 — the algorithm of R's `qnorm` and of Python's `statistics.NormalDist.inv_cdf`. Cost O(1).
 *
 * @param probability p, strictly between 0 and 1
 * @throws {RangeError} when p is not in (0, 1) (the quantiles of 0 and 1 are ∓∞)
 * @example normalQuantile(0.975) // 1.9599639845400536 (the exact quantile of the double 0.975 is 1.95996398454005386…)
 */
export function normalQuantile(probability: number): number {
  if (!(probability > 0 && probability < 1)) {
    throw new RangeError(
      `the normal quantile needs a probability strictly between 0 and 1, received ${probability}`,
    );
  }
  const distanceFromHalf = probability - 0.5;
  if (Math.abs(distanceFromHalf) <= 0.425) {
    const r = 0.180625 - distanceFromHalf * distanceFromHalf;
    return (distanceFromHalf * polynomial(CENTRAL_NUMERATOR, r)) / polynomial(CENTRAL_DENOMINATOR, r);
  }
  const tail = distanceFromHalf < 0 ? probability : 1 - probability;
  const r = Math.sqrt(-Math.log(tail));
  const quantile =
    r <= 5
      ? polynomial(TAIL_NUMERATOR, r - 1.6) / polynomial(TAIL_DENOMINATOR, r - 1.6)
      : polynomial(FAR_TAIL_NUMERATOR, r - 5) / polynomial(FAR_TAIL_DENOMINATOR, r - 5);
  return distanceFromHalf < 0 ? -quantile : quantile;
}
