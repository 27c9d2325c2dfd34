/** Types of bench/qdpx-project.mjs, for the test that imports it. */
export interface ExpectedCoding {
  source: string;
  sentence: string;
  code: string;
  user: string;
}

export function nvivoMacShapedProject(options?: {
  textLength?: number;
  selections?: number;
  seed?: number;
  /** How many texts (default 2; selections are shared among them). */
  texts?: number;
  /** Make each text of a block of this many characters repeated (default: one text without repetition). */
  block?: number;
}): {
  archive: Uint8Array;
  expected: ExpectedCoding[];
  codes: Array<{ guid: string; name: string; codable: boolean }>;
};
