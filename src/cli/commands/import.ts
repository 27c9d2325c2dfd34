import { type Command, Option } from 'commander';
import { importAnnotations } from '../../app/import-annotations.js';
import { type ImportDocumentsResult, importDocuments } from '../../app/import-documents.js';
import { importQdpx, type ReviewedMode, renderQdpxImportSummary, reviewedModes } from '../../app/qdpx.js';
import {
  type CrlfCount,
  crlfCounts,
  type OffsetUnit,
  type OverlapRule,
  offsetUnits,
  overlapRules,
} from '../../core/overlap.js';
import { UsageError } from '../../errors.js';
import { type Layout, layouts } from '../../io/annotations.js';
import { type UnitKind, unitKinds } from '../../schema/config.js';
import { addWorkspaceOption, collect, parseAssignments, writesWorkspace } from '../common.js';
import { printFinding, visibleLine, writeData, writeErr } from '../output.js';

interface ImportFlags {
  workspace?: string;
  unit?: UnitKind;
  textColumn?: string;
  idColumn?: string;
  delimiter?: string;
  actor?: string;
  source?: string;
  genre?: string;
  date?: string;
  role?: string;
  title?: string;
  language?: string;
  url?: string;
  accessed?: string;
  attr: string[];
  update?: boolean;
  dryRun?: boolean;
  coder?: string;
  layout?: Layout;
  replace?: boolean;
  overlap?: OverlapRule;
  offsets?: OffsetUnit;
  crlf?: CrlfCount;
  reviewed?: ReviewedMode;
  user: string[];
  switchCodebook?: boolean;
  basePath?: string;
  format: 'table' | 'json';
}

