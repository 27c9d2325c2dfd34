/**
 * A workspace opened for analysis: its settings, codebook, unit index and coders' annotations,
 * read once and shared by the commands that need them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CodebookModel } from '../core/codebook.js';
import type { Codings } from '../core/codings.js';
import { FixedUnitIndex } from '../core/units.js';
import { type Finding, InputError, UsageError } from '../errors.js';
import { readCodings } from '../io/annotations.js';
import { exists } from '../io/atomic.js';
import { readCodebook } from '../io/codebook.js';
import { coderFiles, readMeta } from '../io/coder-files.js';
import { corpusPaths, readManifest, readUnitIdPool } from '../io/corpus-store.js';
import { openWorkspace, type Workspace } from '../io/workspace.js';
import { reservedCoderNames } from '../schema/annotations.js';
import { coderNameProblem } from '../schema/config.js';

export interface Study {
  workspace: Workspace;
  codebook: CodebookModel;
  codebookFile: string;
  units: FixedUnitIndex;
}

/** The document of a unit: its id is `doc:n`. */
export function documentOfUnit(unitId: string): string {
  return unitId.slice(0, unitId.lastIndexOf(':'));
}

/** Path relative to the workspace root, with "/", for messages and recorded paths. */
export function relativeTo(workspace: Workspace, file: string): string {
  return path.relative(workspace.root, file).split(path.sep).join('/');
}

export async function openStudy(options: { cwd: string; workspace?: string | undefined }): Promise<Study> {
  const workspace = await openWorkspace(options);
  const codebookFile = relativeTo(workspace, workspace.paths.codebook);
  const { model } = await readCodebook(workspace.paths.codebook, codebookFile);
  const paths = corpusPaths(workspace.paths.corpus);
  const manifest = await readManifest(paths);
  if (!manifest || manifest.units === 0) {
    throw new InputError('the corpus is empty', { hint: 'import documents first: coding import PATH…' });
  }
  const ids = await readUnitIdPool(paths);
  return { workspace, codebook: model, codebookFile, units: new FixedUnitIndex(ids) };
}

/** @throws UsageError for a name that cannot be a coder (unsafe in a file name, or reserved) */
export function checkCoderName(name: string): void {
  const problem = coderNameProblem(name);
  if (problem !== undefined) {
    throw new UsageError(`"${name}" cannot be a coder name: ${problem}`, {
      hint: 'the name becomes a file name, annotations/<name>.csv; letters of any alphabet are fine ("Müller", "Łukasz", "明").',
    });
  }
  if (reservedCoderNames.has(name.toLowerCase())) {
    throw new UsageError(
      `"${name}" cannot be a coder name: it is reserved (${[...reservedCoderNames].join(', ')})`,
    );
  }
}

export interface CoderAnnotations {
  coder: string;
  codings: Codings;
  memos: Map<number, string>;
  warnings: Finding[];
  /** The codebook hash recorded when the annotations were stored (undefined without a meta file). */
  codebookHash: string | undefined;
}

/** The coders that have annotation files in the workspace, sorted. */
export async function codersWithAnnotations(study: Study): Promise<string[]> {
  return codersWithAnnotationsIn(study.workspace);
}

export async function codersWithAnnotationsIn(workspace: Workspace): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(workspace.paths.annotations);
  } catch {
    return [];
  }
  return (
    names
      .filter((name) => name.endsWith('.csv'))
      // A file system may hand names back decomposed (macOS): compare them in the form names are typed.
      .map((name) => name.slice(0, -4).normalize('NFC'))
      .filter((name) => coderNameProblem(name) === undefined && !reservedCoderNames.has(name.toLowerCase()))
      .sort()
  );
}

/**
 * A coder's stored annotations, checked against the current codebook: a changed codebook is a
 * warning; a code the annotations use that the codebook no longer has is an error naming the units.
 */
export async function loadCoder(
  study: Study,
  coder: string,
  options: { required?: boolean } = {},
): Promise<CoderAnnotations | undefined> {
  const files = coderFiles(study.workspace.paths.annotations, coder);
  const shownAs = relativeTo(study.workspace, files.csv);
  if (!(await exists(files.csv))) {
    if (options.required === false) return undefined;
    const known = await codersWithAnnotations(study);
    throw new UsageError(`coder "${coder}" has no annotations (${shownAs} does not exist)`, {
      hint:
        known.length > 0
          ? `coders with annotations: ${known.join(', ')}`
          : `bring a coder's work in with: coding import --coder ${coder} FILE`,
    });
  }
  const warnings: Finding[] = [];
  const meta = await readMeta(files.meta, relativeTo(study.workspace, files.meta));
  if (meta && meta.codebook_hash !== study.codebook.hash) {
    warnings.push({
      code: 'CODEBOOK_CHANGED',
      severity: 'warning',
      file: shownAs,
      message: `these annotations were made with another version of the codebook (${meta.codebook}); check that the codes still mean what they meant`,
    });
  }
  const read = await readCodings({
    file: files.csv,
    shownAs,
    layout: 'long',
    units: study.units,
    codebook: study.codebook,
    coder,
    onlyCoder: true,
  });
  if (read.findings.length > 0) {
    const removedCodes = read.findings.filter((finding) => finding.code === 'UNKNOWN_CODE');
    throw new InputError(
      removedCodes.length > 0
        ? `${shownAs} uses codes that the codebook no longer has (removed or renamed since the annotations were made)`
        : `${shownAs} does not match the corpus and codebook`,
      {
        findings: read.findings,
        hint:
          removedCodes.length > 0
            ? 'put the codes back in the codebook, or rename them in the annotation file to the new ids (coding codebook diff OLD NEW lists what changed).'
            : "the file was edited by hand or the corpus changed; restore it from version control or re-import the coder's work.",
      },
    );
  }
  return { coder, codings: read.codings, memos: read.memos, warnings, codebookHash: meta?.codebook_hash };
}
