/** Shared types of the reliability statistics. */

/** A value that may be undefined for a stated reason (e.g. κ when expected agreement is 1). Never NaN. */
export type Figure = { value: number; reason?: undefined } | { value: null; reason: string };

/** k×k table of two coders: table[i][j] = number of units coder A put in category i and coder B in category j. */
export type AgreementTable = readonly (readonly number[])[];

/** Per unit, how many coders put it in each category: unitCounts[u][c]. Rows may have different sums (missing data). */
export type UnitCategoryCounts = readonly (readonly number[])[];
