/**
 * From the positioned text lines of a paged document (a PDF's text layer) to the text of the
 * document: running headers and footers removed, lines joined into paragraphs, words broken by an
 * end-of-line hyphen joined, ligatures and presentation forms normalised; with the offset at which
 * each page starts, so that each unit can be cited with its page.
 */

/** One line of text on a page, top to bottom in reading order. */
export interface PageLine {
  text: string;
  /** Baseline from the bottom of the page (PDF user space: larger is higher). */
  y: number;
  /** Font size (height of the text). */
  size: number;
}

export interface PagedText {
  /** Paragraphs separated by a blank line, in NFC (ligatures and presentation forms by NFKC). */
  text: string;
  /** Code point offset in `text` at which page i + 1 starts (a page without text starts where the next one does). */
  pageStarts: number[];
  /** Lines removed as running headers or footers (repeated page tops and bottoms, page numbers). */
  repeatedLinesRemoved: number;
}

/**
 * Ligatures (U+FB00–FB06, "ﬁ" → "fi"), other alphabetic and Arabic presentation forms and
 * half-width forms are decomposed by NFKC; everything else only composed by NFC, so that
 * superscripts, "½" or "™" stay as written.
 * @example normaliseLigatures('e\uFB03cient') // 'efficient'
 */
export function normaliseLigatures(text: string): string {
  return text
    .replace(/[\uFB00-\uFDFF\uFE70-\uFEFE\uFF61-\uFFDC]/g, (character) => character.normalize('NFKC'))
    .replace(/\u00AD/g, '')
    .normalize('NFC');
}

/** A line as compared across pages: white space collapsed, digits (page numbers, dates) as "#". */
function repeatKey(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\d+/g, '#').toLowerCase();
}

/** A line that is only a page number: "3", "- 3 -", "Page 3 of 9", "Página 3", "3/9", "p. 3". */
const pageNumberLine =
  /^[\s\-–—]*(?:(?:page|página|pagina|pág\.?|p\.|seite|pag\.?)\s*)?\d+(?:\s*(?:of|de|\/|sur|von)\s*\d+)?[\s\-–—]*$/iu;

/** How many lines at the top and at the bottom of a page may be running headers or footers. */
const edgeLines = 2;

/** Mark the lines that repeat at the top or bottom of pages, and page-number lines there. */
function runningLines(pages: readonly PageLine[][]): Set<string> {
  const removed = new Set<string>();
  if (pages.length < 2) return removed;
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const keys = new Set<string>();
    for (const line of edges(lines)) keys.add(repeatKey(line.text));
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const needed = Math.max(2, Math.ceil(pages.length / 2));
  pages.forEach((lines, page) => {
    for (const line of edges(lines)) {
      const key = repeatKey(line.text);
      if (key !== '' && ((counts.get(key) ?? 0) >= needed || pageNumberLine.test(line.text))) {
        removed.add(`${page}:${lines.indexOf(line)}`);
      }
    }
  });
  return removed;
}

function edges(lines: readonly PageLine[]): PageLine[] {
  if (lines.length <= edgeLines * 2) return [...lines];
  return [...lines.slice(0, edgeLines), ...lines.slice(-edgeLines)];
}

/** The lower quartile: the usual step between lines of a paragraph, even when paragraphs are short. */
function lowerQuartile(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 4)]!;
}

/** Join a line to the paragraph so far: a word broken by an end-of-line hyphen is joined. */
function joinLine(paragraph: string, line: string): string {
  if (paragraph === '') return line;
  if (/\p{Ll}[-\u2010]$/u.test(paragraph) && /^\p{Ll}/u.test(line)) return paragraph.slice(0, -1) + line;
  if (/[-\u2010\u00AD]$/u.test(paragraph)) return paragraph.replace(/\u00AD$/u, '') + line;
  return `${paragraph} ${line}`;
}

/** Whether a paragraph ends like a finished sentence (so the next page starts a new one). */
function endsParagraph(text: string): boolean {
  return /[.!?:;…"»”’)\]]$/u.test(text.trimEnd());
}

/**
 * Lay out the pages' lines as paragraphs. A new paragraph starts where the gap between two lines is
 * larger than 1.4 times the document's usual line step (the lower quartile of the steps), or the font size changes; a paragraph goes
 * on across a page break when the page ends without a full stop and the next starts in lower case.
 */
export function pagedText(pages: readonly PageLine[][]): PagedText {
  const running = runningLines(pages);
  const kept = pages.map((lines, page) =>
    lines
      .filter((_line, index) => !running.has(`${page}:${index}`))
      .map((line) => ({ ...line, text: normaliseLigatures(line.text).replace(/\s+/g, ' ').trim() }))
      .filter((line) => line.text !== ''),
  );
  const steps: number[] = [];
  for (const lines of kept) {
    for (let index = 1; index < lines.length; index++) {
      const step = lines[index - 1]!.y - lines[index]!.y;
      if (step > 0) steps.push(step);
    }
  }
  const usualStep = lowerQuartile(steps);
  const paragraphs: string[] = [];
  /** Per page, the paragraph index and the length of that paragraph when the page began. */
  const pageAnchors: Array<{ paragraph: number; at: number } | undefined> = [];
  let current = '';
  kept.forEach((lines, page) => {
    lines.forEach((line, index) => {
      const previous = index > 0 ? lines[index - 1] : undefined;
      let newParagraph: boolean;
      if (previous === undefined) {
        newParagraph = current === '' || endsParagraph(current) || !/^\p{Ll}/u.test(line.text);
      } else {
        const step = previous.y - line.y;
        newParagraph =
          step <= 0 ||
          (usualStep > 0 && step > usualStep * 1.4) ||
          Math.abs(previous.size - line.size) > Math.max(previous.size, line.size) * 0.1;
      }
      if (newParagraph && current !== '') {
        paragraphs.push(current);
        current = '';
      }
      if (index === 0) {
        pageAnchors[page] = { paragraph: paragraphs.length, at: current === '' ? 0 : current.length + 1 };
      }
      current = joinLine(current, line.text);
    });
  });
  if (current !== '') paragraphs.push(current);

  // Offsets: each paragraph's start in the text (paragraphs joined by "\n\n"), in code points.
  const starts: number[] = [];
  let offset = 0;
  for (const paragraph of paragraphs) {
    starts.push(offset);
    offset += [...paragraph].length + 2;
  }
  const text = paragraphs.join('\n\n');
  const total = [...text].length;
  const pageStarts: number[] = new Array(pages.length).fill(total);
  for (let page = pages.length - 1; page >= 0; page--) {
    const anchor = pageAnchors[page];
    if (anchor === undefined) {
      pageStarts[page] = page + 1 < pages.length ? pageStarts[page + 1]! : total;
      continue;
    }
    const paragraph = paragraphs[anchor.paragraph];
    const prefix = paragraph === undefined ? 0 : [...paragraph.slice(0, anchor.at)].length;
    pageStarts[page] = anchor.paragraph < starts.length ? starts[anchor.paragraph]! + prefix : total;
  }
  if (pageStarts.length > 0) pageStarts[0] = 0;
  return { text, pageStarts, repeatedLinesRemoved: running.size };
}

/**
 * The page (1-based) on which a unit starting at a code point offset lies.
 * @example pageOf([0, 120, 300], 150) // 2
 */
export function pageOf(pageStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = pageStarts.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (pageStarts[middle]! <= offset) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found + 1;
}
