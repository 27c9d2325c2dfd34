/**
 * L2-regularised logistic regression, fitted exactly (to a gradient below `tolerance`) by a
 * truncated Newton method: conjugate gradients on Hessian–vector products, and a backtracking
 * line search. It minimises scikit-learn's objective for `LogisticRegression(C=C)`:
 *
 *     Σᵢ log(1 + exp(−sᵢ (w·xᵢ + b))) + ‖w‖² / (2C),     sᵢ = ±1, intercept b not penalised
 *
 * The objective is strictly convex in w (and in b when both classes occur), so the minimum is
 * unique and any exact solver finds the same coefficients: the result does not depend on a seed or
 * on the order of the units beyond rounding. Cost per Newton step: a few passes over the non-zeros.
 * Lin, Weng & Keerthi (2008), "Trust region Newton method for large-scale logistic regression",
 * JMLR 9, describe the method (liblinear's solver).
 */
import { type SparseMatrix, type SparseVector, sparseMatrix } from './tfidf.js';

export interface LogisticModel {
  weights: Float64Array;
  bias: number;
  /** Newton steps taken. */
  iterations: number;
}

export interface LogisticOptions {
  /** Inverse regularisation strength (scikit-learn's C); default 1. */
  inverseRegularisation: number;
  /** Stop when the largest gradient component is below this. */
  tolerance: number;
  maxIterations: number;
}

export const defaultLogisticOptions: LogisticOptions = {
  inverseRegularisation: 1,
  tolerance: 1e-10,
  maxIterations: 100,
};

function dot(row: SparseVector, weights: Float64Array): number {
  let sum = 0;
  for (let position = 0; position < row.indices.length; position++)
    sum += row.values[position]! * weights[row.indices[position]!]!;
  return sum;
}

/** Row `row` of a matrix times the weights, summed in the order of `dot`. */
function rowDot(matrix: SparseMatrix, row: number, weights: Float64Array): number {
  const { indices, values } = matrix;
  let sum = 0;
  for (let position = matrix.rowStart[row]!, end = matrix.rowStart[row + 1]!; position < end; position++)
    sum += values[position]! * weights[indices[position]!]!;
  return sum;
}

/** log(1 + exp(−t)), without overflow. */
function logisticLoss(margin: number): number {
  return margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin));
}

function sigmoid(value: number): number {
  if (value >= 0) return 1 / (1 + Math.exp(-value));
  const exp = Math.exp(value);
  return exp / (1 + exp);
}

/** The probability that a unit takes the code. */
export function predictProbability(
  model: Pick<LogisticModel, 'weights' | 'bias'>,
  row: SparseVector,
): number {
  return sigmoid(dot(row, model.weights) + model.bias);
}

interface Problem {
  matrix: SparseMatrix;
  labels: Uint8Array;
  dimension: number;
  inverseC: number;
}

function objective(problem: Problem, weights: Float64Array, bias: number): number {
  let value = 0;
  for (let unit = 0; unit < problem.matrix.rows; unit++) {
    const score = rowDot(problem.matrix, unit, weights) + bias;
    value += logisticLoss(problem.labels[unit] === 1 ? score : -score);
  }
  let norm = 0;
  for (const weight of weights) norm += weight * weight;
  return value + 0.5 * problem.inverseC * norm;
}

/** The gradient (last component: the intercept) and the Hessian's diagonal weights σ(1 − σ). */
function gradient(
  problem: Problem,
  weights: Float64Array,
  bias: number,
): { gradient: Float64Array; curvature: Float64Array } {
  const { matrix, dimension } = problem;
  const { rowStart, indices, values } = matrix;
  const result = new Float64Array(dimension + 1);
  const curvature = new Float64Array(matrix.rows);
  for (let unit = 0; unit < matrix.rows; unit++) {
    const probability = sigmoid(rowDot(matrix, unit, weights) + bias);
    const residual = probability - problem.labels[unit]!;
    curvature[unit] = probability * (1 - probability);
    for (let position = rowStart[unit]!, end = rowStart[unit + 1]!; position < end; position++)
      result[indices[position]!]! += residual * values[position]!;
    result[dimension]! += residual;
  }
  for (let index = 0; index < dimension; index++) result[index]! += problem.inverseC * weights[index]!;
  return { gradient: result, curvature };
}

