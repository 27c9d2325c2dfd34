/**
 * `coding sheet`: a coding sheet for coders who work in a spreadsheet — one row per unit with its
 * text and the sentence before and after, one column per code to mark, a `none` column for
 * "reviewed, no code applies", and a memo column. Filled in, it goes back with
 * `coding import --coder NAME FILE`.
 */
import path from 'node:path';
import { packKey } from '../core/codings.js';
import { CodePointIndex } from '../core/segmenter.js';
import { InputError } from '../errors.js';
import { exists, writeFileAtomic } from '../io/atomic.js';
import { corpusPaths, loadCorpus } from '../io/corpus-store.js';
import { type CsvCell, toCsv } from '../io/csv-write.js';
import { readSample } from './sample.js';
import { checkCoderName, loadCoder, openStudy } from './study.js';

export interface SheetOptions {
  cwd: string;
  workspace?: string | undefined;
  coder: string;
  sample: boolean;
  uncoded: boolean;
  output?: string | undefined;
  force: boolean;
  bom: boolean;
  delimiter?: string | undefined;
}

export interface SheetResult {
  text: string;
  rows: number;
  output?: string;
}

export async function makeSheet(options: SheetOptions): Promise<SheetResult> {
  checkCoderName(options.coder);
  const study = await openStudy(options);
  let outputFile: string | undefined;
  if (options.output !== undefined && options.output !== '-') {
    outputFile = path.resolve(options.cwd, options.output);
    if ((await exists(outputFile)) && !options.force) {
      throw new InputError(`${options.output} exists already`, {
        hint: 'choose another file name, or pass --force to overwrite it.',
      });
    }
  }
  const corpus = await loadCorpus(corpusPaths(study.workspace.paths.corpus));
  let selected: Set<string> | undefined;
  if (options.sample) {
    const drawn = await readSample(study.workspace);
    if (!drawn)
      throw new InputError('there is no sample yet', {
        hint: 'draw one first: coding sample --fraction 0.2 --seed N',
      });
    selected = new Set(drawn.unitIds);
  }
  const existing = await loadCoder(study, options.coder, { required: false });
  const { codes } = study.codebook;
  const header = [
    'unit_id',
    'doc_id',
    'actor',
    'date',
    'context_before',
    'text',
    'context_after',
    ...codes.map((code) => `${code.id} (${code.label})`),
    'none',
    'memo',
  ];
  const rows: CsvCell[][] = [];
  for (const document of corpus.documents) {
    const units = corpus.unitsByDocument.get(document.id) ?? [];
    const codePoints = new CodePointIndex(document.text);
    const texts = units.map((unit) => codePoints.slice(unit.start, unit.end));
    for (const [position, unit] of units.entries()) {
      if (selected && !selected.has(unit.id)) continue;
      const unitIndex = study.units.indexOf(unit.id);
      const given = existing?.codings.codesOf(unitIndex);
      if (options.uncoded && given !== undefined) continue;
      const marks = codes.map((code) => (given?.includes(code.index) ? '1' : ''));
      const none = given !== undefined && given.length === 0 ? '1' : '';
      const memoKeys =
        given === undefined
          ? []
          : given.length === 0
            ? [packKey(unitIndex, -1)]
            : [...given].map((code) => packKey(unitIndex, code));
      const memo = memoKeys
        .map((key) => existing?.memos.get(key) ?? '')
        .filter((text) => text !== '')
        .join(' ');
      rows.push([
        unit.id,
        document.id,
        document.actor ?? '',
        document.date ?? '',
        texts[position - 1] ?? '',
        texts[position]!,
        texts[position + 1] ?? '',
        ...marks,
        none,
        memo,
      ]);
    }
  }
  const text = toCsv(header, rows, {
    neutraliseFormulas: true,
    bom: options.bom,
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
  });
  if (outputFile) await writeFileAtomic(outputFile, text);
  return { text, rows: rows.length, ...(outputFile ? { output: options.output! } : {}) };
}
