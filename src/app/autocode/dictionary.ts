/**
 * `coding autocode --method dictionary --as NAME`: code every unit with the `patterns` of the
 * codebook. Every unit is reviewed: a unit that no pattern matches is "reviewed, no code".
 */
import { codebookPatterns, exclusiveGroups, patternsHash } from '../../core/autocode/codebook-patterns.js';
import { Dictionary, type DictionaryMatch, resolveExclusive } from '../../core/autocode/dictionary.js';
import { Codings, packKey } from '../../core/codings.js';
import { InputError } from '../../errors.js';
import { openStudy, relativeTo } from '../study.js';
import { checkMachineCoder, type MachineCoderSink, machineCoderFiles, writeMachineCoder } from './store.js';
import { unitTexts } from './units.js';

export interface DictionaryOptions {
  cwd: string;
  workspace?: string | undefined;
  coder: string;
  ignoreAccents: boolean;
  /** Where the output goes (default: written to the workspace; `coding reproduce` compares instead). */
  sink?: MachineCoderSink | undefined;
}

export interface DictionaryResult {
  coder: string;
  file: string;
  backup?: string | undefined;
  units: number;
  /** Units that got at least one code. */
  codedUnits: number;
  /** Code id → units given the code, for every code that has patterns, in codebook order. */
  perCode: Array<{ code: string; units: number }>;
  /** Units where an exclusive category matched more than one code (the first in codebook order was kept). */
  exclusiveConflicts: number;
}

function memoOf(
  match: DictionaryMatch,
  dropped: readonly DictionaryMatch[] | undefined,
  ids: string[],
): string {
  const base = `dictionary: ${match.pattern} → "${match.matched}"`;
  if (!dropped || dropped.length === 0) return base;
  return `${base}; also matched ${dropped.map((other) => ids[other.codeIndex]).join(', ')} (exclusive category: the first code kept)`;
}

export async function autocodeDictionary(options: DictionaryOptions): Promise<DictionaryResult> {
  const study = await openStudy(options);
  const patterns = codebookPatterns(study.codebook);
  if (patterns.length === 0)
    throw new InputError(`no code of ${study.codebookFile} has patterns`, {
      location: { file: study.codebookFile },
      hint: 'add `patterns:` to the codes the dictionary coder should find, e.g. patterns: {en: ["tariff*"], es: ["arancel*"]}.',
    });
  await checkMachineCoder(study, options.coder, 'dictionary');
  const dictionary = new Dictionary(patterns, { ignoreAccents: options.ignoreAccents });
  const groups = exclusiveGroups(study.codebook);
  const ids = study.codebook.codes.map((code) => code.id);
  const keys: number[] = [];
  const memos = new Map<number, string>();
  const memoTexts = new Map<string, string>();
  const perCode = new Map<number, number>(patterns.map((code) => [code.codeIndex, 0]));
  let units = 0;
  let codedUnits = 0;
  let exclusiveConflicts = 0;
  for await (const unit of unitTexts(study)) {
    units++;
    const { kept, dropped } = resolveExclusive(dictionary.match(unit.text, unit.language), groups);
    if (dropped.size > 0) exclusiveConflicts++;
    if (kept.length === 0) {
      keys.push(packKey(unit.unitIndex, -1));
      continue;
    }
    codedUnits++;
    for (const match of kept) {
      const key = packKey(unit.unitIndex, match.codeIndex);
      keys.push(key);
      // The same pattern matches the same words again and again: one string per distinct memo.
      const memo = memoOf(match, dropped.get(match.codeIndex), ids);
      let shared = memoTexts.get(memo);
      if (shared === undefined) {
        shared = memo;
        if (memoTexts.size < 100_000) memoTexts.set(memo, memo);
      }
      memos.set(key, shared);
      perCode.set(match.codeIndex, perCode.get(match.codeIndex)! + 1);
    }
  }
  const codings = Codings.fromSortedKeys(Float64Array.from(keys));
  const backup = await (options.sink ?? writeMachineCoder)(study, {
    coder: options.coder,
    codings,
    memos,
    record: {
      coder: options.coder,
      method: 'dictionary',
      codebook: study.codebookFile,
      codebook_hash: study.codebook.hash,
      patterns_hash: patternsHash(study.codebook, patterns),
      parameters: { ignore_accents: options.ignoreAccents, codes_with_patterns: patterns.length },
      units,
      coded_units: codedUnits,
      exclusive_conflicts: exclusiveConflicts,
    },
  });
  return {
    coder: options.coder,
    file: relativeTo(
      study.workspace,
      machineCoderFiles(study.workspace.paths.annotations, options.coder).csv,
    ),
    backup,
    units,
    codedUnits,
    perCode: [...perCode].map(([codeIndex, count]) => ({ code: ids[codeIndex]!, units: count })),
    exclusiveConflicts,
  };
}
