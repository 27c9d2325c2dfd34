/**
 * A machine coder as the study's primary coder (`coders.primary` naming a coder that
 * `coding autocode` wrote): it gives the final codes of the units no person coded, and every
 * table built on the final codes says so, in the one wording `machineCodedLabel` makes.
 */

export interface MachinePrimary {
  /** The machine coder's name (annotations/NAME.csv). */
  coder: string;
  /** Its method as recorded in NAME.autocode.json: dictionary, model, llm. */
  method: string;
  /**
   * The study's overall κ (`reliability.overall`: pooled κ, or Cohen's κ on the nominal table) of
   * the machine coder against the people's final codes, on the units both cover; null when
   * undefined or when no unit is shared.
   */
  kappa: number | null;
  /** Which overall κ: `pooled` (De Vries et al. 2008) or `nominal` (Cohen 1960). */
  definition: 'pooled' | 'nominal';
  /** Units both the people's final codes and the machine coder cover: the validation units. */
  n: number;
  /** Why κ is null, when it is. */
  reason?: string | undefined;
  /** Units whose final codes are the machine coder's (no person coded them). */
  machine_units: number;
  /** Units in the final codes. */
  final_units: number;
}

/** Whether the machine coder's agreement with people was measured at all (a figure on at least one unit). */
export const isValidated = (primary: MachinePrimary): boolean => primary.n > 0 && primary.kappa !== null;

const units = (count: number): string => `${count} ${count === 1 ? 'unit' : 'units'}`;

/**
 * The line every table of final codes carries when a machine coder is the primary coder:
 * "machine-coded by NAME (METHOD), validated at κ = 0.xx on n units", or, loudly, "NOT VALIDATED"
 * with the reason when no person coded a unit it coded or κ is undefined; then on how many of the
 * final units its codes stand.
 * @example machineCodedLabel({ coder: 'dictionary', method: 'dictionary', kappa: 0.6234, definition: 'pooled', n: 200, machine_units: 126, final_units: 326 })
 * // 'machine-coded by dictionary (dictionary), validated at κ = 0.62 on 200 units (its codes stand on the 126 of 326 units no person coded)'
 */
export function machineCodedLabel(primary: MachinePrimary): string {
  const head = `machine-coded by ${primary.coder} (${primary.method})`;
  const scope = `(its codes stand on the ${primary.machine_units} of ${units(primary.final_units)} no person coded)`;
  if (primary.n === 0) return `${head}, NOT VALIDATED: no person coded any unit it coded ${scope}`;
  if (primary.kappa === null) return `${head}, NOT VALIDATED: κ is undefined on ${units(primary.n)} ${scope}`;
  // A κ that rounds to zero from below is shown as 0.00, not −0.00.
  const kappa = primary.kappa.toFixed(2) === '-0.00' ? '0.00' : primary.kappa.toFixed(2);
  return `${head}, validated at κ = ${kappa} on ${units(primary.n)} ${scope}`;
}
