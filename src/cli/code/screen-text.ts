/**
 * Plain text fitted to a terminal's width: its width in code points, cut with "…", word-wrapped,
 * and corpus text with its control characters made visible. The pieces of the coding screen.
 */
import { visibleText } from '../../core/visible-text.js';

/** The visible width of plain text (code points). */
export function widthOf(text: string): number {
  let width = 0;
  for (const _ of text) width++;
  return width;
}

/** Plain text cut to `width` code points, with "…" when cut. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  if (widthOf(text) <= width) return text;
  return `${Array.from(text)
    .slice(0, Math.max(0, width - 1))
    .join('')}…`;
}

/** Corpus text, metadata, memos and codebook text as a terminal may show them: controls made visible. */
export const shown = (text: string): string => visibleText(text);
/** The same, keeping line feeds and tabs (for text wrapped over several lines). */
export const shownLines = (text: string): string =>
  visibleText(text, { keepLineFeeds: true, keepTabs: true });

/**
 * Word-wrap plain text to lines of at most `width` code points (words longer than a line are split).
 * Linear in the length of the text: a word of a megabyte is cut in one pass.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  const limit = Math.max(1, width);
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const match of paragraph.matchAll(/\S+/gu)) {
      const word = match[0];
      const wordWidth = widthOf(word);
      if (wordWidth <= (lineWidth === 0 ? limit : limit - lineWidth - 1)) {
        line += (lineWidth === 0 ? '' : ' ') + word;
        lineWidth += (lineWidth === 0 ? 0 : 1) + wordWidth;
        continue;
      }
      if (lineWidth > 0) {
        lines.push(line);
        line = '';
        lineWidth = 0;
      }
      if (wordWidth <= limit) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      // A word longer than a line: cut into lines of `limit` code points, the rest begins a line.
      let chunk = '';
      let chunkWidth = 0;
      for (const character of word) {
        chunk += character;
        chunkWidth++;
        if (chunkWidth === limit) {
          lines.push(chunk);
          chunk = '';
          chunkWidth = 0;
        }
      }
      // The last full piece stays the current line, so that a following word may join it.
      if (chunkWidth === 0) {
        line = lines.pop()!;
        lineWidth = limit;
      } else {
        line = chunk;
        lineWidth = chunkWidth;
      }
    }
    lines.push(line);
  }
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Tokens joined with " · ", wrapped to lines of `width`. */
export function flow(tokens: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const candidate = line === '' ? token : `${line} · ${token}`;
    if (widthOf(candidate) <= width || line === '') line = candidate;
    else {
      lines.push(line);
      line = token;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((text) => clip(text, width));
}
