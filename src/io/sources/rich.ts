/**
 * PDF, Word and saved web pages as documents to import. Each format's module (and its library) is
 * loaded only when a file of that format is imported, so other commands start as fast as before.
 * The file's own metadata (title, author, date, URL, language) is the document's, and wins over
 * the command line's flags, as front matter does; the author goes to the attribute `author`, the
 * creation date of a PDF or Word file to the attribute `created` (the date of a file is seldom the
 * date of the statement it holds), the publication date of a web page to `date`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type DocumentInput, type RawMetadata, slugify } from '../../core/documents.js';
import type { UnitKind } from '../../schema/config.js';
import type { SourceFile } from '../sources.js';
import { decodeText, normaliseText } from '../text.js';

export type RichFormat = 'pdf' | 'docx' | 'html';

/** What the import summary says of a PDF, Word or web page file. */
export interface SourceNote {
  file: string;
  id: string;
  format: RichFormat | 'text';
  /** The language that chose the sentence rules, and whether it was detected from the text. */
  language?: string;
  languageDetected?: boolean;
  /** PDF: pages read, and running header or footer lines removed. */
  pages?: number;
  repeatedLinesRemoved?: number;
}

export function richFormat(file: string): RichFormat | undefined {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.pdf') return 'pdf';
  if (extension === '.docx') return 'docx';
  if (extension === '.html' || extension === '.htm') return 'html';
  return undefined;
}

function put(metadata: RawMetadata, key: string, value: string | undefined): void {
  if (value !== undefined && value.trim() !== '')
    metadata[key] = normaliseText(value.replace(/\s+/g, ' ').trim());
}

/**
 * Read a PDF, Word or web page file as a document.
 * @throws InputError for a damaged, encrypted or scanned PDF, a file that is not a Word document, a ZIP bomb, a page without main text
 */
export async function readRichSource(
  source: SourceFile,
  unit: UnitKind,
): Promise<{ input: DocumentInput; note: SourceNote }> {
  const format = richFormat(source.file)!;
  const id = slugify(path.basename(source.file, path.extname(source.file)));
  const metadata: RawMetadata = {};
  let text: string;
  let pages: number[] | undefined;
  const note: SourceNote = { file: source.shownAs, id, format };
  if (format === 'pdf') {
    const { readPdf } = await import('./pdf.js');
    const content = await readPdf(await fs.readFile(source.file), source.shownAs);
    text = content.text;
    pages = content.pageStarts;
    note.pages = content.pages;
    note.repeatedLinesRemoved = content.repeatedLinesRemoved;
    put(metadata, 'title', content.info.title);
    put(metadata, 'author', content.info.author);
    put(metadata, 'created', content.info.created);
    put(metadata, 'language', content.info.language);
  } else if (format === 'docx') {
    const { readDocx } = await import('./docx.js');
    const content = await readDocx(source.file, source.shownAs);
    text = normaliseText(content.text);
    put(metadata, 'title', content.info.title);
    put(metadata, 'author', content.info.author);
    put(metadata, 'created', content.info.created);
    put(metadata, 'language', content.info.language);
  } else {
    const { readHtml } = await import('./html.js');
    const content = await readHtml(
      decodeText(await fs.readFile(source.file), source.shownAs),
      source.shownAs,
    );
    text = normaliseText(content.text);
    put(metadata, 'title', content.info.title);
    put(metadata, 'author', content.info.author);
    put(metadata, 'date', content.info.date);
    put(metadata, 'url', content.info.url);
    put(metadata, 'language', content.info.language);
    put(metadata, 'source', content.info.source);
  }
  const input: DocumentInput = {
    id,
    text,
    location: { file: source.shownAs },
    origin: source.shownAs,
    metadata,
    unit,
    ...(pages === undefined ? {} : { pages }),
  };
  return { input, note };
}
