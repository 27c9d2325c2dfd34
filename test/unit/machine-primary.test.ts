/** A machine coder as primary: people's codes win on their units; the one label of every table. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Codings, packKey } from '../../src/core/codings.js';
import { finalCodes, withMachineCodes } from '../../src/core/final.js';
import { type MachinePrimary, machineCodedLabel } from '../../src/core/machine-primary.js';

/** Codings from unit → codes ([] for reviewed, no code). */
function codingsOf(units: Record<number, number[]>): Codings {
  const keys: number[] = [];
  for (const [unit, codes] of Object.entries(units)) {
    if (codes.length === 0) keys.push(packKey(Number(unit), -1));
    for (const code of [...new Set(codes)].sort((a, b) => a - b)) keys.push(packKey(Number(unit), code));
  }
  return Codings.fromSortedKeys(Float64Array.from(keys.sort((a, b) => a - b)));
}

function asRecord(codings: Codings): Record<number, number[]> {
  const out: Record<number, number[]> = {};
  for (let position = 0; position < codings.size; position++)
    out[codings.units[position]!] = [...codings.codesAt(position)];
  return out;
}

describe('withMachineCodes', () => {
  it("keeps people's codes on their units and takes the machine's elsewhere, marked machine", () => {
    const ana = codingsOf({ 1: [0], 3: [], 5: [1, 2] });
    const ben = codingsOf({ 1: [0], 5: [2] });
    const people = finalCodes([ana, ben], -1, new Map([[5, [1]]]));
    const machine = codingsOf({ 0: [2], 1: [1], 2: [], 3: [0], 5: [0], 7: [1, 2] });
    const result = withMachineCodes(people, machine);
    expect(asRecord(result.codings)).toEqual({ 0: [2], 1: [0], 2: [], 3: [], 5: [1], 7: [1, 2] });
    expect(result.sources).toEqual(['machine', 'agreed', 'machine', 'single', 'adjudicated', 'machine']);
  });

  it('never changes a unit people coded, and covers every unit either coded (property)', () => {
    const units = fc.dictionary(
      fc.integer({ min: 0, max: 40 }).map(String),
      fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(units, units, (peopleUnits, machineUnits) => {
        const people = finalCodes([codingsOf(peopleUnits as Record<number, number[]>)], -1, new Map());
        const machine = codingsOf(machineUnits as Record<number, number[]>);
        const result = withMachineCodes(people, machine);
        const merged = asRecord(result.codings);
        const expected = { ...asRecord(machine), ...asRecord(people.codings) };
        expect(merged).toEqual(expected);
        result.sources.forEach((source, position) => {
          const unit = result.codings.units[position]!;
          expect(source === 'machine').toBe(people.codings.positionOf(unit) < 0);
        });
      }),
    );
  });
});

describe('machineCodedLabel', () => {
  const base: MachinePrimary = {
    coder: 'dict',
    method: 'dictionary',
    kappa: 0.6251,
    definition: 'pooled',
    n: 200,
    machine_units: 126,
    final_units: 326,
  };

  it('says who coded, how, and at what κ on how many units', () => {
    expect(machineCodedLabel(base)).toBe(
      'machine-coded by dict (dictionary), validated at κ = 0.63 on 200 units (its codes stand on the 126 of 326 units no person coded)',
    );
    expect(machineCodedLabel({ ...base, kappa: -0.004, n: 1 })).toBe(
      'machine-coded by dict (dictionary), validated at κ = 0.00 on 1 unit (its codes stand on the 126 of 326 units no person coded)',
    );
  });

  it('says NOT VALIDATED when no person coded its units, or κ is undefined', () => {
    expect(machineCodedLabel({ ...base, kappa: null, n: 0, machine_units: 326 })).toBe(
      'machine-coded by dict (dictionary), NOT VALIDATED: no person coded any unit it coded (its codes stand on the 326 of 326 units no person coded)',
    );
    expect(machineCodedLabel({ ...base, kappa: null })).toBe(
      'machine-coded by dict (dictionary), NOT VALIDATED: κ is undefined on 200 units (its codes stand on the 126 of 326 units no person coded)',
    );
  });
});
