/** The units of a study's corpus with their text and language, streamed, for the machine coders. */
import { sliceCodePoints } from '../../core/segment.js';
import { InputError } from '../../errors.js';
import { corpusPaths, readDocuments, readUnits } from '../../io/corpus-store.js';
import type { DocumentRecord } from '../../schema/corpus.js';
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
  const paths = corpusPaths(study.workspace.paths.corpus);
  const fallback = study.workspace.config.segmentation.language;
  const documents = readDocuments(paths);
  let current: DocumentRecord | undefined;
  let unitIndex = 0;
  try {
    for await (const unit of readUnits(paths)) {
      while (current?.id !== unit.docId) {
        const next = await documents.next();
        if (next.done)
          throw new InputError(
            `the unit index refers to document "${unit.docId}", which is not in documents.jsonl`,
            { location: { file: paths.units } },
          );
        current = next.value;
      }
      yield {
        unitIndex: unitIndex++,
        unitId: unit.id,
        docId: unit.docId,
        text: sliceCodePoints(current.text, unit.start, unit.end),
        language: current.language ?? fallback,
      };
    }
  } finally {
    await documents.return(undefined);
  }
}
