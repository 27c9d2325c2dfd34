/** The units of a study's corpus with their text and language, streamed, for the machine coders. */
import { sliceCodePoints } from '../../core/segment.js';
import { corpusPaths } from '../../io/corpus-store.js';
import { unitsWithDocuments } from '../../io/corpus-walk.js';
import type { Study } from '../study.js';

export interface UnitText {
  /** Position of the unit in the corpus (the index of the study's unit index). */
  unitIndex: number;
  unitId: string;
  docId: string;
  text: string;
  /** The document's `language`, else `segmentation.language` of coding.yaml. */
  language: string;
}

/**
 * Every unit with its text, in corpus order (documents and units are stored in the same order, so
 * one pass over each file suffices and only one document's text is held at a time).
 */
export async function* unitTexts(study: Study): AsyncGenerator<UnitText> {
  const fallback = study.workspace.config.segmentation.language;
  let unitIndex = 0;
  for await (const { unit, document } of unitsWithDocuments(corpusPaths(study.workspace.paths.corpus)))
    yield {
      unitIndex: unitIndex++,
      unitId: unit.id,
      docId: unit.docId,
      text: sliceCodePoints(document.text, unit.start, unit.end),
      language: document.language ?? fallback,
    };
}
