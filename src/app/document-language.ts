/**
 * The language of each imported document, which chooses its sentence rules: the document's own
 * (front matter, a table column, a PDF's, Word file's or web page's declared language), else
 * `--language`, else `segmentation.language` of coding.yaml; when that is `auto` (the default),
 * detected from the text with tinyld (a small n-gram detector, pure JavaScript, no dependencies,
 * loaded only when a language has to be detected). A detected language is recorded as the
 * document's `language` with the attribute `language_detected: "true"`, so that it can be told
 * from a declared one and corrected (give `language` in front matter or `--language`).
 */
import type { DocumentInput, RawMetadata } from '../core/documents.js';

/** How much of a text is looked at: the first 10,000 characters say which language it is. */
const sample = 10_000;

export interface LanguageChoice {
  language?: string;
  /** true: detected from the text; false: declared (by the document, a flag or coding.yaml). */
  detected: boolean;
}

/**
 * The ISO 639-1 code of the language of a text, or undefined when the detector is not sure (a
 * short or mixed text).
 * @example await detectLanguage('La presidenta dijo que la revisión del tratado va muy bien.') // 'es'
 */
export async function detectLanguage(text: string): Promise<string | undefined> {
  const { detect } = await import('tinyld');
  const found = detect(text.slice(0, sample));
  return found === '' ? undefined : found;
}

/**
 * Settle the language of a document read from a file (not a table row: a statement of one line is
 * too short to tell, and a million rows would take long): when neither the document nor the command
 * line gives one and coding.yaml says `auto`, detect it and record it in the document's metadata.
 */
export async function settleLanguage(
  input: DocumentInput,
  defaults: RawMetadata,
  configured: string,
): Promise<LanguageChoice> {
  const own = input.metadata['language'] || defaults['language'];
  if (own) return { language: own, detected: false };
  if (configured.trim().toLowerCase() !== 'auto') return { language: configured, detected: false };
  const language = await detectLanguage(input.text);
  if (language === undefined) return { detected: true };
  input.metadata['language'] = language;
  input.metadata['language_detected'] = 'true';
  return { language, detected: true };
}
