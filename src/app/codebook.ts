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
import { stringify } from 'yaml';
import { buildCodebookModel, type CodebookModel } from '../core/codebook.js';
import { checkCodebookRules, countCodebook, type RuleFinding } from '../core/codebook-check.js';
import { type Finding, InputError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { refuseSpecialFile } from '../io/input-file.js';
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
export async function readCodebookText(
  source: CodebookSource,
  options: CodebookSourceOptions,
): Promise<string> {
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
export async function checkOutputTarget(
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

export async function deliver(target: string | undefined, text: string): Promise<CommandOutput> {
  if (target === undefined) return { text, written: undefined };
  await writeFileAtomic(target, text);
  return { text, written: target };
}

/** What show and export return: the text, where it was written, the codebook's source and its warnings. */
export interface ShowResult extends CommandOutput {
  source: CodebookSource;
  warnings: number;
}

export const exportFormats = ['qdc'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportOptions extends CodebookSourceOptions, OutputOptions {
  format: ExportFormat;
}

/** Write the codebook as a REFI-QDA codebook (`.qdc`), for NVivo, ATLAS.ti, MAXQDA and others. */
export interface ExportResult extends ShowResult {
  /** Codes whose dictionary patterns are not in the `.qdc` (REFI-QDA has no place for them). */
  codesWithPatterns: number;
}

export async function exportCodebook(options: ExportOptions): Promise<ExportResult> {
  const target = await checkOutputTarget(options, options.file === undefined ? [] : [options.file], '.qdc');
  const loaded = await loadCheckedCodebook(options);
  if (target !== undefined && loaded.source.file === target) {
    throw new InputError('the output would overwrite the codebook itself; choose another -o');
  }
  const { codebookToQdc } = await import('../io/qdc.js');
  const text = codebookToQdc(loaded.codebook, `coding ${toolVersion}`);
  return {
    ...(await deliver(target, text)),
    source: loaded.source,
    warnings: loaded.warnings.length,
    codesWithPatterns: countCodesWithPatterns(
      loaded.codebook.categories.flatMap((category) => category.codes),
    ),
  };
}

/** Codes (at any depth) that carry dictionary patterns, which a `.qdc` has no place for. */
function countCodesWithPatterns(codes: readonly Code[]): number {
  let count = 0;
  for (const code of codes) {
    if (code.patterns !== undefined) count++;
    count += countCodesWithPatterns(code.codes ?? []);
  }
  return count;
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
    ...(item.codable === undefined ? {} : { codable: item.codable }),
    ...(item.guid === undefined ? {} : { guid: item.guid }),
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
      ...(category.codable === undefined ? {} : { codable: category.codable }),
      ...(category.guid === undefined ? {} : { guid: category.guid }),
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
            ...(set.guid === undefined ? {} : { guid: set.guid }),
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
  // The REFI-QDA readers and the XML parser load only when a codebook is imported.
  const { codebookNameFromFile } = await import('../io/qdc.js');
  const { readCodebookOf } = await import('../io/qde-file.js');
  const name =
    options.name ??
    codebookNameFromFile(
      options.output === undefined || options.output === '-' ? options.input : options.output,
    );
  const imported = await readCodebookOf(input, options.input, { name });
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

export {
  type ChangeKind,
  type CodebookChange,
  type DiffOptions,
  type DiffResult,
  diffCodebookContents,
  diffCodebooks,
  diffColumns,
  renderDiffCsv,
  renderDiffText,
  summariseChanges,
} from './codebook-diff.js';
export {
  codebookCsvColumns,
  markdownCell,
  renderCodebookCsv,
  renderCodebookMarkdown,
  renderCodebookTree,
  type ShowFormat,
  type ShowOptions,
  showCodebook,
  showFormats,
} from './codebook-show.js';
