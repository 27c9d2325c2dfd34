import { randomInt } from 'node:crypto';
import { type Command, Option } from 'commander';
import { uncertainUnits } from '../../app/autocode/uncertain.js';
import { sample } from '../../app/sample.js';
import { UsageError } from '../../errors.js';
import { csvLine } from '../../io/csv-write.js';
import { type StrataField, strataFields } from '../../schema/sample.js';
import { addWorkspaceOption, parseInteger, parseNumber, writesWorkspace } from '../common.js';
import { renderTable, writeErr, writeOut } from '../output.js';
import { addPlanOptions, type PlanFlags } from './plan.js';

const planOptionNames = [
  'prevalence',
  'alphaMin',
  'level',
  'target',
  'halfWidth',
  'method',
  'coder',
] as const;

export function registerSample(program: Command): void {
  const command = program
    .command('sample')
    .description('draw the double-coding sample of units, saved to annotations/sample.csv with its seed')
    .option(
      '--fraction <f>',
      'fraction of the units, in (0, 1]',
      parseNumber('--fraction', { min: 0, minExclusive: true, max: 1 }),
    )
    .option('--size <n>', 'number of units (instead of --fraction)', parseInteger('--size', { min: 1 }))
    .option(
      '--plan',
      'number of units that coding plan gives (with its options below), instead of --fraction',
    )
    .option(
      '--seed <n>',
      'seed of the random draw, 0 to 4294967295 (default: a new random seed, printed and recorded)',
      parseInteger('--seed', { min: 0, max: 4294967295 }),
    )
    .addOption(
      new Option('--by <field>', 'stratify proportionally by this document field').choices(strataFields),
    )
    .option('--force', 'replace a sample that coders have already coded (the old one is backed up)')
    .option('--dry-run', 'show the sample without saving it')
    .option(
      '--uncertain <n>',
      'instead: print the N units (not yet coded by people) the model coder --from is least sure of, to code next',
      parseInteger('--uncertain', { min: 1 }),
    )
    .option('--from <coder>', 'the model coder whose probabilities --uncertain ranks')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    );
  addPlanOptions(command);
  addWorkspaceOption(command);
  writesWorkspace(command, (flags) => flags['dryRun'] !== true && flags['uncertain'] === undefined);
  command.addHelpText(
    'after',
    `
The size is round(fraction × units), halves up, or with --plan the size coding plan gives (all
units when it asks for more; the plan's parameters are recorded in annotations/sample.meta.json);
strata get proportional quotas by the largest remainder. The same seed and corpus give the same sample on any machine and Node version.

Examples:
  coding sample --fraction 0.2 --seed 20260129
  coding sample --fraction 0.2 --seed 7 --by document
  coding sample --plan --alpha-min 0.8 --seed 2026`,
  );
  command.action(
    async (
      flags: PlanFlags & {
        workspace?: string;
        fraction?: number;
        size?: number;
        plan?: boolean;
        seed?: number;
        by?: StrataField;
        force?: boolean;
        dryRun?: boolean;
        uncertain?: number;
        from?: string;
        format: string;
      },
    ) => {
      if (flags.uncertain !== undefined || flags.from !== undefined) {
        if (flags.uncertain === undefined || flags.from === undefined)
          throw new UsageError('--uncertain N and --from MODEL go together');
        const units = await uncertainUnits({
          cwd: process.cwd(),
          workspace: flags.workspace,
          from: flags.from,
          size: flags.uncertain,
          seed: flags.seed ?? 1,
        });
        writeOut(csvLine(['unit_id', 'code', 'probability']));
        for (const unit of units) writeOut(csvLine([unit.unitId, unit.code, unit.probability.toFixed(6)]));
        writeErr(`${units.length} least-sure units of model coder ${flags.from} (seed ${flags.seed ?? 1})\n`);
        return;
      }
      if (!flags.plan) {
        const stray = planOptionNames.find((name) => command.getOptionValueSource(name) === 'cli');
        if (stray !== undefined)
          throw new UsageError(
            `--${stray.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} sets a plan: add --plan`,
          );
      }
      const seed = flags.seed ?? randomInt(0, 2 ** 32);
      // The note on a drawn seed comes after the draw, so that it never speaks of a sample refused.
      const result = await sample({
        cwd: process.cwd(),
        workspace: flags.workspace,
        fraction: flags.fraction,
        size: flags.size,
        seed,
        by: flags.by,
        force: flags.force === true,
        dryRun: flags.dryRun === true,
        plan: flags.plan
          ? {
              prevalence: flags.prevalence,
              alphaMin: flags.alphaMin,
              level: flags.level,
              target: flags.target,
              halfWidth: flags.halfWidth,
              method: flags.method,
              coder: flags.coder,
            }
          : undefined,
      });
      const { meta } = result;
      if (flags.format === 'json') {
        writeOut(
          `${JSON.stringify({ ...meta, units: result.unitIds, written: result.written, unchanged: result.unchanged }, null, 2)}\n`,
        );
      } else if (meta.by !== null) {
        writeOut(
          renderTable(
            [meta.by, 'units', 'sampled'],
            meta.strata.map((stratum) => [stratum.name, stratum.population, stratum.sample]),
            { right: new Set([1, 2]) },
          ),
        );
      }
      if (flags.seed === undefined)
        writeErr(
          `no --seed given: drew with seed ${seed} (${result.written ? 'recorded in annotations/sample.meta.json' : `not recorded; pass --seed ${seed} to draw this sample again`})\n`,
        );
      const share = ((100 * meta.size) / meta.population).toFixed(1);
      if (meta.plan)
        writeErr(
          `plan: ${meta.plan.size} units, set by ${meta.plan.driver === '*' ? `the prevalence ${meta.plan.prevalence}` : `the rarest code, ${meta.plan.driver}`}${meta.plan.size > meta.population ? ` — more than the corpus holds: all ${meta.population} units are drawn` : ''}\n`,
        );
      writeErr(
        `sample: ${meta.size} of ${meta.population} units (${share} %), seed ${meta.seed}${meta.by ? `, stratified by ${meta.by}` : ''}\n`,
      );
      if (result.unchanged) writeErr('annotations/sample.csv already holds this sample; nothing to write\n');
      else if (result.written)
        writeErr(
          `saved to annotations/sample.csv${result.backup ? ` (the previous sample is in ${result.backup})` : ''}\n`,
        );
      else writeErr('dry run: nothing was written\n');
    },
  );
}
