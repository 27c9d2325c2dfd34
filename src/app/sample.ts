/** `coding sample`: draw the double-coding sample and save it with how it was drawn. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type DrawnSample, drawSample } from '../core/sample.js';
import { InputError, UsageError } from '../errors.js';
import { AtomicBatch, backupPath, exists } from '../io/atomic.js';
import { corpusPaths, readDocuments, readManifest, readUnits } from '../io/corpus-store.js';
import { scanCsv } from '../io/csv-scan.js';
import { csvLine } from '../io/csv-write.js';
import { openWorkspace, type Workspace } from '../io/workspace.js';
import type { DocumentRecord } from '../schema/corpus.js';
import {
  type SampleMeta,
  type StrataField,
  sampleFormatVersion,
  sampleHeader,
  sampleMetaSchema,
  sampleMethod,
} from '../schema/sample.js';
import { type PlanOptions, plan } from './plan.js';
import { codersWithAnnotationsIn, relativeTo } from './study.js';

export interface SampleOptions {
  cwd: string;
  workspace?: string | undefined;
  fraction?: number | undefined;
  size?: number | undefined;
  seed: number;
  by?: StrataField | undefined;
  force: boolean;
  dryRun?: boolean;
  /** Draw the size `coding plan` gives for these parameters instead of a fraction or size. */
  plan?: Omit<PlanOptions, 'cwd' | 'workspace'> | undefined;
}

export interface SampleResult {
  meta: SampleMeta;
  unitIds: string[];
  written: boolean;
  unchanged: boolean;
  backup?: string;
}

export function samplePaths(workspace: Workspace): { csv: string; meta: string } {
  return {
    csv: path.join(workspace.paths.annotations, 'sample.csv'),
    meta: path.join(workspace.paths.annotations, 'sample.meta.json'),
  };
}

function stratumOf(document: DocumentRecord, by: StrataField | undefined): string {
  if (by === undefined) return 'all';
  if (by === 'document') return document.id;
  return document[by] ?? '(none)';
}

/** Units of the corpus with the stratum each belongs to. */
async function corpusStrata(
  workspace: Workspace,
  by: StrataField | undefined,
): Promise<{ unitIds: string[]; docIds: string[]; strata: string[] }> {
  const paths = corpusPaths(workspace.paths.corpus);
  const manifest = await readManifest(paths);
  if (!manifest || manifest.units === 0)
    throw new InputError('the corpus is empty', { hint: 'import documents first: coding import PATH…' });
  const strataOfDocument = new Map<string, string>();
  for await (const document of readDocuments(paths, { withText: false }))
    strataOfDocument.set(document.id, stratumOf(document, by));
  const unitIds: string[] = [];
  const docIds: string[] = [];
  const strata: string[] = [];
  for await (const unit of readUnits(paths)) {
    unitIds.push(unit.id);
    docIds.push(unit.docId);
    strata.push(strataOfDocument.get(unit.docId)!);
  }
  return { unitIds, docIds, strata };
}

/** Draw a sample of the workspace's corpus (no writing): the same request always gives the same units. */
export async function computeSample(
  workspace: Workspace,
  request: {
    fraction?: number | undefined;
    size?: number | undefined;
    seed: number;
    by?: StrataField | undefined;
  },
): Promise<{ drawn: DrawnSample; meta: SampleMeta; unitIds: string[]; docIds: string[] }> {
  const { unitIds, docIds, strata } = await corpusStrata(workspace, request.by);
  const drawn = drawSample(strata, request);
  const meta: SampleMeta = {
    format: 'coding-sample',
    version: sampleFormatVersion,
    fraction: request.fraction ?? null,
    size_requested: request.size ?? null,
    size: drawn.size,
    population: drawn.population,
    seed: request.seed,
    by: request.by ?? null,
    method: sampleMethod,
    strata: drawn.allocation,
  };
  return {
    drawn,
    meta,
    unitIds: drawn.units.map((index) => unitIds[index]!),
    docIds: drawn.units.map((index) => docIds[index]!),
  };
}

export function sampleCsvText(
  unitIds: readonly string[],
  docIds: readonly string[],
  strata: readonly string[],
): string {
  return (
    csvLine(sampleHeader) + unitIds.map((id, index) => csvLine([id, docIds[index]!, strata[index]!])).join('')
  );
}

