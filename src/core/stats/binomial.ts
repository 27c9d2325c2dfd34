import type { Random } from '../random.js';

/**
 * Binomial draw by sequential inversion, for a small mean (n·p < 30): walk up the probabilities
 * P(X = x) = P(X = x − 1) · (n − x + 1) p / (x q) from P(X = 0) = qⁿ until the uniform is used up.
 * As in numpy, a walk past mean + 10 standard deviations (probability far below 1e−20) restarts,
 * so that rounding in the running subtraction can never send it to n. Expected cost O(1 + n·p).
 */
function binomialByInversion(trials: number, probability: number, random: Random): number {
  const failure = 1 - probability;
  const probabilityOfZero = Math.exp(trials * Math.log1p(-probability));
  const mean = trials * probability;
  const bound = Math.min(trials, mean + 10 * Math.sqrt(mean * failure + 1));
  for (;;) {
    let successes = 0;
    let probabilityOfValue = probabilityOfZero;
    let uniform = random.nextDouble();
    while (uniform > probabilityOfValue && successes <= bound) {
      successes++;
      uniform -= probabilityOfValue;
      probabilityOfValue =
        ((trials - successes + 1) * probability * probabilityOfValue) / (successes * failure);
    }
    if (successes <= bound) return successes;
  }
}

/**
 * Remainder of Stirling's series for ln Γ(x): 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹),
 * written as in K&S (1988), step 5.3, over the common denominator 166320.
 */
function stirlingCorrection(value: number): number {
  const square = value * value;
  return (13860 - (462 - (132 - (99 - 140 / square) / square) / square) / square) / value / 166320;
}

/**
 * BTPE (Binomial, Triangle, Parallelogram, Exponential) of Kachitvichyanukul & Schmeiser (1988),
 * for p ≤ ½ and n·p ≥ 30: rejection from a majorizing function made of a triangle, two
 * parallelograms and two exponential tails around the mode, with squeezes, then an exact test
 * through the recursion of f(y)/f(mode) (near the mode) or Stirling's series (far from it). The
 * algorithm numpy's `Generator.binomial` uses. Expected cost O(1).
 */
