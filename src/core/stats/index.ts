/** The reliability statistics: pure functions over count tables (see DESIGN.md, "Reliability: what is computed"). */
export { observedAgreement } from './agreement.js';
export { binomial } from './binomial.js';
export {
  type BootstrapInterval,
  type BootstrapManyOptions,
  type BootstrapOptions,
  bootstrapPercentile,
  bootstrapPercentiles,
  multinomial,
  quantileSorted,
} from './bootstrap.js';
export { BP_ONE_CATEGORY, brennanPrediger, brennanPredigerStandardError, pabak } from './brennan-prediger.js';
export {
  COHEN_SINGLE_CATEGORY,
  cohenExpectedAgreement,
  cohenKappa,
  cohenKappaConfidenceInterval,
  cohenKappaStandardError,
} from './cohen-kappa.js';
export {
  type IntervalMethod,
  intervalMethods,
  T_INTERVAL_ONE_UNIT,
  waldInterval,
} from './confidence-interval.js';
export { FLEISS_SINGLE_CATEGORY, fleissKappa } from './fleiss-kappa.js';
export {
  FLEISS_MISSING_SINGLE_CATEGORY,
  FLEISS_NOTHING_PAIRABLE,
  type FleissKappaMissing,
  fleissKappaMissing,
} from './fleiss-kappa-missing.js';
export {
  AC1_NOTHING_PAIRABLE,
  AC1_ONE_CATEGORY,
  gwetAc1,
  gwetAc1FromTable,
  gwetAc1StandardError,
} from './gwet-ac1.js';
export { landisKoch } from './interpretation.js';
export {
  ALPHA_NOTHING_PAIRABLE,
  ALPHA_SINGLE_CATEGORY,
  coincidenceMatrix,
  krippendorffAlpha,
  krippendorffAlphaFromTable,
  krippendorffAlphaStandardError,
} from './krippendorff-alpha.js';
export {
  type AlphaBootstrap,
  type AlphaBootstrapOptions,
  alphaMinima,
  krippendorffAlphaBootstrap,
} from './krippendorff-bootstrap.js';
export { normalQuantile } from './normal.js';
export { pooledKappa } from './pooled-kappa.js';
export { biasIndex, prevalenceIndex } from './prevalence-bias.js';
export { POOLED_SINGLE_CATEGORY, pooledShareVariance, scottPi, scottPiStandardError } from './scott-pi.js';
export { logGamma, regularizedBeta, studentTDistribution, studentTQuantile } from './student-t.js';
export {
  checkBinaryTable,
  checkTable,
  checkUnitCounts,
  columnMarginals,
  definedFigure,
  NO_UNITS,
  pooledMarginals,
  rowMarginals,
  tableCells,
  tableDiagonal,
  tableFromCells,
  tableTotal,
  undefinedFigure,
} from './table.js';
export type { AgreementTable, Figure, UnitCategoryCounts } from './types.js';
