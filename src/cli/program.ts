/**
 * The command table and the program built from it. Start-up loads only what the command being
 * run needs (issue 14): `coding --help` lists the commands from the table below without loading
 * any command module, and `coding X …` (or `coding help X`, `coding X --help`) imports the module
 * of X alone, which declares X with all its options and help as before. The other commands are
 * light placeholders with the table's name, usage term and description, so `coding --help` and
 * commander's "unknown command … Did you mean …?" see every command.
 */
import { Command, Help } from 'commander';
import { toolVersion } from '../version.js';

/** One command: what `coding --help` shows for it, and how to declare it in full. */
export interface CommandEntry {
  name: string;
  /** The arguments part of its line in `coding --help`, e.g. `[options] <paths...>`. */
  term: string;
  /** Its description, as the command's module gives it (a test checks that they match). */
  description: string;
  /** Import the command's module and declare the command, its options and subcommands. */
  register(program: Command): Promise<void>;
}

type Register = CommandEntry['register'];
const entry = (name: string, term: string, description: string, register: Register): CommandEntry => ({
  name,
  term,
  description,
  register,
});

/**
 * Every command, in the order `coding --help` lists them. Adding a command is one entry here:
 * its name, its usage term and description exactly as `coding --help` shows them (the test
 * `test/unit/cli-program.test.ts` fails until they match the module's), and a lazy import of the
 * module whose `registerX(program)` declares it. Do not import command modules statically here.
 */
export const commandTable: readonly CommandEntry[] = [
  entry(
    'init',
    '[options] [dir]',
    'create a study workspace: coding.yaml, codebooks/, corpus/, annotations/, reports/',
    async (program) => (await import('./commands/init.js')).registerInit(program),
  ),
  entry(
    'import',
    '[options] <paths...>',
    "import documents into the corpus (text, Markdown with front matter, PDF, Word .docx, saved web pages, folders, CSV/TSV/JSONL tables of statements), or with --coder a coder's annotations",
    async (program) => (await import('./commands/import.js')).registerImport(program),
  ),
  entry('corpus', '', 'look at the corpus: documents, units, one document', async (program) =>
    (await import('./commands/corpus.js')).registerCorpus(program),
  ),
  entry('codebook', '', 'check, show, export, import and compare codebooks', async (program) =>
    (await import('./commands/codebook.js')).registerCodebook(program),
  ),
  entry(
    'plan',
    '[options]',
    'how many units to double-code: the reliability sample size for each code, set by the rarest',
    async (program) => (await import('./commands/plan.js')).registerPlan(program),
  ),
  entry(
    'sample',
    '[options]',
    'draw the double-coding sample of units, saved to annotations/sample.csv with its seed',
    async (program) => (await import('./commands/sample.js')).registerSample(program),
  ),
  entry(
    'sheet',
    '[options]',
    'write a coding sheet (CSV) for a coder who works in a spreadsheet',
    async (program) => (await import('./commands/sheet.js')).registerSheet(program),
  ),
  entry(
    'merge',
    '[options]',
    "two coders side by side: each unit's codes, agreement per code, and the disagreements for adjudication",
    async (program) => (await import('./commands/merge.js')).registerMerge(program),
  ),
  entry(
    'reliability',
    '[options]',
    "inter-coder reliability: Cohen's κ with SE and CI, Scott's π, Krippendorff's α, Gwet's AC1, PABAK… per code, category and overall",
    async (program) => (await import('./commands/reliability.js')).registerReliability(program),
  ),
  entry(
    'adjudicate',
    '[options]',
    "settle the two coders' disagreements, one decision per unit, saved as it is made",
    async (program) => (await import('./commands/adjudicate.js')).registerAdjudicate(program),
  ),
  entry(
    'codes',
    '[options]',
    "each unit's codes: the final ones (adjudicated, else agreed, else the primary coder's) or one coder's",
    async (program) => (await import('./commands/codes.js')).registerCodes(program),
  ),
  entry(
    'code',
    '[options]',
    'code units in the terminal, one screen per unit; every decision is on disk as it is made',
    async (program) => (await import('./commands/code.js')).registerCode(program),
  ),
  entry(
    'autocode',
    '[options]',
    'code units by machine (dictionary patterns, a model learnt from people’s codes, or a language model), stored as the annotations of a machine coder',
    async (program) => (await import('./commands/autocode.js')).registerAutocode(program),
  ),
  entry(
    'serve',
    '[options]',
    'code and adjudicate in the browser: a local web server with one link per coder',
    async (program) => (await import('./commands/serve.js')).registerServe(program),
  ),
  entry(
    'export',
    '[options]',
    "the analysis data set (final codes, or one coder's) as CSV or Parquet for R, pandas or SPSS; or the whole study as a REFI-QDA project (--format qdpx)",
    async (program) => (await import('./commands/export.js')).registerExport(program),
  ),
  entry(
    'themes',
    '[options]',
    'theme tables: code frequencies, by actor/source/genre/document/role/date, co-occurrence, exemplars, triangulation, the rhetoric table',
    async (program) => (await import('./commands/themes.js')).registerThemes(program),
  ),
  entry(
    'report',
    '[options]',
    'every table as CSV, the reliability tables, and a self-contained report.html, with a manifest of hashes',
    async (program) => (await import('./commands/report.js')).registerReport(program),
  ),
  entry(
    'reproduce',
    '[options]',
    "run the study end to end — corpus, codebook, sample, merge, reliability, adjudication, themes, report — and compare with the paper's figures",
    async (program) => (await import('./commands/reproduce.js')).registerReproduce(program),
  ),
];

/**
 * The command that `argv` runs, as commander will dispatch it: the first operand after the
 * program's own options (which take no values), or the one after `help`.
 */
export function requestedCommand(argv: readonly string[]): string | undefined {
  const operands = argv.slice(2).filter((argument) => !argument.startsWith('-'));
  const [first, second] = operands;
  return first === 'help' ? second : first;
}

/** The program with its own options only. */
function bareProgram(): Command {
  return new Command('coding')
    .description(
      'Reproducible qualitative content analysis: corpus, codebook, double coding, reliability, themes, reports.',
    )
    .version(toolVersion, '-V, --version')
    .option('--verbose', 'show stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/**
 * The program for `argv`: the command it runs declared in full, every other command a
 * placeholder (`only: 'all'` declares every command in full, for tests).
 */
export async function buildProgram(
  argv: readonly string[],
  only: 'requested' | 'all' = 'requested',
): Promise<Command> {
  const program = bareProgram();
  const placeholderTerms = new WeakMap<Command, string>();
  program.configureHelp({
    subcommandTerm(this: Help, command: Command): string {
      const term = placeholderTerms.get(command);
      if (term === undefined) return Help.prototype.subcommandTerm.call(this, command);
      return term === '' ? command.name() : `${command.name()} ${term}`;
    },
  });
  const requested = requestedCommand(argv);
  for (const command of commandTable) {
    if (only === 'all' || command.name === requested) await command.register(program);
    else placeholderTerms.set(program.command(command.name).description(command.description), command.term);
  }
  return program;
}
