/**
 * The LLM coder's view of the corpus: every unit with its context (the units around it in the same
 * document), and the cache key of its answer in each run.
 */
import { cacheKey, type PromptUnit, promptTemplateHash } from '../../core/autocode/llm-prompt.js';
import type { Study } from '../study.js';
import { unitTexts } from './units.js';

export interface PromptedUnit extends PromptUnit {
  unitIndex: number;
  unitId: string;
}

/** Every unit in corpus order, with `context` units before and after it from its own document. */
export async function promptedUnits(study: Study, context: number): Promise<PromptedUnit[]> {
  const result: PromptedUnit[] = [];
  let documentUnits: Array<{ unitIndex: number; unitId: string; text: string }> = [];
  let documentId: string | undefined;
  const flush = (): void => {
    documentUnits.forEach((unit, position) => {
      result.push({
        ...unit,
        before: documentUnits.slice(Math.max(0, position - context), position).map((other) => other.text),
        after: documentUnits.slice(position + 1, position + 1 + context).map((other) => other.text),
      });
    });
    documentUnits = [];
  };
  for await (const unit of unitTexts(study)) {
    if (unit.docId !== documentId) {
      flush();
      documentId = unit.docId;
    }
    documentUnits.push({ unitIndex: unit.unitIndex, unitId: unit.unitId, text: unit.text });
  }
  flush();
  return result;
}

/** What, besides the unit, decides an answer of one run. */
export interface RunSettings {
  model: string;
  temperature: number;
  /** The seed sent with this run's requests. */
  seed: number;
  run: number;
}

export function unitKey(study: Study, unit: PromptUnit, settings: RunSettings): string {
  return cacheKey({
    model: settings.model,
    templateHash: promptTemplateHash,
    codebookHash: study.codebook.hash,
    unit,
    run: settings.run,
    temperature: settings.temperature,
    seed: settings.seed,
  });
}
