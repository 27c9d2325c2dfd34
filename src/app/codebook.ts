/**
 * `coding codebook check|show|export|import|diff`: the codebook as a file to validate, print,
 * exchange with other QDA programs (REFI-QDA `.qdc`) and compare between versions.
 *
 * Each command is a function taking an options object with `cwd`; none prints. A command that
 * writes a file checks everything first and writes through `writeFileAtomic` last, so a failed
 * command leaves every file as it was.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import { stringify } from 'yaml';
import { buildCodebookModel, type CodebookModel } from '../core/codebook.js';
import { checkCodebookRules, countCodebook, type RuleFinding } from '../core/codebook-check.js';
import { visibleText } from '../core/visible-text.js';
import { type Finding, InputError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { type CsvCell, toCsv } from '../io/csv-write.js';
import { refuseSpecialFile } from '../io/input-file.js';
import { codebookNameFromFile, codebookToQdc, type QdcImport, readQdc } from '../io/qdc.js';
import { decodeText } from '../io/text.js';
import { openWorkspaceIfAny, shown } from '../io/workspace.js';
import {
  findingsFromZod,
  formatYamlPath,
  maxYamlBytes,
  objectKeysAt,
  type ParsedYaml,
  parseYaml,
} from '../io/yaml.js';
import { renderCodebookLatex } from '../report/codebook-latex.js';
import { type Code, type Codebook, codebookFormatVersion, codebookSchema } from '../schema/codebook.js';
import { toolVersion } from '../version.js';

export interface CodebookSourceOptions {
  cwd: string;
  /** The codebook file; `-` for stdin; absent: the workspace's codebook. */
  file?: string | undefined;
  workspace?: string | undefined;
  /** Read instead of process.stdin for `-` (tests). */
  stdin?: NodeJS.ReadableStream | undefined;
}

/** Where a codebook is: its absolute path (or `-`), and how messages show it. */
export interface CodebookSource {
  file: string;
  shownAs: string;
}

/**
 * The codebook a command works on: FILE when given, else the one `coding.yaml` names.
 * @throws UsageError when there is neither
 */
export async function resolveCodebookSource(options: CodebookSourceOptions): Promise<CodebookSource> {
  if (options.file === '-') return { file: '-', shownAs: '<stdin>' };
  if (options.file !== undefined) {
    return { file: path.resolve(options.cwd, options.file), shownAs: options.file };
  }
  const workspace = await openWorkspaceIfAny({ cwd: options.cwd, workspace: options.workspace });
  if (workspace === undefined) {
    throw new UsageError('no codebook file given, and no workspace here to take one from', {
      hint: 'name the file (coding codebook check codebooks/mine.yaml), or run inside a workspace (a folder with coding.yaml; make one with: coding init DIR).',
    });
  }
  return { file: workspace.paths.codebook, shownAs: shown(workspace.paths.codebook, options.cwd) };
}

