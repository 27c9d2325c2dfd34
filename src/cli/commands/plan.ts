import { type Command, Option } from 'commander';
import { type PlanResult, plan, planDefaults } from '../../app/plan.js';
import { type PlanMethod, planMethods } from '../../core/plan.js';
import { addFormatOption, addWorkspaceOption, asFormat, parseNumber } from '../common.js';
import { renderRecords, writeErr, writeOut } from '../output.js';

export interface PlanFlags {
  prevalence?: number;
  alphaMin: number;
  level: number;
  target: number;
  halfWidth: number;
  method: PlanMethod;
  coder?: string;
}

/** The options that set a plan, shared by `coding plan` and `coding sample --plan`. */
export function addPlanOptions(command: Command): Command {
  return command
    .option(
      '--prevalence <p>',
      'expected share of units with the rarest code, in (0, 1) (default: estimated from the codes so far)',
      parseNumber('--prevalence'),
    )
    .option(
      '--alpha-min <a>',
      "smallest acceptable Krippendorff's α, in (0, 1)",
      parseNumber('--alpha-min'),
      planDefaults.alphaMin,
    )
    .option(
      '--level <c>',
      'confidence level, in (0, 1): α is tested at significance 1 − c, κ gets a two-sided c interval',
      parseNumber('--level'),
      planDefaults.level,
    )
    .option(
      '--target <k>',
      'the κ the coders are expected to reach (centre of the κ interval)',
      parseNumber('--target'),
      planDefaults.target,
    )
    .option(
      '--half-width <w>',
      'half-width of the κ confidence interval',
      parseNumber('--half-width'),
      planDefaults.halfWidth,
    )
    .addOption(
      new Option('--method <m>', "which size the plan uses: Krippendorff's α, the κ interval, or the larger")
        .choices(planMethods)
        .default(planDefaults.method),
    )
    .option('--coder <name>', "estimate the prevalences from one coder's codes instead of the final codes");
}

/** The plan's parameters as flags, to show how to compute it again. */
export function planSummary(result: PlanResult): string {
  const { parameters } = result;
  const what =
    parameters.method === 'alpha'
      ? `α ≥ ${parameters.alphaMin.toFixed(3)} at significance ${(1 - parameters.level).toPrecision(2)}`
      : parameters.method === 'kappa'
        ? `a ${Math.round(parameters.level * 1000) / 10} % κ interval of ${parameters.target} ± ${parameters.halfWidth}`
        : `α ≥ ${parameters.alphaMin.toFixed(3)} and a κ interval of ${parameters.target} ± ${parameters.halfWidth}`;
  if (result.size === null)
    return `plan: no code has a prevalence strictly between 0 and 1; give one with --prevalence P\n`;
  const driver =
    result.driver === '*'
      ? `for a prevalence of ${result.rows[0]!.prevalence}`
      : `the rarest code, ${result.driver} (${result.rows.find((row) => row.drives)!.units_with_code} of ${result.reviewed} units ${result.source === 'final' ? 'in the final codes' : `coded by ${result.source}`}), sets the size`;
  const whole =
    result.population !== null && result.size > result.population
      ? `\nthat is more than the corpus's ${result.population} units: double-code all of them, and read α's interval, not its estimate alone\n`
      : '\n';
  return `plan: double-code at least ${result.size} units for ${what}; ${driver}${whole}`;
}

export function registerPlan(program: Command): void {
  const command = program
    .command('plan')
    .description(
      'how many units to double-code: the reliability sample size for each code, set by the rarest',
    );
  addPlanOptions(command);
  addWorkspaceOption(command);
  addFormatOption(command);
  command.addHelpText(
    'after',
    `
For each code, from its prevalence π (the share of units with the code in the final codes so far,
or --prevalence), two sizes:
  alpha_units  Krippendorff's (2004 §11.4.2; 2019 §12.4) minimum sample for α ≥ --alpha-min, for
               a binary variable whose least frequent value has p_min = min(π, 1 − π), at
               significance 1 − --level (one-sided; after Bloch & Kraemer 1989, eq. 3.7);
  kappa_units  units for a two-sided --level interval of κ of --target ± --half-width, for two
               coders and a binary code (Donner & Eliasziw 1992; Donner & Rotondi 2010).
The plan is the largest over the codes of the size --method chooses (default alpha); the code that
sets it is marked in "drives". Codes never given so far cannot be planned for: they are listed, and
--prevalence gives one size for all codes.

Examples:
  coding plan
  coding plan --alpha-min 0.667 --level 0.99
  coding plan --prevalence 0.05 --method both --format json
  coding sample --plan --seed 2026      draw the planned number of units`,
  );
  command.action(async (flags: PlanFlags & { workspace?: string; format: string }) => {
    const result = await plan({
      cwd: process.cwd(),
      workspace: flags.workspace,
      coder: flags.coder,
      prevalence: flags.prevalence,
      alphaMin: flags.alphaMin,
      level: flags.level,
      target: flags.target,
      halfWidth: flags.halfWidth,
      method: flags.method,
    });
    const format = asFormat(flags.format);
    if (format === 'json') {
      const { rows, ...rest } = result;
      writeOut(`${JSON.stringify({ ...rest, codes: rows }, null, 2)}\n`);
    } else {
      const records = result.rows.map((row) => ({
        ...row,
        prevalence: Number(row.prevalence.toFixed(4)),
        p_min: Number(row.p_min.toFixed(4)),
        drives: row.drives ? (format === 'csv' ? 'true' : '*') : format === 'csv' ? 'false' : '',
      }));
      writeOut(
        renderRecords(
          records,
          ['code', 'units_with_code', 'prevalence', 'p_min', 'alpha_units', 'kappa_units', 'units', 'drives'],
          format,
          { right: new Set([1, 2, 3, 4, 5, 6]) },
        ),
      );
    }
    if (result.unplanned.length > 0)
      writeErr(
        `not planned for (never given so far, or given to every unit): ${result.unplanned.join(', ')}; use --prevalence P to plan for them\n`,
      );
    writeErr(planSummary(result));
  });
}