export function registerImport(program: Command): void {
  const command = program
    .command('import')
    .description(
      "import documents into the corpus (text, Markdown with front matter, PDF, Word .docx, saved web pages, folders, CSV/TSV/JSONL tables of statements), or with --coder a coder's annotations",
    )
    .argument('<paths...>', 'files or folders to import')
    .option(
      '--coder <name>',
      "import this coder's annotations (long, wide or a filled coding sheet) instead of documents",
    )
    .addOption(
      new Option(
        '--layout <layout>',
        'layout of an annotation file (default: detected from the header)',
      ).choices(layouts),
    )
    .option(
      '--replace',
      'with --coder: replace codes of units the coder had coded differently (the old file is backed up)',
    )
    .addOption(
      new Option(
        '--overlap <rule>',
        '.qdpx: when a selection gives its code to a unit: any character of the unit, the majority of them, or the full unit (default: any)',
      ).choices(overlapRules),
    )
    .addOption(
      new Option(
        '--offsets <unit>',
        ".qdpx: what the project's positions count: code points (the standard's characters; QualCoder) or UTF-16 code units (default: codepoints)",
      ).choices(offsetUnits),
    )
    .addOption(
      new Option(
        '--crlf <count>',
        '.qdpx: characters a CRLF line end counts for in positions (default: one for ATLAS.ti projects, else two)',
      ).choices(crlfCounts),
    )
    .addOption(
      new Option(
        '--reviewed <mode>',
        '.qdpx: units a coder reviewed: every unit of a document they coded, or only those their selections cover (default: document; selections for projects exported by coding)',
      ).choices(reviewedModes),
    )
    .option(
      '--user <name=coder>',
      '.qdpx: the coder name for a REFI-QDA user (name, id or GUID; repeatable)',
      collect,
      [],
    )
    .option(
      '--switch-codebook',
      ".qdpx: make the project's codebook the workspace's even though the workspace has annotations",
    )
    .option('--base-path <dir>', '.qdpx: folder that relative:// sources are relative to')
    .addOption(
      new Option(
        '--unit <kind>',
        'coding unit: document, paragraph, sentence or line (default: coding.yaml; table rows: one unit each)',
      ).choices(unitKinds),
    )
    .option('--text-column <name>', 'column of a table that holds the text', 'text')
    .option(
      '--id-column <name>',
      'column of a table that holds document ids (default: "id" if present, else <file>-<row>)',
    )
    .option('--delimiter <char>', 'delimiter of a CSV table (default: detected from the header: , ; or tab)')
    .option('--actor <name>', 'speaker or author, for documents that do not say')
    .option('--source <name>', 'outlet or institution')
    .option('--genre <genre>', 'press conference, press release, social post, news article, briefing…')
    .option('--date <date>', 'ISO 8601 date, e.g. 2026-01-29')
    .addOption(new Option('--role <role>', 'primary or secondary source').choices(['primary', 'secondary']))
    .option('--title <title>', 'title (for a single document)')
    .option(
      '--language <tag>',
      'language of documents that do not give theirs (BCP 47, e.g. es-MX): chooses the sentence rules; default segmentation.language, auto: detected',
    )
    .option('--url <url>', 'where the document was found')
    .option('--accessed <date>', 'ISO 8601 date the document was accessed')
    .option('--attr <key=value>', 'any other metadata (repeatable)', collect, [])
    .option('--update', 're-segment documents whose text changed (units with unchanged text keep their ids)')
    .option('--dry-run', 'check everything and report, but write nothing')
    .addOption(
      new Option('-f, --format <format>', 'summary format').choices(['table', 'json']).default('table'),
    );
  addWorkspaceOption(command);
  writesWorkspace(command, (flags) => flags['dryRun'] !== true);
  command.addHelpText(
    'after',
    `
Metadata: a document's own values (front matter, table columns) win over the flags, which fill in
what a document does not say. Re-importing the same files changes nothing.

Examples:
  coding import corpus/sources/
  coding import statements.csv --text-column body --id-column tweet_id --genre "social post"
  coding import presser.txt --actor "Claudia Sheinbaum" --date 2026-01-27 --role primary --unit paragraph
  coding import --coder coder2 sheet-coder2.csv
  coding import project.qdpx --overlap majority --user "Anna Müller=coder2"

A .qdpx (REFI-QDA project from NVivo, ATLAS.ti, MAXQDA, QualCoder…) brings documents, codebook and
each user's codings at once; docs/refi-qda-projects.md explains the choices.`,
  );
  command.action(async (paths: string[], flags: ImportFlags) => {
    const projects = paths.filter((file) => /\.qdpx$/i.test(file));
    const projectFlags = Object.entries({
      '--overlap': flags.overlap,
      '--offsets': flags.offsets,
      '--crlf': flags.crlf,
      '--reviewed': flags.reviewed,
      '--user': flags.user.length > 0 ? flags.user : undefined,
      '--switch-codebook': flags.switchCodebook,
      '--base-path': flags.basePath,
    })
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name);
    if (projects.length === 0 && projectFlags.length > 0)
      throw new UsageError(
        `${projectFlags.join(', ')} go${projectFlags.length === 1 ? 'es' : ''} with a .qdpx file`,
      );
    if (flags.coder !== undefined && projects.length === 0) {
      await importCoder(paths, flags);
      return;
    }
    if (projects.length === 0 && (flags.layout !== undefined || flags.replace))
      throw new UsageError('--layout and --replace go with --coder NAME');
    const metadata: Record<string, string> = parseAssignments(flags.attr, '--attr');
    for (const key of [
      'actor',
      'source',
      'genre',
      'date',
      'role',
      'title',
      'language',
      'url',
      'accessed',
    ] as const) {
      const value = flags[key];
      if (value !== undefined) metadata[key] = value;
    }
    if (projects.length > 0) {
      await importProject(paths, flags, metadata);
      return;
    }
    if (flags.delimiter !== undefined && flags.delimiter.length !== 1 && flags.delimiter !== '\\t') {
      throw new UsageError(`--delimiter must be one character, received "${flags.delimiter}"`);
    }
    const showProgress = process.stderr.isTTY === true;
    const result = await importDocuments({
      cwd: process.cwd(),
      workspace: flags.workspace,
      paths,
      unit: flags.unit,
      textColumn: flags.textColumn,
      idColumn: flags.idColumn,
      delimiter: flags.delimiter === '\\t' ? '\t' : flags.delimiter,
      metadata,
      update: flags.update === true,
      dryRun: flags.dryRun === true,
      ...(showProgress
        ? { progress: (count: number) => writeErr(`\r  read ${count.toLocaleString('en')} documents…`) }
        : {}),
    });
    if (showProgress) writeErr('\r\x1b[K');
    for (const warning of result.warnings) printFinding(warning);
    if (flags.format === 'json') writeData(`${JSON.stringify(importSummaryJson(result), null, 2)}\n`);
    writeErr(importSummaryText(result, flags.dryRun === true));
  });
}

async function importProject(
  paths: string[],
  flags: ImportFlags,
  metadata: Record<string, string>,
): Promise<void> {
  if (paths.length !== 1)
    throw new UsageError(`a .qdpx file is imported on its own, received ${paths.length} paths`, {
      hint: 'import each project, and other documents, with their own command.',
    });
  if (flags.coder !== undefined || flags.layout !== undefined)
    throw new UsageError('--coder and --layout go with annotation files; a .qdpx names its coders itself', {
      hint: 'choose coder names with --user NAME=CODER.',
    });
  const result = await importQdpx({
    cwd: process.cwd(),
    workspace: flags.workspace,
    file: paths[0]!,
    overlap: flags.overlap ?? 'any',
    offsets: flags.offsets,
    crlf: flags.crlf,
    reviewed: flags.reviewed,
    unit: flags.unit,
    users: parseAssignments(flags.user, '--user'),
    switchCodebook: flags.switchCodebook === true,
    replace: flags.replace === true,
    update: flags.update === true,
    dryRun: flags.dryRun === true,
    basePath: flags.basePath,
    metadata,
  });
  for (const warning of result.warnings) printFinding(warning);
  if (flags.format === 'json') writeData(`${JSON.stringify(result, null, 2)}\n`);
  writeErr(renderQdpxImportSummary(result));
}

