/** `coding codebook check|show|export|import|diff`: parse flags, call src/app/codebook.ts, print. */
import chalk, { Chalk } from 'chalk';
import type { Command } from 'commander';
import {
  checkCodebook,
  diffCodebooks,
  type ExportFormat,
  exportCodebook,
  exportFormats,
  importCodebook,
  renderDiffCsv,
  renderDiffText,
  type ShowFormat,
  showCodebook,
  showFormats,
  summariseChanges,
} from '../../app/codebook.js';
import { CheckFailed, InputError } from '../../errors.js';
import { shown } from '../../io/workspace.js';
import { addFormatOption, addWorkspaceOption } from '../common.js';
import { printFinding, writeData, writeErr, writeOut } from '../output.js';

const fileArgument = 'the codebook (YAML; - for stdin; default: the `codebook:` of coding.yaml)';

function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

export function registerCodebook(program: Command): void {
  const codebook = program
    .command('codebook')
    .description('check, show, export, import and compare codebooks');

  const check = codebook
    .command('check')
    .description('validate a codebook: YAML, structure and rules, with every problem located')
    .argument('[file]', fileArgument)
    .option('--strict', 'fail (exit 1) on warnings too, such as a code without a definition')
    .addHelpText(
      'after',
      `
Errors (exit 2): invalid YAML, wrong types, unknown keys, duplicate ids, a code id that does not
start with its category's (or parent code's) id and a dot, a category without codes.
Warnings (exit 0, or 1 with --strict): a code without definition, include or exclude rule, two
siblings with the same label.

Examples:
  coding codebook check
  coding codebook check codebooks/usmca-2026.yaml --strict
  coding codebook check --format json | jq '.[].message'`,
    );
  addWorkspaceOption(check);
  addFormatOption(check, ['text', 'json'], 'text');
  check.action(
    async (file: string | undefined, flags: { workspace?: string; format: string; strict?: boolean }) => {
      const result = await checkCodebook({ cwd: process.cwd(), file, workspace: flags.workspace });
      if (flags.format === 'json') writeData(`${JSON.stringify(result.findings, null, 2)}\n`);
      else for (const finding of result.findings) printFinding(finding);
      const where = result.source.shownAs;
      if (result.errors > 0) {
        throw new InputError(
          `the codebook has ${plural(result.errors, 'error')} and ${plural(result.warnings, 'warning')}`,
          {
            location: { file: where },
            hint: 'fix the problems listed above; each line gives file:line:column and the YAML path.',
          },
        );
      }
      if (flags.strict && result.warnings > 0) {
        throw new CheckFailed(`${plural(result.warnings, 'warning')}, and --strict makes warnings fail`, {
          location: { file: where },
        });
      }
      writeErr(
        `${where}: ok, ${plural(result.categories, 'category', 'categories')}, ${plural(result.codes, 'code')}, ${plural(result.warnings, 'warning')}\n`,
      );
    },
  );

  const show = codebook
    .command('show')
    .description(
      'print a codebook: a tree, a Markdown appendix (md or markdown), LaTeX tables (latex, booktabs), CSV (one row per code) or JSON',
    )
    .argument('[file]', fileArgument)
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--force', 'replace the output file if it exists')
    .addHelpText(
      'after',
      `
Examples:
  coding codebook show
  coding codebook show codebooks/usmca-2026.yaml --format md -o appendix.md
  coding codebook show --format csv > codes.csv
  coding codebook show --format latex -o appendix.tex    # booktabs + longtable, one table per category`,
    );
  addWorkspaceOption(show);
  addFormatOption(show, showFormats, 'tree');
  show.action(
    async (
      file: string | undefined,
      flags: { workspace?: string; format: string; output?: string; force?: boolean },
    ) => {
      const result = await showCodebook({
        cwd: process.cwd(),
        file,
        workspace: flags.workspace,
        format: flags.format as ShowFormat,
        output: flags.output,
        force: flags.force,
        color: chalk.level > 0 && process.stdout.isTTY === true,
      });
      report(result.written, result.text, flags.format === 'tree');
      if (result.warnings > 0)
        writeErr(
          `note: the codebook has ${plural(result.warnings, 'warning')}; see them with: coding codebook check ${file ?? ''}\n`.replace(
            ' \n',
            '\n',
          ),
        );
    },
  );

  const exportCommand = codebook
    .command('export')
    .description('write a codebook for other QDA programs: a REFI-QDA codebook (.qdc)')
    .argument('[file]', fileArgument)
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--force', 'replace the output file if it exists')
    .addHelpText(
      'after',
      `
The .qdc validates against the REFI-QDA Codebook.xsd; categories become non-codable parent codes,
and definition, include, exclude, examples and ids go into each code's Description (docs/codebook.md).

Example:
  coding codebook export codebooks/usmca-2026.yaml --format qdc -o usmca-2026.qdc`,
    );
  addWorkspaceOption(exportCommand);
  addFormatOption(exportCommand, exportFormats, 'qdc');
  exportCommand.action(
    async (
      file: string | undefined,
      flags: { workspace?: string; format: string; output?: string; force?: boolean },
    ) => {
      const result = await exportCodebook({
        cwd: process.cwd(),
        file,
        workspace: flags.workspace,
        format: flags.format as ExportFormat,
        output: flags.output,
        force: flags.force,
      });
      report(result.written, result.text);
      if (result.codesWithPatterns > 0)
        writeErr(
          `note: the dictionary patterns of ${plural(result.codesWithPatterns, 'code')} are not in the .qdc (REFI-QDA has no place for them); they stay in the YAML codebook\n`,
        );
    },
  );

  codebook
    .command('import')
    .description(
      'turn a REFI-QDA codebook (.qdc), or the codebook of a project (.qdpx, project.qde), from NVivo, ATLAS.ti, MAXQDA, QualCoder… into a YAML codebook',
    )
    .argument('<file>', 'the .qdc file, or a .qdpx project or its project.qde')
    .option('-o, --output <file>', 'write the YAML to this file (atomically) instead of stdout')
    .option('--force', 'replace the output file if it exists')
    .option('--name <name>', 'name of the codebook (default: the base name of the output, or of the input)')
    .addHelpText(
      'after',
      `
Top-level groups become categories; codes keep their nesting; ids are made from the names (or taken
from the "Id:" line a .qdc written by coding carries). What is adapted is reported as warnings.

A project's codebook is its <CodeBook> with its sets of codes; the rest of the project is not read.

Examples:
  coding codebook import exported.qdc -o codebooks/study.yaml
  coding codebook import other-study.qdpx -o codebooks/adopted.yaml`,
    )
    .action(async (file: string, flags: { output?: string; force?: boolean; name?: string }) => {
      const result = await importCodebook({
        cwd: process.cwd(),
        input: file,
        output: flags.output,
        force: flags.force,
        name: flags.name,
      });
      for (const warning of result.warnings) printFinding(warning);
      report(result.written, result.text);
      writeErr(
        `imported ${plural(result.categories, 'category', 'categories')} and ${plural(result.codes, 'code')}` +
          (result.origin === undefined ? '' : ` written by ${result.origin}`) +
          (result.ruleWarnings > 0
            ? `; ${plural(result.ruleWarnings, 'rule warning')} (missing definitions or rules): see coding codebook check`
            : '') +
          '\n',
      );
    });

  const diff = codebook
    .command('diff')
    .description('compare two codebooks: codes and categories added, removed, renamed, moved, changed')
    .argument('<old>', 'the earlier codebook (YAML, .qdc, or a .qdpx/.qde project)')
    .argument('<new>', 'the later codebook (YAML, .qdc, or a .qdpx/.qde project)')
    .addHelpText(
      'after',
      `
Exit code 0 whatever the differences (it is a report); 2 when an input is bad.
Columns of --format csv and keys of --format json: change, kind, id, field, old, new.

Examples:
  coding codebook diff old.yaml codebooks/usmca-2026.yaml
  coding codebook diff a.qdc b.qdc --format csv > changes.csv`,
    );
  addFormatOption(diff, ['text', 'json', 'csv'], 'text');
  diff.action(async (oldFile: string, newFile: string, flags: { format: string }) => {
    const result = await diffCodebooks({ cwd: process.cwd(), old: oldFile, new: newFile });
    for (const warning of result.warnings) printFinding(warning);
    if (flags.format === 'json') writeData(`${JSON.stringify(result.changes, null, 2)}\n`);
    else if (flags.format === 'csv') writeData(renderDiffCsv(result.changes));
    else {
      const style = new Chalk({ level: process.stdout.isTTY === true ? chalk.level : 0 });
      writeOut(renderDiffText(result.changes, style));
    }
    writeErr(`${summariseChanges(result.changes)}\n`);
  });
}

/** The text on stdout (the tree is already made terminal-safe and may be coloured), or where it was written. */
function report(written: string | undefined, text: string, tree = false): void {
  if (written === undefined) (tree ? writeOut : writeData)(text);
  else writeErr(`wrote ${shown(written)}\n`);
}