function binomialByBtpe(trials: number, probability: number, random: Random): number {
  const failure = 1 - probability;
  const variance = trials * probability * failure;
  // Step 0: set-up.
  const modeReal = trials * probability + probability;
  const mode = Math.floor(modeReal);
  const triangleHalfWidth = Math.floor(2.195 * Math.sqrt(variance) - 4.6 * failure) + 0.5;
  const modeCentre = mode + 0.5;
  const left = modeCentre - triangleHalfWidth;
  const right = modeCentre + triangleHalfWidth;
  const parallelogramHeight = 0.134 + 20.5 / (15.3 + mode);
  let slope = (modeReal - left) / (modeReal - left * probability);
  const leftRate = slope * (1 + slope / 2);
  slope = (right - modeReal) / (right * failure);
  const rightRate = slope * (1 + slope / 2);
  const areaToParallelograms = triangleHalfWidth * (1 + 2 * parallelogramHeight);
  const areaToLeftTail = areaToParallelograms + parallelogramHeight / leftRate;
  const areaTotal = areaToLeftTail + parallelogramHeight / rightRate;
  for (;;) {
    // Step 1: pick a region of the majorizing function.
    const position = random.nextDouble() * areaTotal;
    let height = random.nextDouble();
    let candidate: number;
    if (position <= triangleHalfWidth) {
      // The triangle lies under the distribution: accept at once.
      return Math.floor(modeCentre - triangleHalfWidth * height + position);
    }
    if (position <= areaToParallelograms) {
      // Step 2: parallelograms.
      const x = left + (position - triangleHalfWidth) / parallelogramHeight;
      height = height * parallelogramHeight + 1 - Math.abs(mode - x + 0.5) / triangleHalfWidth;
      if (height > 1) continue;
      candidate = Math.floor(x);
    } else if (position <= areaToLeftTail) {
      // Step 3: left exponential tail.
      candidate = Math.floor(left + Math.log(height) / leftRate);
      if (candidate < 0 || height === 0) continue;
      height = height * (position - areaToParallelograms) * leftRate;
    } else {
      // Step 4: right exponential tail.
      candidate = Math.floor(right - Math.log(height) / rightRate);
      if (candidate > trials || height === 0) continue;
      height = height * (position - areaToLeftTail) * rightRate;
    }
    // Step 5: acceptance test.
    const distance = Math.abs(candidate - mode);
    if (distance <= 20 || distance >= variance / 2 - 1) {
      // Step 5.1: f(candidate)/f(mode) by the recursion f(y)/f(y − 1) = (a/y − s).
      const odds = probability / failure;
      const scaledOdds = odds * (trials + 1);
      let ratio = 1;
      if (mode < candidate) {
        for (let value = mode + 1; value <= candidate; value++) ratio *= scaledOdds / value - odds;
      } else if (mode > candidate) {
        for (let value = candidate + 1; value <= mode; value++) ratio /= scaledOdds / value - odds;
      }
      if (height <= ratio) return candidate;
      continue;
    }
    // Step 5.2: squeeze on ln f(candidate)/f(mode) with the normal approximation.
    const spread = (distance / variance) * ((distance * (distance / 3 + 0.625) + 1 / 6) / variance + 0.5);
    const normalLog = (-distance * distance) / (2 * variance);
    const logHeight = Math.log(height);
    if (logHeight < normalLog - spread) return candidate;
    if (logHeight > normalLog + spread) continue;
    // Step 5.3: ln f(candidate)/f(mode) through Stirling's formula. The remainders of ln m! and
    // ln (n − m)! add, those of ln y! and ln (n − y)! subtract: the paper adds all four, and
    // numpy carried that and a 13680-for-13860 typo until numpy/numpy#31238 (NumPy 2.5).
    const candidateNext = candidate + 1;
    const modeNext = mode + 1;
    const modeComplement = trials + 1 - mode;
    const candidateComplement = trials - candidate + 1;
    const logRatio =
      modeCentre * Math.log(modeNext / candidateNext) +
      (trials - mode + 0.5) * Math.log(modeComplement / candidateComplement) +
      (candidate - mode) * Math.log((candidateComplement * probability) / (candidateNext * failure)) +
      stirlingCorrection(modeNext) +
      stirlingCorrection(modeComplement) -
      stirlingCorrection(candidateNext) -
      stirlingCorrection(candidateComplement);
    if (logHeight <= logRatio) return candidate;
  }
}

/**
 * An exact draw from the binomial distribution B(n, p): the number of successes in n independent
 * trials of probability p.
 *
 * With p' = min(p, 1 − p): sequential inversion when n·p' < 30, otherwise BTPE of
 * Kachitvichyanukul, V., & Schmeiser, B. W. (1988). Binomial random variate generation.
 * Communications of the ACM, 31(2), 216–222 — the pair of algorithms numpy uses; for p > ½ the draw
 * is n − B(n, 1 − p). Both are exact (no normal approximation). Expected cost O(1) for BTPE,
 * O(1 + n·p') for inversion, so never more than about 30 steps.
 *
 * @param trials n, a whole number ≥ 0 (up to 2⁵³ − 1)
 * @param probability p in [0, 1]
 * @param random a seeded source of uniform doubles (`createRandom(seed)`)
 * @throws {RangeError} when n is not a whole number ≥ 0 or p is not in [0, 1]
 * @example binomial(10, 0.5, createRandom(1)) // a whole number in 0…10, always the same for seed 1
 */
export function binomial(trials: number, probability: number, random: Random): number {
  if (!Number.isSafeInteger(trials) || trials < 0) {
    throw new RangeError(`binomial trials must be a whole number ≥ 0, received ${trials}`);
  }
  if (!(probability >= 0 && probability <= 1)) {
    throw new RangeError(`binomial probability must be in [0, 1], received ${probability}`);
  }
  if (trials === 0 || probability === 0) return 0;
  if (probability === 1) return trials;
  const smaller = Math.min(probability, 1 - probability);
  const draw =
    trials * smaller < 30
      ? binomialByInversion(trials, smaller, random)
      : binomialByBtpe(trials, smaller, random);
  return probability <= 0.5 ? draw : trials - draw;
}