async function importCoder(paths: string[], flags: ImportFlags): Promise<void> {
  if (paths.length !== 1)
    throw new UsageError(`--coder takes one file, received ${paths.length}`, {
      hint: 'import each file of a coder with its own command.',
    });
  const result = await importAnnotations({
    cwd: process.cwd(),
    workspace: flags.workspace,
    coder: flags.coder!,
    file: paths[0]!,
    layout: flags.layout,
    delimiter: flags.delimiter === '\\t' ? '\t' : flags.delimiter,
    replace: flags.replace === true,
  });
  for (const warning of result.warnings) printFinding(warning);
  if (flags.format === 'json') writeData(`${JSON.stringify(result, null, 2)}\n`);
  const { units } = result;
  writeErr(
    `${visibleLine(result.file)} (${result.layout}, ${result.rows} rows) → annotations/${result.coder}.csv\n` +
      `units: ${units.added} new, ${units.unchanged} unchanged, ${units.replaced} replaced, ${units.kept} kept from before; ${units.total} reviewed by ${result.coder}\n` +
      (result.backup ? `the previous file was copied to ${result.backup}\n` : '') +
      (result.rechecked
        ? 'the codes were checked against the changed codebook; its hash is now recorded\n'
        : result.written
          ? ''
          : 'nothing to write: the annotations are up to date\n'),
  );
}

export function importSummaryJson(result: ImportDocumentsResult): Record<string, unknown> {
  return {
    files: result.files,
    documents: {
      added: result.documents.added,
      unchanged: result.documents.unchanged,
      metadata_updated: result.documents.metadataUpdated,
      changed: result.documents.changed,
      total: result.documents.total,
    },
    units: result.units,
    changed: result.changed.map((document) => ({
      id: document.id,
      origin: document.origin,
      units_kept: document.unitsKept,
      units_added: document.unitsAdded,
      units_removed: document.unitsRemoved,
    })),
    metadata_updated: result.metadataUpdated,
    sources: (result.sources ?? []).map((note) => ({
      file: note.file,
      id: note.id,
      format: note.format,
      ...(note.pages === undefined ? {} : { pages: note.pages }),
      ...(note.repeatedLinesRemoved === undefined
        ? {}
        : { repeated_lines_removed: note.repeatedLinesRemoved }),
      language: note.language ?? null,
      language_detected: note.languageDetected === true,
    })),
    written: result.written,
  };
}

/** One line per PDF, Word or web page file, and per document whose language was detected. */
function sourceLines(result: ImportDocumentsResult): string[] {
  const lines: string[] = [];
  for (const note of result.sources ?? []) {
    if (note.format === 'text' && !note.languageDetected) continue;
    const parts: string[] = [];
    if (note.format === 'pdf') {
      parts.push(`PDF, ${note.pages} page${note.pages === 1 ? '' : 's'}`);
      const removed = note.repeatedLinesRemoved ?? 0;
      parts.push(`${removed} running header/footer line${removed === 1 ? '' : 's'} removed`);
    } else if (note.format === 'docx') parts.push('Word document');
    else if (note.format === 'html') parts.push('web page, main text');
    if (note.languageDetected)
      parts.push(
        note.language === undefined
          ? 'language not detected (English rules)'
          : `language ${note.language} (detected)`,
      );
    else if (note.language !== undefined) parts.push(`language ${note.language}`);
    lines.push(`  ${visibleLine(note.file)}: ${parts.join(', ')}`);
  }
  return lines;
}

function importSummaryText(result: ImportDocumentsResult, dryRun: boolean): string {
  const { documents, units } = result;
  const lines = [
    `${result.files} file${result.files === 1 ? '' : 's'} read`,
    `documents: ${documents.added} new, ${documents.unchanged} unchanged` +
      (documents.metadataUpdated > 0 ? ` (${documents.metadataUpdated} with new metadata)` : '') +
      (documents.changed > 0 ? `, ${documents.changed} re-segmented` : '') +
      `; ${documents.total} in the corpus`,
    `units: ${units.added} new, ${units.unchanged} unchanged` +
      (units.removed > 0 ? `, ${units.removed} removed` : '') +
      `; ${units.total} in the corpus`,
  ];
  lines.push(...sourceLines(result));
  for (const document of result.changed) {
    lines.push(
      `  ${document.id}: ${document.unitsKept} units kept, ${document.unitsAdded.length} new, ${document.unitsRemoved.length} removed`,
    );
  }
  if (dryRun) lines.push('dry run: nothing was written');
  else if (!result.written) lines.push('nothing to write: the corpus is up to date');
  return `${lines.join('\n')}\n`;
}
