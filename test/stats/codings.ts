/** Codings built from plain lists, for the tests of the reliability rules. */
import { Codings } from '../../src/core/codings.js';

/** Codings of one coder from a list per unit (index = unit): code indices, or undefined when not reviewed. */
export function codingsOf(perUnit: Array<number[] | undefined>): Codings {
  const units: number[] = [];
  const offsets = [0];
  const codes: number[] = [];
  for (const [unit, list] of perUnit.entries()) {
    if (list === undefined) continue;
    units.push(unit);
    codes.push(...[...list].sort((left, right) => left - right));
    offsets.push(codes.length);
  }
  return new Codings(Int32Array.from(units), Int32Array.from(offsets), Int32Array.from(codes));
}