/** H · vector into `result` (overwritten). */
function hessianTimes(
  problem: Problem,
  curvature: Float64Array,
  vector: Float64Array,
  result: Float64Array,
): Float64Array {
  const { matrix, dimension } = problem;
  const { rowStart, indices, values } = matrix;
  result.fill(0);
  const intercept = vector[dimension]!;
  for (let unit = 0; unit < matrix.rows; unit++) {
    const end = rowStart[unit + 1]!;
    let projection = intercept;
    for (let position = rowStart[unit]!; position < end; position++)
      projection += values[position]! * vector[indices[position]!]!;
    const scaled = curvature[unit]! * projection;
    for (let position = rowStart[unit]!; position < end; position++)
      result[indices[position]!]! += scaled * values[position]!;
    result[dimension]! += scaled;
  }
  for (let index = 0; index < dimension; index++) result[index]! += problem.inverseC * vector[index]!;
  return result;
}

function innerProduct(left: Float64Array, right: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += left[index]! * right[index]!;
  return sum;
}

/** Solve H d = −g approximately by conjugate gradients (the truncated Newton direction). */
function newtonDirection(problem: Problem, curvature: Float64Array, grad: Float64Array): Float64Array {
  const direction = new Float64Array(grad.length);
  const residual = Float64Array.from(grad, (value) => -value);
  const search = Float64Array.from(residual);
  let residualNorm = innerProduct(residual, residual);
  const gradientNorm = Math.sqrt(residualNorm);
  const stop = Math.min(0.1, Math.sqrt(gradientNorm)) * gradientNorm;
  const product = new Float64Array(grad.length);
  for (let step = 0; step < 2 * grad.length + 10 && Math.sqrt(residualNorm) > stop; step++) {
    hessianTimes(problem, curvature, search, product);
    const curvatureAlong = innerProduct(search, product);
    if (curvatureAlong <= 0) break;
    const alpha = residualNorm / curvatureAlong;
    for (let index = 0; index < direction.length; index++) {
      direction[index]! += alpha * search[index]!;
      residual[index]! -= alpha * product[index]!;
    }
    const next = innerProduct(residual, residual);
    const beta = next / residualNorm;
    residualNorm = next;
    for (let index = 0; index < search.length; index++)
      search[index] = residual[index]! + beta * search[index]!;
  }
  return direction;
}

/**
 * Fit the model. `labels[i]` is 1 when unit i takes the code. Both classes must occur (the
 * intercept would run off to infinity otherwise): the caller handles a code without examples.
 * @throws {RangeError} when the labels hold a single class
 */
export function fitLogistic(
  rows: readonly SparseVector[] | SparseMatrix,
  labels: Uint8Array,
  dimension: number,
  options: LogisticOptions = defaultLogisticOptions,
): LogisticModel {
  const positives = labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === labels.length)
    throw new RangeError('logistic regression needs units of both classes');
  const matrix = 'rowStart' in rows ? rows : sparseMatrix(rows);
  const problem: Problem = { matrix, labels, dimension, inverseC: 1 / options.inverseRegularisation };
  let weights = new Float64Array(dimension);
  // The step tried by the line search, in a second buffer: the two swap when a step is taken.
  let candidate = new Float64Array(dimension);
  // Start from the intercept that fits the base rate: the first steps are then about the words.
  let bias = Math.log(positives / (labels.length - positives));
  let value = objective(problem, weights, bias);
  let iterations = 0;
  for (; iterations < options.maxIterations; iterations++) {
    const { gradient: grad, curvature } = gradient(problem, weights, bias);
    let largest = 0;
    for (const component of grad) largest = Math.max(largest, Math.abs(component));
    if (largest < options.tolerance) break;
    const direction = newtonDirection(problem, curvature, grad);
    const slope = innerProduct(grad, direction);
    let step = 1;
    let improved = false;
    for (let halving = 0; halving < 50; halving++, step /= 2) {
      for (let index = 0; index < dimension; index++)
        candidate[index] = weights[index]! + step * direction[index]!;
      const candidateBias = bias + step * direction[dimension]!;
      const candidateValue = objective(problem, candidate, candidateBias);
      if (candidateValue <= value + 1e-4 * step * slope) {
        improved = candidateValue < value;
        [weights, candidate] = [candidate, weights];
        bias = candidateBias;
        value = candidateValue;
        break;
      }
    }
    // No step decreases the objective any more: the minimum is reached to rounding.
    if (!improved) break;
  }
  return { weights, bias, iterations };
}