async function readStdin(stream: NodeJS.ReadableStream, limit: number, shownAs: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) {
      throw new InputError(`the input is over ${limit / 1048576} MiB; codebooks that large are refused`, {
        location: { file: shownAs },
        hint: 'a codebook is a few hundred KiB at most; check that this is the input you meant.',
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The text of a codebook file, refused by its size before it is read.
 * @throws InputError for a missing, oversized or non-UTF-8 file
 */
async function readCodebookText(source: CodebookSource, options: CodebookSourceOptions): Promise<string> {
  if (source.file === '-') {
    return decodeText(
      await readStdin(options.stdin ?? process.stdin, maxYamlBytes, source.shownAs),
      source.shownAs,
    );
  }
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(source.file);
  } catch {
    throw new InputError('the codebook file does not exist', {
      location: { file: source.shownAs },
      hint:
        options.file === undefined
          ? 'this is the `codebook:` entry of coding.yaml; create the file or correct the entry.'
          : 'check the path.',
    });
  }
  if (stat.isDirectory()) {
    throw new InputError('this is a folder, not a codebook file', {
      location: { file: source.shownAs },
      hint: 'name the YAML file, for example codebooks/codebook.yaml.',
    });
  }
  refuseSpecialFile(stat, source.shownAs);
  if (stat.size > maxYamlBytes) {
    throw new InputError(
      `the file is ${(stat.size / 1048576).toFixed(1)} MiB; codebooks over ${maxYamlBytes / 1048576} MiB are refused`,
      {
        location: { file: source.shownAs },
        hint: 'a codebook is a few hundred KiB at most; check that this is the file you meant.',
      },
    );
  }
  return decodeText(await fs.readFile(source.file), source.shownAs);
}

/** Rule findings with their place in the YAML source. */
export function locateRuleFindings(parsed: ParsedYaml, findings: readonly RuleFinding[]): Finding[] {
  return findings.map((finding) => ({
    code: finding.code,
    severity: finding.severity,
    file: parsed.file,
    ...parsed.locate(finding.path),
    path: formatYamlPath(finding.path),
    message: finding.message,
  }));
}

function byPosition(left: Finding, right: Finding): number {
  return (left.line ?? 0) - (right.line ?? 0) || (left.column ?? 0) - (right.column ?? 0);
}

export interface CodebookCheck {
  source: CodebookSource;
  /** Every problem, errors and warnings, in the order of the file. */
  findings: Finding[];
  errors: number;
  warnings: number;
  categories: number;
  codes: number;
  /** The validated codebook, when it has no errors. */
  codebook: Codebook | undefined;
}

/**
 * Check a codebook: its YAML, its structure (the schema) and its rules, all problems at once.
 * A file that is too large, is not YAML, holds an alias bomb or has an unknown format version
 * cannot be checked further and raises instead.
 * @throws InputError for those, UsageError when no codebook is given and there is no workspace
 */
export async function checkCodebook(options: CodebookSourceOptions): Promise<CodebookCheck> {
  const source = await resolveCodebookSource(options);
  const text = await readCodebookText(source, options);
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text, source.shownAs);
  } catch (error) {
    // A syntax error is a finding like the others (the parser stops there, so it is the last one).
    if (error instanceof InputError && error.findings.length > 0) {
      return {
        source,
        findings: error.findings,
        errors: error.findings.length,
        warnings: 0,
        categories: 0,
        codes: 0,
        codebook: undefined,
      };
    }
    throw error;
  }
  const data = parsed.data as Record<string, unknown> | null;
  const version = data !== null && typeof data === 'object' ? data['version'] : undefined;
  if (version !== undefined && version !== codebookFormatVersion) {
    throw new InputError(
      `unknown codebook format version: expected ${codebookFormatVersion}, received ${JSON.stringify(version)}`,
      {
        location: { file: source.shownAs, ...parsed.locate(['version']) },
        hint: 'this codebook was written for another version of coding.',
      },
    );
  }
  // reportInput: the messages say what was received ("expected boolean, received \"yes\"").
  const result = codebookSchema.safeParse(parsed.data, { reportInput: true });
  const schemaFindings = result.success
    ? []
    : findingsFromZod(parsed, result.error.issues, (segments) => objectKeysAt(codebookSchema, segments));
  const schemaPaths = new Set(schemaFindings.map((finding) => finding.path));
  const ruleFindings = locateRuleFindings(parsed, checkCodebookRules(parsed.data)).filter(
    (finding) => !schemaPaths.has(finding.path),
  );
  const findings = [...schemaFindings, ...ruleFindings].sort(byPosition);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const counts = countCodebook(parsed.data);
  return {
    source,
    findings,
    errors,
    warnings: findings.length - errors,
    ...counts,
    codebook: result.success && errors === 0 ? result.data : undefined,
  };
}

export interface LoadedCodebook {
  source: CodebookSource;
  codebook: Codebook;
  model: CodebookModel;
  /** Warnings of the rules (missing definitions…); the codebook is usable all the same. */
  warnings: Finding[];
}

/**
 * A codebook that passes the schema and the rules, for the commands that use one. Other
 * commands of the tool can read their codebook with this too.
 * @throws InputError listing every error when it does not
 */
