/**
 * The coders' annotations an analysis command works on: from the workspace (annotations/<coder>.csv,
 * checked against its corpus and codebook), or from explicit files (`--annotations FILE…`, `-` for
 * stdin) with a codebook (`--codebook FILE`), a list of codes (`--codes a,b,c`), or the codes found.
 */
import path from 'node:path';
import { type CodebookModel, modelFromCodeList } from '../core/codebook.js';
import { packKey, unpackKey } from '../core/codings.js';
import { didYouMean } from '../core/suggest.js';
import { GrowingUnitIndex, type UnitIndex } from '../core/units.js';
import { type Finding, InputError, UsageError } from '../errors.js';
import { type CoderCodings, readCodings } from '../io/annotations.js';
import { readCodebook } from '../io/codebook.js';
import { codersWithAnnotations, loadCoder, openStudy, type Study } from './study.js';

export interface AnnotationSetOptions {
  cwd: string;
  workspace?: string | undefined;
  /** Explicit annotation files; when absent, the workspace's. */
  annotations?: string[] | undefined;
  codebook?: string | undefined;
  codes?: string[] | undefined;
  coders?: string[] | undefined;
  delimiter?: string | undefined;
  /** At least this many coders (2 for agreement). */
  minimumCoders?: number;
}

export interface AnnotationSet {
  coders: string[];
  byCoder: Map<string, CoderCodings>;
  units: UnitIndex;
  codebook: CodebookModel;
  study?: Study;
  warnings: Finding[];
}

export async function loadAnnotationSet(options: AnnotationSetOptions): Promise<AnnotationSet> {
  if (options.codebook !== undefined && options.codes !== undefined)
    throw new UsageError('give --codebook or --codes, not both');
  const set =
    options.annotations === undefined || options.annotations.length === 0
      ? await fromWorkspace(options)
      : await fromFiles(options);
  const minimum = options.minimumCoders ?? 2;
  if (set.coders.length < minimum) {
    throw new InputError(
      set.coders.length === 0
        ? "there are no coders' annotations"
        : `only one coder (${set.coders[0]}): agreement needs at least ${minimum} coders`,
      {
        hint: "import a second coder's work with coding import --coder NAME FILE, or name the coders with --coders A,B.",
      },
    );
  }
  return set;
}

async function fromWorkspace(options: AnnotationSetOptions): Promise<AnnotationSet> {
  if (options.codes !== undefined)
    throw new UsageError(
      '--codes goes with --annotations FILE (inside a workspace the codebook defines the codes)',
    );
  const study = await openStudy(options);
  const available = await codersWithAnnotations(study);
  let coders =
    options.coders ?? study.workspace.config.coders.names.filter((name) => available.includes(name));
  if (options.coders === undefined && coders.length < 2) coders = available;
  const warnings: Finding[] = [];
  const byCoder = new Map<string, CoderCodings>();
  for (const coder of coders) {
    if (!available.includes(coder)) {
      throw new UsageError(
        `coder "${coder}" has no annotations in this workspace${didYouMean(coder, available)}`,
        {
          hint:
            available.length > 0
              ? `coders with annotations: ${available.join(', ')}`
              : `import a coder's work with: coding import --coder ${coder} FILE`,
        },
      );
    }
    const loaded = (await loadCoder(study, coder))!;
    warnings.push(...loaded.warnings);
    byCoder.set(coder, { codings: loaded.codings, memos: loaded.memos });
  }
  return { coders, byCoder, units: study.units, codebook: study.codebook, study, warnings };
}

async function fromFiles(options: AnnotationSetOptions): Promise<AnnotationSet> {
  let codebook: CodebookModel;
  let discovered: string[] | undefined;
  if (options.codebook !== undefined) {
    codebook = (await readCodebook(path.resolve(options.cwd, options.codebook), options.codebook)).model;
  } else if (options.codes !== undefined) {
    const duplicates = options.codes.filter((code, index) => options.codes!.indexOf(code) !== index);
    if (duplicates.length > 0) throw new UsageError(`--codes names ${duplicates[0]} twice`);
    codebook = modelFromCodeList(options.codes);
  } else {
    discovered = [];
    codebook = modelFromCodeList([]);
  }
  const discoveredIndex = new Map<string, number>();
  const discover = discovered
    ? (id: string): number => {
        let index = discoveredIndex.get(id);
        if (index === undefined) {
          index = discovered!.length;
          discovered!.push(id);
          discoveredIndex.set(id, index);
        }
        return index;
      }
    : undefined;
  const units = new GrowingUnitIndex();
  const byCoder = new Map<string, CoderCodings>();
  const findings: Finding[] = [];
  for (const file of options.annotations!) {
    const shownAs = file === '-' ? '<stdin>' : file;
    const defaultCoder = file === '-' ? 'stdin' : path.basename(file, path.extname(file));
    const read = await readCodings({
      file: file === '-' ? '-' : path.resolve(options.cwd, file),
      shownAs,
      delimiter: options.delimiter,
      units,
      codebook,
      coder: defaultCoder,
      discoverCodes: discover,
    });
    findings.push(...read.findings);
    for (const [coder, codings] of read.byCoder) {
      if (byCoder.has(coder)) {
        throw new InputError(`coder "${coder}" appears in more than one file`, {
          location: { file: shownAs },
          hint: "give each coder's work once.",
        });
      }
      byCoder.set(coder, codings);
    }
  }
  if (findings.length > 0) {
    throw new InputError(
      `the annotations do not match the ${options.codebook ? 'codebook' : options.codes ? 'codes given' : 'expected format'}`,
      { findings },
    );
  }
  if (discovered) ({ codebook } = sortDiscovered(discovered, byCoder));
  const available = [...byCoder.keys()];
  let coders = available;
  if (options.coders !== undefined) {
    for (const coder of options.coders) {
      if (!byCoder.has(coder)) {
        throw new UsageError(`coder "${coder}" is not in the annotations${didYouMean(coder, available)}`, {
          hint: `the coders are ${available.join(', ')}`,
        });
      }
    }
    coders = options.coders;
  }
  return { coders, byCoder, units, codebook, warnings: [] };
}

/** Codes found in files get a codebook of their own, sorted by id; the codings are renumbered to match. */
function sortDiscovered(
  discovered: string[],
  byCoder: Map<string, CoderCodings>,
): { codebook: CodebookModel } {
  const sorted = [...discovered].sort();
  const position = new Map(sorted.map((id, index) => [id, index]));
  const newIndex = Int32Array.from(discovered, (id) => position.get(id)!);
  const codebook = modelFromCodeList(sorted);
  for (const [coder, { codings, memos }] of byCoder) {
    const renumbered = new Map<number, string>();
    for (const [key, memo] of memos) {
      const { unitIndex, codeIndex } = unpackKey(key);
      renumbered.set(packKey(unitIndex, codeIndex < 0 ? -1 : newIndex[codeIndex]!), memo);
    }
    byCoder.set(coder, { codings: codings.withCodesRenumbered(newIndex), memos: renumbered });
  }
  return { codebook };
}
