/**
 * Checks and sums shared by the statistics: a table or a unit-by-category matrix is validated once,
 * at the start of each statistic, and figures that cannot be computed carry their reason.
 */
import type { AgreementTable, Figure, UnitCategoryCounts } from './types.js';

/** Reason given by every statistic on a table or matrix without any unit. */
export const NO_UNITS = 'no units: the table is empty (n = 0)';

/** A defined figure; refuses NaN and ±Infinity, which would be a bug in the statistic computing it. */
export function definedFigure(value: number): Figure {
  if (!Number.isFinite(value)) throw new Error(`internal error: a statistic produced ${value}`);
  return { value };
}

/** A figure that is undefined, with the reason in words. */
export function undefinedFigure(reason: string): Figure {
  return { value: null, reason };
}

function checkCount(count: unknown, where: string): void {
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${where}: expected a count (a whole number ≥ 0), received ${String(count)}`);
  }
}

/**
 * Checks that `table` is a square table of counts (whole numbers ≥ 0) and returns its number of
 * categories k. A 0×0 table is valid and empty.
 * @throws {RangeError} when the table is not square or holds a value that is not a count.
 * @example checkTable([[3, 1], [0, 4]]) // 2
 */
export function checkTable(table: AgreementTable): number {
  if (!Array.isArray(table)) throw new RangeError('expected a table (an array of rows)');
  const categories = table.length;
  for (let row = 0; row < categories; row++) {
    const cells = table[row];
    if (!Array.isArray(cells) || cells.length !== categories) {
      const received = Array.isArray(cells) ? `${cells.length} cells` : String(cells);
      throw new RangeError(
        `the table must be square (k×k): row ${row + 1} of ${categories} has ${received}, expected ${categories}`,
      );
    }
    for (let column = 0; column < categories; column++) {
      checkCount(cells[column], `table[${row}][${column}]`);
    }
  }
  return categories;
}

/**
 * Checks that `table` is a 2×2 table of counts, as the binary statistics (PABAK, prevalence and
 * bias indices) require.
 * @throws {RangeError} when the table is not 2×2 or holds a value that is not a count.
 * @example checkBinaryTable([[3, 1], [0, 4]]) // no error
 */
export function checkBinaryTable(table: AgreementTable, statisticName: string): void {
  const categories = checkTable(table);
  if (categories !== 2) {
    throw new RangeError(
      `${statisticName} needs a 2×2 table (code present / absent), received ${categories}×${categories}`,
    );
  }
}

/**
 * Checks a unit-by-category matrix of counts and returns its number of categories (the length of
 * every row). Rows may have different sums: that is missing data.
 * @throws {RangeError} when rows differ in length or a value is not a count.
 * @example checkUnitCounts([[2, 0], [1, 1], [0, 3]]) // 2
 */
export function checkUnitCounts(unitCounts: UnitCategoryCounts): number {
  if (!Array.isArray(unitCounts))
    throw new RangeError('expected unit counts (an array of rows, one per unit)');
  if (unitCounts.length === 0) return 0;
  const first = unitCounts[0];
  const categories = Array.isArray(first) ? first.length : -1;
  for (let unit = 0; unit < unitCounts.length; unit++) {
    const counts = unitCounts[unit];
    if (!Array.isArray(counts) || counts.length !== categories) {
      const received = Array.isArray(counts) ? `${counts.length} categories` : String(counts);
      throw new RangeError(
        `every unit must have one count per category: unit ${unit + 1} has ${received}, unit 1 has ${categories}`,
      );
    }
    for (let category = 0; category < categories; category++) {
      checkCount(counts[category], `unitCounts[${unit}][${category}]`);
    }
  }
  return categories;
}

/**
 * Number of units in a (checked) table: the sum of its cells. O(k²).
 * @example tableTotal([[3, 1], [0, 4]]) // 8
 */
export function tableTotal(table: AgreementTable): number {
  let total = 0;
  for (const cells of table) {
    for (const count of cells) total += count;
  }
  return total;
}

/**
 * Units on the diagonal: those both coders put in the same category. O(k).
 * @example tableDiagonal([[3, 1], [0, 4]]) // 7
 */
export function tableDiagonal(table: AgreementTable): number {
  let agreements = 0;
  for (let category = 0; category < table.length; category++) agreements += table[category]![category]!;
  return agreements;
}

/**
 * Row sums: how many units coder A put in each category. O(k²).
 * @example rowMarginals([[3, 1], [0, 4]]) // [4, 4]
 */
export function rowMarginals(table: AgreementTable): number[] {
  const sums: number[] = [];
  for (const cells of table) {
    let sum = 0;
    for (const count of cells) sum += count;
    sums.push(sum);
  }
  return sums;
}

/**
 * Column sums: how many units coder B put in each category. O(k²).
 * @example columnMarginals([[3, 1], [0, 4]]) // [3, 5]
 */
export function columnMarginals(table: AgreementTable): number[] {
  const sums: number[] = new Array(table.length).fill(0);
  for (const cells of table) {
    for (let column = 0; column < cells.length; column++) sums[column]! += cells[column]!;
  }
  return sums;
}

/**
 * The cells of a table in row-major order, e.g. as the pattern counts of a bootstrap over units. O(k²).
 * @example tableCells([[3, 1], [0, 4]]) // [3, 1, 0, 4]
 */
export function tableCells(table: AgreementTable): number[] {
  const cells: number[] = [];
  for (const row of table) cells.push(...row);
  return cells;
}

/**
 * The k×k table whose row-major cells are `cells` (the inverse of `tableCells`). O(k²).
 * @throws {RangeError} when `cells` does not hold k² values.
 * @example tableFromCells([3, 1, 0, 4], 2) // [[3, 1], [0, 4]]
 */
export function tableFromCells(cells: ArrayLike<number>, categories: number): number[][] {
  if (cells.length !== categories * categories) {
    throw new RangeError(
      `expected ${categories * categories} cells for a ${categories}×${categories} table, received ${cells.length}`,
    );
  }
  const table: number[][] = [];
  for (let row = 0; row < categories; row++) {
    const cellsOfRow: number[] = [];
    for (let column = 0; column < categories; column++) cellsOfRow.push(cells[row * categories + column]!);
    table.push(cellsOfRow);
  }
  return table;
}

/**
 * The pooled marginals of both coders per category, n_i. + n_.i (the values each category got
 * from the two coders together): the base of Scott's π, Krippendorff's α and Gwet's AC1.
 * @example pooledMarginals([[20, 5], [10, 15]]) // [55, 45]
 */
export function pooledMarginals(table: AgreementTable): number[] {
  const rows = rowMarginals(table);
  const columns = columnMarginals(table);
  return rows.map((count, category) => count + columns[category]!);
}