export async function loadCheckedCodebook(options: CodebookSourceOptions): Promise<LoadedCodebook> {
  const check = await checkCodebook(options);
  if (check.codebook === undefined) {
    throw new InputError(`the codebook has ${check.errors} error${check.errors === 1 ? '' : 's'}`, {
      location: { file: check.source.shownAs },
      findings: check.findings.filter((finding) => finding.severity === 'error'),
      hint: `fix them (coding codebook check ${check.source.file === '-' ? '-' : check.source.shownAs} lists them all), then run the command again.`,
    });
  }
  return {
    source: check.source,
    codebook: check.codebook,
    model: buildCodebookModel(check.codebook),
    warnings: check.findings,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing outputs

export interface OutputOptions {
  cwd: string;
  /** The output file; absent or `-`: the text is returned for stdout. */
  output?: string | undefined;
  /** Replace an existing output file. */
  force?: boolean | undefined;
}

/**
 * Check that the output may be written: not an input, not a folder, and not an existing file
 * unless `--force`. Run before any work, so that nothing is done in vain.
 * @throws InputError otherwise
 */
async function checkOutputTarget(
  options: OutputOptions,
  inputs: readonly string[],
  /** Extension of the example file name in the message for a folder. */
  extension: string,
): Promise<string | undefined> {
  if (options.output === undefined || options.output === '-') return undefined;
  const target = path.resolve(options.cwd, options.output);
  if (inputs.some((input) => input !== '-' && path.resolve(options.cwd, input) === target)) {
    throw new InputError(
      `${options.output} is the input of this command; it would be overwritten by the output`,
      {
        hint: 'choose another output file with -o.',
      },
    );
  }
  let stat: Awaited<ReturnType<typeof fs.stat>> | undefined;
  try {
    stat = await fs.stat(target);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) {
    throw new InputError(`${options.output} is a folder; -o needs a file name`, {
      hint: `for example -o ${path.join(options.output, `codebook${extension}`)}`,
    });
  }
  if (stat !== undefined && !options.force) {
    throw new InputError(`${options.output} exists already; nothing was written`, {
      hint: 'pass --force to replace it, or choose another file with -o.',
    });
  }
  return target;
}

/** What a command produced: the text, and the file it was written to (or undefined: print it). */
export interface CommandOutput {
  text: string;
  written: string | undefined;
}

async function deliver(target: string | undefined, text: string): Promise<CommandOutput> {
  if (target === undefined) return { text, written: undefined };
  await writeFileAtomic(target, text);
  return { text, written: target };
}

// ---------------------------------------------------------------------------------------------
// show

/** `md` and `markdown` are the same Markdown appendix; `latex` is booktabs tables (src/report/codebook-latex.ts). */
export const showFormats = ['tree', 'md', 'markdown', 'latex', 'csv', 'json'] as const;
export type ShowFormat = (typeof showFormats)[number];

/** Columns of `coding codebook show --format csv`, one row per code. */
export const codebookCsvColumns = [
  'category',
  'code',
  'label',
  'definition',
  'include',
  'exclude',
  'examples',
] as const;

function walkCodes(codes: readonly Code[], depth: number, visit: (code: Code, depth: number) => void): void {
  for (const code of codes) {
    visit(code, depth);
    walkCodes(code.codes ?? [], depth + 1, visit);
  }
}

/**
 * The codebook as an indented tree: categories, their codes and sub-codes with labels, `[exclusive]`
 * marks and colour swatches. `style` colours it (a chalk instance; level 0 for plain text).
 */
export function renderCodebookTree(codebook: Codebook, style: ChalkInstance): string {
  const lines: string[] = [];
  // Codebook text is shown with its control characters visible: the tree is printed on a terminal.
  const plain = (text: string): string => visibleText(text);
  const heading = plain(
    codebook.title === undefined ? codebook.name : `${codebook.title} (${codebook.name})`,
  );
  lines.push(style.bold(heading) + (codebook.exclusive ? ` ${style.yellow('[exclusive]')}` : ''));
  // On a colour terminal every line gets a swatch column (blank without a colour), so ids stay aligned.
  const swatch = (color: string | undefined): string =>
    style.level === 0 ? '' : color === undefined ? '  ' : `${style.hex(color)('■')} `;
  const idWidth = Math.max(
    0,
    ...codebook.categories.flatMap((category) => {
      const widths = [category.id.length];
      walkCodes(category.codes, 1, (code, depth) => widths.push(code.id.length + 2 * depth));
      return widths;
    }),
  );
  for (const category of codebook.categories) {
    lines.push(
      `${swatch(category.color)}${style.bold(category.id.padEnd(idWidth))}  ${style.bold(plain(category.label))}${category.exclusive ? ` ${style.yellow('[exclusive]')}` : ''}`,
    );
    walkCodes(category.codes, 1, (code, depth) => {
      const indent = '  '.repeat(depth);
      lines.push(
        `${indent}${swatch(code.color)}${style.cyan(code.id.padEnd(idWidth - 2 * depth))}  ${plain(code.label)}`,
      );
    });
  }
  return `${lines.join('\n')}\n`;
}

/** A Markdown table cell: pipes escaped, line breaks as `<br>`, `<` as an entity (no raw HTML). */
export function markdownCell(text: string | undefined): string {
  if (text === undefined) return '';
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** The codebook as a Markdown appendix: its description, then a table per category. */
export function renderCodebookMarkdown(codebook: Codebook): string {
  const parts: string[] = [`# ${codebook.title ?? `Codebook ${codebook.name}`}`, ''];
  if (codebook.description !== undefined) parts.push(codebook.description.trim(), '');
  const counts = countCodebook(codebook);
  parts.push(
    `Codebook \`${codebook.name}\`: ${counts.categories} categor${counts.categories === 1 ? 'y' : 'ies'}, ${counts.codes} code${counts.codes === 1 ? '' : 's'}.` +
      (codebook.exclusive ? ' The codebook is exclusive: each unit takes exactly one code.' : ''),
    '',
  );
  for (const category of codebook.categories) {
    parts.push(`## ${category.label} (\`${category.id}\`)`, '');
    if (category.description !== undefined) parts.push(category.description.trim(), '');
    if (category.exclusive) parts.push('*Exclusive: at most one code of this category per unit.*', '');
    parts.push('| Code | Definition | Include | Exclude | Example |', '|---|---|---|---|---|');
    walkCodes(category.codes, 0, (code, depth) => {
      const name = `${'↳ '.repeat(depth)}**${markdownCell(code.label)}** (\`${code.id}\`)`;
      const examples = (code.examples ?? []).map((example) => `“${markdownCell(example)}”`).join('<br>');
      parts.push(
        `| ${name} | ${markdownCell(code.definition)} | ${markdownCell(code.include)} | ${markdownCell(code.exclude)} | ${examples} |`,
      );
    });
    parts.push('');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

/** One row per code (sub-codes included): category, code, label, definition, include, exclude, examples. */
export function renderCodebookCsv(codebook: Codebook): string {
  const rows: CsvCell[][] = [];
  for (const category of codebook.categories) {
    walkCodes(category.codes, 0, (code) => {
      rows.push([
        category.id,
        code.id,
        code.label,
        code.definition ?? '',
        code.include ?? '',
        code.exclude ?? '',
        (code.examples ?? []).join(' | '),
      ]);
    });
  }
  return toCsv(codebookCsvColumns, rows, { neutraliseFormulas: true });
}

export interface ShowOptions extends CodebookSourceOptions, OutputOptions {
  format: ShowFormat;
  /** Colour the tree (a terminal); files are always plain. */
  color?: boolean | undefined;
}

export interface ShowResult extends CommandOutput {
  source: CodebookSource;
  warnings: number;
}

/** Render a codebook as a tree, a Markdown appendix, CSV or JSON; write it with `-o`. */
export async function showCodebook(options: ShowOptions): Promise<ShowResult> {
  const extensions: Record<ShowFormat, string> = {
    tree: '.txt',
    md: '.md',
    markdown: '.md',
    latex: '.tex',
    csv: '.csv',
    json: '.json',
  };
  const target = await checkOutputTarget(
    options,
    options.file === undefined ? [] : [options.file],
    extensions[options.format],
  );
  const loaded = await loadCheckedCodebook(options);
  if (target !== undefined) {
    const source = loaded.source.file;
    if (source === target)
      throw new InputError('the output would overwrite the codebook itself; choose another -o');
  }
  const text = render(loaded.codebook, options.format, target === undefined && options.color === true);
  return { ...(await deliver(target, text)), source: loaded.source, warnings: loaded.warnings.length };
}

function render(codebook: Codebook, format: ShowFormat, color: boolean): string {
  switch (format) {
    case 'tree':
      return renderCodebookTree(
        codebook,
        new Chalk({ level: color ? (chalk.level === 0 ? 1 : chalk.level) : 0 }),
      );
    case 'md':
    case 'markdown':
      return renderCodebookMarkdown(codebook);
    case 'latex':
      return renderCodebookLatex(codebook);
    case 'csv':
      return renderCodebookCsv(codebook);
    case 'json':
      return `${JSON.stringify(codebook, null, 2)}\n`;
  }
}

// ---------------------------------------------------------------------------------------------
// export and import

export const exportFormats = ['qdc'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportOptions extends CodebookSourceOptions, OutputOptions {
  format: ExportFormat;
}

/** Write the codebook as a REFI-QDA codebook (`.qdc`), for NVivo, ATLAS.ti, MAXQDA and others. */
export async function exportCodebook(options: ExportOptions): Promise<ShowResult> {
  const target = await checkOutputTarget(options, options.file === undefined ? [] : [options.file], '.qdc');
  const loaded = await loadCheckedCodebook(options);
  if (target !== undefined && loaded.source.file === target) {
    throw new InputError('the output would overwrite the codebook itself; choose another -o');
  }
  const text = codebookToQdc(loaded.codebook, `coding ${toolVersion}`);
  return { ...(await deliver(target, text)), source: loaded.source, warnings: loaded.warnings.length };
}

/**
 * A codebook as YAML in the layout of our files: keys in the order of the schema, `header` lines
 * as comments on top. Same codebook → same bytes.
 */
export function codebookYamlText(codebook: Codebook, header: readonly string[] = []): string {
  const code = (item: Code): Record<string, unknown> => ({
    id: item.id,
    label: item.label,
    ...(item.definition === undefined ? {} : { definition: item.definition }),
    ...(item.include === undefined ? {} : { include: item.include }),
    ...(item.exclude === undefined ? {} : { exclude: item.exclude }),
    ...(item.examples === undefined ? {} : { examples: item.examples }),
    ...(item.color === undefined ? {} : { color: item.color }),
    ...(item.codes === undefined ? {} : { codes: item.codes.map(code) }),
  });
  const data = {
    version: codebook.version,
    name: codebook.name,
    ...(codebook.title === undefined ? {} : { title: codebook.title }),
    ...(codebook.description === undefined ? {} : { description: codebook.description }),
    exclusive: codebook.exclusive,
    categories: codebook.categories.map((category) => ({
      id: category.id,
      label: category.label,
      ...(category.description === undefined ? {} : { description: category.description }),
      exclusive: category.exclusive,
      ...(category.color === undefined ? {} : { color: category.color }),
      codes: category.codes.map(code),
    })),
    ...(codebook.sets === undefined
      ? {}
      : {
          sets: codebook.sets.map((set) => ({
            id: set.id,
            label: set.label,
            ...(set.description === undefined ? {} : { description: set.description }),
            codes: set.codes,
          })),
        }),
  };
  const body = stringify(data, { lineWidth: 100, minContentWidth: 40, aliasDuplicateObjects: false });
  const comments = header.map((line) => `# ${line}`.trimEnd());
  return `${comments.length === 0 ? '' : `${comments.join('\n')}\n`}${body}`;
}

export interface ImportOptions extends OutputOptions {
  /** The `.qdc` file. */
  input: string;
  /** Name of the codebook when the file has none (default: the output's or input's base name). */
  name?: string | undefined;
}

export interface ImportResult extends CommandOutput {
  codebook: Codebook;
  /** What was adapted or left out on the way. */
  warnings: Finding[];
  origin: string | undefined;
  categories: number;
  codes: number;
  /** Codes without a definition, include or exclude rule (what `check` will warn about). */
  ruleWarnings: number;
}

/** Turn a REFI-QDA codebook (`.qdc`) into a YAML codebook. */
export async function importCodebook(options: ImportOptions): Promise<ImportResult> {
  const target = await checkOutputTarget(options, [options.input], '.yaml');
  const input = path.resolve(options.cwd, options.input);
  const name =
    options.name ??
    codebookNameFromFile(
      options.output === undefined || options.output === '-' ? options.input : options.output,
    );
  const imported = await readQdc(input, options.input, { name });
  const ruleFindings = checkCodebookRules(imported.codebook);
  const errors = ruleFindings.filter((finding) => finding.severity === 'error');
  if (errors.length > 0) {
    // The importer makes unique, well-formed ids; a rule error here is a bug, reported as one.
    throw new Error(
      `the imported codebook breaks a rule: ${errors.map((finding) => finding.message).join('; ')}`,
    );
  }
  const header = [
    `Codebook imported by coding ${toolVersion} from ${path.basename(options.input)}` +
      (imported.origin === undefined ? '' : ` (written by ${imported.origin.replace(/\s+/g, ' ')})`) +
      '.',
    'Check it with: coding codebook check FILE',
  ];
  const text = codebookYamlText(imported.codebook, imported.writtenByUs ? [] : header);
  const counts = countCodebook(imported.codebook);
  return {
    ...(await deliver(target, text)),
    codebook: imported.codebook,
    warnings: imported.warnings,
    origin: imported.origin,
    ...counts,
    ruleWarnings: ruleFindings.length,
  };
}

// ---------------------------------------------------------------------------------------------
// diff

export type ChangeKind = 'added' | 'removed' | 'renamed' | 'moved' | 'changed';

/** One difference between two codebooks; the JSON and CSV output use these names. */
export interface CodebookChange {
  change: ChangeKind;
  kind: 'codebook' | 'category' | 'code';
  /** The id in the new codebook (in the old one for a removal). */
  id: string;
  /** What changed: `label` (renamed), `id` (moved), a field name (changed), empty for added/removed. */
  field: string;
  old: string;
  new: string;
}

export const diffColumns = ['change', 'kind', 'id', 'field', 'old', 'new'] as const;

interface FlatEntry {
  kind: 'category' | 'code';
  id: string;
  /** The category id or parent code id; empty for a category. */
  parent: string;
  label: string;
  fields: Array<[string, string | undefined]>;
  guid: string | undefined;
}

function flatten(codebook: Codebook, guids: Map<string, string> | undefined): FlatEntry[] {
  const entries: FlatEntry[] = [];
  for (const category of codebook.categories) {
    entries.push({
      kind: 'category',
      id: category.id,
      parent: '',
      label: category.label,
      fields: [
        ['description', category.description],
        ['exclusive', String(category.exclusive)],
        ['color', category.color],
      ],
      guid: guids?.get(category.id),
    });
    const visit = (code: Code, parent: string): void => {
      entries.push({
        kind: 'code',
        id: code.id,
        parent,
        label: code.label,
        fields: [
          ['definition', code.definition],
          ['include', code.include],
          ['exclude', code.exclude],
          ['examples', code.examples === undefined ? undefined : code.examples.join(' | ')],
          ['color', code.color],
        ],
        guid: guids?.get(code.id),
      });
      for (const child of code.codes ?? []) visit(child, code.id);
    };
    for (const code of category.codes) visit(code, category.id);
  }
  return entries;
}

/**
 * The differences between two codebooks. Entries are matched by GUID when both come from `.qdc`
 * files (`guids` given for both), else by id. An unmatched old entry and an unmatched new entry of
 * the same kind with the same label and content count as one entry moved to a new id.
 */
export function diffCodebookContents(
  before: Codebook,
  after: Codebook,
  guids: { before?: Map<string, string> | undefined; after?: Map<string, string> | undefined } = {},
): CodebookChange[] {
  const changes: CodebookChange[] = [];
  const useGuids = guids.before !== undefined && guids.after !== undefined;
  const oldEntries = flatten(before, guids.before);
  const newEntries = flatten(after, guids.after);
  const keyOf = (entry: FlatEntry): string =>
    useGuids && entry.guid !== undefined ? `guid:${entry.guid}` : `id:${entry.id}`;

  const codebookFields: Array<[string, string | undefined, string | undefined]> = [
    ['name', before.name, after.name],
    ['title', before.title, after.title],
    ['description', before.description, after.description],
    ['exclusive', String(before.exclusive), String(after.exclusive)],
  ];
  for (const [field, oldValue, newValue] of codebookFields) {
    if (oldValue !== newValue)
      changes.push({
        change: 'changed',
        kind: 'codebook',
        id: after.name,
        field,
        old: oldValue ?? '',
        new: newValue ?? '',
      });
  }

  const oldByKey = new Map(oldEntries.map((entry) => [keyOf(entry), entry]));
  const matched = new Map<FlatEntry, FlatEntry>();
  const unmatchedNew: FlatEntry[] = [];
  for (const entry of newEntries) {
    const old = oldByKey.get(keyOf(entry));
    if (old !== undefined && old.kind === entry.kind) {
      matched.set(entry, old);
      oldByKey.delete(keyOf(entry));
    } else unmatchedNew.push(entry);
  }
  // Moves: the same content under a new id.
  const signature = (entry: FlatEntry): string => JSON.stringify([entry.kind, entry.label, entry.fields]);
  const countSignatures = (entries: Iterable<FlatEntry>): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(signature(entry), (counts.get(signature(entry)) ?? 0) + 1);
    return counts;
  };
  const oldSignatures = countSignatures(oldByKey.values());
  const newSignatures = countSignatures(unmatchedNew);
  for (const entry of unmatchedNew) {
    const key = signature(entry);
    if (oldSignatures.get(key) !== 1 || newSignatures.get(key) !== 1) continue;
    const old = [...oldByKey.values()].find((candidate) => signature(candidate) === key)!;
    matched.set(entry, old);
    oldByKey.delete(keyOf(old));
  }

  for (const entry of newEntries) {
    const old = matched.get(entry);
    if (old === undefined) {
      changes.push({ change: 'added', kind: entry.kind, id: entry.id, field: '', old: '', new: entry.label });
      continue;
    }
    if (old.id !== entry.id || old.parent !== entry.parent) {
      changes.push({
        change: entry.kind === 'code' ? 'moved' : 'renamed',
        kind: entry.kind,
        id: entry.id,
        field: old.id !== entry.id ? 'id' : 'parent',
        old: old.id !== entry.id ? old.id : old.parent,
        new: old.id !== entry.id ? entry.id : entry.parent,
      });
    }
    if (old.label !== entry.label) {
      changes.push({
        change: 'renamed',
        kind: entry.kind,
        id: entry.id,
        field: 'label',
        old: old.label,
        new: entry.label,
      });
    }
    const oldFields = new Map(old.fields);
    for (const [field, value] of entry.fields) {
      const oldValue = oldFields.get(field);
      if (oldValue !== value) {
        changes.push({
          change: 'changed',
          kind: entry.kind,
          id: entry.id,
          field,
          old: oldValue ?? '',
          new: value ?? '',
        });
      }
    }
  }
  for (const old of oldEntries) {
    if (oldByKey.get(keyOf(old)) === old) {
      changes.push({ change: 'removed', kind: old.kind, id: old.id, field: '', old: old.label, new: '' });
    }
  }
  return changes;
}

export interface DiffOptions {
  cwd: string;
  old: string;
  new: string;
}

export interface DiffResult {
  changes: CodebookChange[];
  /** Warnings from reading `.qdc` inputs. */
  warnings: Finding[];
}

async function readForDiff(
  cwd: string,
  file: string,
): Promise<{ codebook: Codebook; guids: Map<string, string> | undefined; warnings: Finding[] }> {
  if (/\.qdc$/i.test(file)) {
    const imported: QdcImport = await readQdc(path.resolve(cwd, file), file, {
      name: codebookNameFromFile(file),
    });
    return { codebook: imported.codebook, guids: imported.guids, warnings: imported.warnings };
  }
  const loaded = await loadCheckedCodebook({ cwd, file });
  return { codebook: loaded.codebook, guids: undefined, warnings: [] };
}

/** Compare two codebooks (YAML, or `.qdc` by extension). */
export async function diffCodebooks(options: DiffOptions): Promise<DiffResult> {
  if (options.old === '-' && options.new === '-')
    throw new UsageError('only one of OLD and NEW can be - (stdin)');
  const before = await readForDiff(options.cwd, options.old);
  const after = await readForDiff(options.cwd, options.new);
  return {
    changes: diffCodebookContents(before.codebook, after.codebook, {
      before: before.guids,
      after: after.guids,
    }),
    warnings: [...before.warnings, ...after.warnings],
  };
}

function quoteValue(value: string): string {
  return value === '' ? '(none)' : visibleText(JSON.stringify(value));
}

/** The changes for a terminal: one line per change, long texts on their own lines. */
export function renderDiffText(changes: readonly CodebookChange[], style: ChalkInstance): string {
  if (changes.length === 0) return 'no differences\n';
  const lines: string[] = [];
  // Everything of a codebook printed here is shown with its control characters visible.
  const block = (text: string): string => visibleText(text, { keepLineFeeds: true });
  const long = (value: string): boolean => value.length > 50 || value.includes('\n');
  for (const change of changes) {
    const subject = `${change.kind} ${change.id}`;
    switch (change.change) {
      case 'added':
        lines.push(style.green(`+ ${subject}  added  ${quoteValue(change.new)}`));
        break;
      case 'removed':
        lines.push(style.red(`- ${subject}  removed  ${quoteValue(change.old)}`));
        break;
      case 'moved':
        lines.push(
          style.cyan(
            `> ${subject}  moved from ${change.field === 'id' ? change.old : `under ${change.old}`}`,
          ),
        );
        break;
      case 'renamed':
        lines.push(
          style.yellow(
            `~ ${subject}  ${change.field === 'id' ? 'id' : 'renamed'}: ${quoteValue(change.old)} → ${quoteValue(change.new)}`,
          ),
        );
        break;
      case 'changed':
        if (long(change.old) || long(change.new)) {
          lines.push(style.yellow(`~ ${subject}  ${change.field} changed`));
          lines.push(
            style.red(`    - ${change.old === '' ? '(none)' : block(change.old).replace(/\n/g, '\n      ')}`),
          );
          lines.push(
            style.green(
              `    + ${change.new === '' ? '(none)' : block(change.new).replace(/\n/g, '\n      ')}`,
            ),
          );
        } else {
          lines.push(
            style.yellow(
              `~ ${subject}  ${change.field}: ${quoteValue(change.old)} → ${quoteValue(change.new)}`,
            ),
          );
        }
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `3 changes: 1 added, 1 removed, 1 changed`. */
export function summariseChanges(changes: readonly CodebookChange[]): string {
  if (changes.length === 0) return 'no differences';
  const order: ChangeKind[] = ['added', 'removed', 'renamed', 'moved', 'changed'];
  const parts = order
    .map((kind) => [kind, changes.filter((change) => change.change === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  return `${changes.length} change${changes.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

export function renderDiffCsv(changes: readonly CodebookChange[]): string {
  return toCsv(
    diffColumns,
    changes.map((change) => diffColumns.map((column) => change[column])),
    { neutraliseFormulas: true },
  );
}
