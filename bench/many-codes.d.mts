/** Types of bench/many-codes.mjs, for the tests that import it. */
export declare const manyCodeId: (index: number) => string;
export declare function manyCodesStudy(options: {
  codes: number;
  units: number;
  seed?: number;
}): Record<string, string>;
