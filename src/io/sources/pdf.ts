/**
 * PDF documents: the text layer, read with Mozilla's pdf.js (`pdfjs-dist`, the legacy build that
 * runs on Node 20), loaded only when a PDF is imported. Text items become lines, lines become
 * paragraphs (src/core/page-text.ts), and each page's start is kept so units can be cited with
 * their page. A PDF without a text layer (a scan) and an encrypted PDF are refused.
 */
import { type PagedText, type PageLine, pagedText } from '../../core/page-text.js';
import { InputError } from '../../errors.js';

export interface PdfContent extends PagedText {
  pages: number;
  /** Title, author, language and creation date from the document information dictionary. */
  info: { title?: string; author?: string; language?: string; created?: string };
}

interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  height: number;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const notPdfHint = 'check that the file is a PDF; a PDF starts with "%PDF-" and ends with "%%EOF".';

/** Refuse what is not a whole PDF before pdf.js, which repairs damaged files silently. */
function checkEnvelope(bytes: Uint8Array, shownAs: string): void {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) {
    throw new InputError('this is not a PDF (it does not start with "%PDF-")', {
      location: { file: shownAs },
      hint: notPdfHint,
    });
  }
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  if (!tail.includes('%%EOF')) {
    throw new InputError('the PDF is truncated: it does not end with "%%EOF"', {
      location: { file: shownAs },
      hint: 'the file was cut off (an interrupted download or copy); get the whole file again.',
    });
  }
}

/** The lines of one page's text items, in the order of the text layer. */
function linesOf(items: readonly TextItem[]): PageLine[] {
  const lines: PageLine[] = [];
  let text = '';
  let y = 0;
  let size = 0;
  let open = false;
  const close = (): void => {
    if (open && text.trim() !== '') lines.push({ text, y, size });
    text = '';
    open = false;
  };
  for (const item of items) {
    const itemY = item.transform[5]!;
    const itemSize = Math.abs(item.height) || Math.hypot(item.transform[2]!, item.transform[3]!);
    if (item.str !== '') {
      if (open && Math.abs(itemY - y) > Math.max(size, itemSize) * 0.5) close();
      if (!open) {
        y = itemY;
        size = itemSize;
        open = true;
      }
      text += item.str;
      size = Math.max(size, itemSize);
    }
    if (item.hasEOL) close();
  }
  close();
  return lines;
}

/** pdf.js date "D:20260127143000Z" → "2026-01-27T14:30:00Z" (or the date alone). */
function pdfDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^D:(\d{4})(\d{2})?(\d{2})?/.exec(value);
  if (!match) return undefined;
  return [match[1], match[2], match[3]].filter((part) => part !== undefined).join('-');
}

function infoText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The text of a PDF, page by page.
 * @throws InputError for a file that is not a PDF, is truncated, encrypted, damaged, or has no text layer
 */
export async function readPdf(bytes: Uint8Array, shownAs: string): Promise<PdfContent> {
  checkEnvelope(bytes, shownAs);
  const pdfjs: PdfJs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const where = { location: { file: shownAs } };
  let document: Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
  try {
    document = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: true,
      verbosity: 0,
    }).promise;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') {
      throw new InputError('the PDF is encrypted with a password; refused', {
        ...where,
        hint: 'open it with its password and save an unencrypted copy (for example: qpdf --decrypt --password=… in.pdf out.pdf), then import that.',
      });
    }
    throw new InputError(`the PDF cannot be read: ${(error as Error).message}`, {
      ...where,
      hint: 'the file is damaged or not a PDF; save or download it again.',
    });
  }
  try {
    const metadata = await document.getMetadata();
    const info = metadata.info as Record<string, unknown>;
    if (info['EncryptFilterName'] !== null && info['EncryptFilterName'] !== undefined) {
      throw new InputError('the PDF is encrypted; refused', {
        ...where,
        hint: 'save an unencrypted copy (for example: qpdf --decrypt in.pdf out.pdf), then import that.',
      });
    }
    const pages: PageLine[][] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      pages.push(linesOf(content.items.filter((item) => 'str' in item) as TextItem[]));
      page.cleanup();
    }
    if (pages.every((lines) => lines.length === 0)) {
      throw new InputError(
        `the PDF has no text layer (${document.numPages} page${document.numPages === 1 ? '' : 's'} of images): it looks like a scan`,
        {
          ...where,
          hint: 'run OCR on it first (for example: ocrmypdf -l spa+eng in.pdf out.pdf) and import the result.',
        },
      );
    }
    const laidOut = pagedText(pages);
    const title = infoText(info['Title']);
    const author = infoText(info['Author']);
    const language = infoText(info['Language']);
    const created = pdfDate(info['CreationDate']);
    return {
      ...laidOut,
      pages: document.numPages,
      info: {
        ...(title ? { title } : {}),
        ...(author ? { author } : {}),
        ...(language ? { language } : {}),
        ...(created ? { created } : {}),
      },
    };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`the PDF cannot be read: ${(error as Error).message}`, {
      ...where,
      hint: 'the file is damaged; save or download it again.',
    });
  } finally {
    await document.destroy();
  }
}