/** The saved sample: its units and how it was drawn; undefined when none was drawn yet. */
export async function readSample(
  workspace: Workspace,
): Promise<{ meta: SampleMeta; unitIds: string[]; text: string } | undefined> {
  const files = samplePaths(workspace);
  if (!(await exists(files.csv))) return undefined;
  const shownMeta = relativeTo(workspace, files.meta);
  if (!(await exists(files.meta))) {
    throw new InputError('the sample has no sidecar file recording how it was drawn', {
      location: { file: shownMeta },
      hint: 'draw the sample again with coding sample --fraction F --seed S (add --force if coders depend on it).',
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(await fs.readFile(files.meta, 'utf8'));
  } catch (error) {
    throw new InputError('the file is not valid JSON', { location: { file: shownMeta }, cause: error });
  }
  const version = (data as { version?: unknown }).version;
  if (version !== sampleFormatVersion)
    throw new InputError(
      `unknown sample format version: expected ${sampleFormatVersion}, received ${String(version)}`,
      { location: { file: shownMeta } },
    );
  const parsed = sampleMetaSchema.safeParse(data);
  if (!parsed.success)
    throw new InputError(`the file is malformed: ${parsed.error.issues[0]?.message}`, {
      location: { file: shownMeta },
    });
  const unitIds: string[] = [];
  let column = -1;
  await scanCsv(files.csv, {
    shownAs: relativeTo(workspace, files.csv),
    onHeader(header) {
      column = header.indexOf('unit_id');
      if (column < 0)
        throw new InputError('no unit_id column', {
          location: { file: relativeTo(workspace, files.csv), line: 1 },
        });
    },
    onRow(fields) {
      unitIds.push(fields[column]!);
    },
  });
  return { meta: parsed.data, unitIds, text: await fs.readFile(files.csv, 'utf8') };
}

/** The size a plan asks for, and how it was set, for the sample's sidecar. */
async function plannedSize(options: SampleOptions): Promise<NonNullable<SampleMeta['plan']>> {
  const result = await plan({ ...options.plan!, cwd: options.cwd, workspace: options.workspace });
  if (result.size === null || result.driver === null)
    throw new InputError(
      'no code can be planned for: none has a prevalence strictly between 0 and 1 so far',
      {
        hint: 'give the expected prevalence of the rarest code: coding sample --plan --prevalence P',
      },
    );
  const driver = result.rows.find((row) => row.drives)!;
  const { parameters } = result;
  return {
    size: result.size,
    driver: result.driver,
    prevalence: driver.prevalence,
    source: result.source,
    method: parameters.method,
    alpha_min: parameters.alphaMin,
    level: parameters.level,
    target: parameters.target,
    half_width: parameters.halfWidth,
  };
}

export async function sample(options: SampleOptions): Promise<SampleResult> {
  if (options.plan !== undefined && (options.fraction !== undefined || options.size !== undefined)) {
    throw new UsageError('give --plan or --fraction/--size, not both', {
      hint: '--plan draws the number of units coding plan gives; --fraction and --size set it yourself',
    });
  }
  const planned = options.plan === undefined ? undefined : await plannedSize(options);
  if (planned === undefined && (options.fraction === undefined) === (options.size === undefined)) {
    throw new UsageError('give the sample size as --fraction F or --size N (one of them)', {
      hint: 'for example: coding sample --fraction 0.2 --seed 2026',
    });
  }
  const workspace = await openWorkspace(options);
  const { meta, unitIds, docIds, drawn } = await computeSample(
    workspace,
    planned === undefined ? options : { ...options, size: planned.size },
  );
  if (planned !== undefined) meta.plan = planned;
  const text = sampleCsvText(unitIds, docIds, drawn.strata);
  const metaText = `${JSON.stringify(meta, null, 2)}\n`;
  const files = samplePaths(workspace);
  const result: SampleResult = { meta, unitIds, written: false, unchanged: false };
  const previous = await readSample(workspace).catch(() => undefined);
  if (previous && previous.text === text && (await fs.readFile(files.meta, 'utf8')) === metaText) {
    result.unchanged = true;
    return result;
  }
  if (options.dryRun) return result;
  // The backups appear together with the new files, or not at all.
  const batch = new AtomicBatch();
  if (previous) {
    const dependents = await dependentCoders(workspace, new Set(previous.unitIds));
    if (dependents.length > 0 && !options.force) {
      throw new InputError(
        `a sample exists already and ${dependents.join(', ')} ha${dependents.length === 1 ? 's' : 've'} coded its units`,
        {
          location: { file: relativeTo(workspace, files.csv) },
          hint: 'replacing it would change which units are double-coded; run again with --force to replace it (the old sample is kept in annotations/.backup/).',
        },
      );
    }
    const backupFolder = path.join(workspace.paths.annotations, '.backup');
    const csvBackup = await backupPath(files.csv, backupFolder);
    batch.addCopy(files.csv, csvBackup);
    batch.addCopy(files.meta, await backupPath(files.meta, backupFolder));
    result.backup = relativeTo(workspace, csvBackup);
  }
  batch.add(files.csv, text);
  batch.add(files.meta, metaText);
  await batch.commit();
  result.written = true;
  return result;
}

/** Coders other than the primary one whose annotations include units of the sample. */
async function dependentCoders(workspace: Workspace, sampled: ReadonlySet<string>): Promise<string[]> {
  const coders = await codersWithAnnotationsIn(workspace);
  const dependents: string[] = [];
  for (const coder of coders) {
    if (coder === workspace.config.coders.primary) continue;
    let uses = false;
    let column = 0;
    await scanCsv(path.join(workspace.paths.annotations, `${coder}.csv`), {
      onHeader(header) {
        column = Math.max(0, header.indexOf('unit_id'));
      },
      onRow(fields) {
        if (!uses && sampled.has(fields[column]!)) uses = true;
      },
    });
    if (uses) dependents.push(coder);
  }
  return dependents;
}
