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
}): {
  archive: Uint8Array;
  expected: ExpectedCoding[];
  codes: Array<{ guid: string; name: string; codable: boolean }>;
};
