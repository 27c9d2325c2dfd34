/**
 * Text from a corpus is data: printed to a terminal, an escape sequence in it would set the
 * window title, clear the screen or move the cursor, and a bidirectional override would make a
 * line read differently from what it holds. `visibleText` shows such characters visibly instead:
 * C0 controls and DEL as their Unicode control pictures (ESC → ␛, NUL → ␀, CR → ␍, DEL → ␡),
 * C1 controls and bidirectional controls as `⟨U+202E⟩`. The stored text is never changed; only
 * what a person sees on a screen is.
 */

/** C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
const UNSAFE_TEST = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

export interface VisibleTextOptions {
  /** Keep line feeds as they are (for text shown over several lines); otherwise shown as ␊. */
  keepLineFeeds?: boolean;
  /** Keep tabs as they are; otherwise shown as ␉. */
  keepTabs?: boolean;
}

function picture(character: string): string {
  const code = character.codePointAt(0)!;
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/**
 * The text with every terminal control and bidirectional control character made visible.
 * @example visibleText('a\u001b]0;owned\u0007b') // 'a␛]0;owned␇b'
 * @example visibleText('x\u202ey') // 'x⟨U+202E⟩y'
 */
export function visibleText(text: string, options: VisibleTextOptions = {}): string {
  if (!UNSAFE_TEST.test(text) && (options.keepLineFeeds || !text.includes('\n'))) {
    if (options.keepTabs || !text.includes('\t')) return text;
  }
  return text.replace(UNSAFE, (character) => {
    if (character === '\n' && options.keepLineFeeds) return character;
    if (character === '\t' && options.keepTabs) return character;
    return picture(character);
  });
}

const anyControlCharacter =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/**
 * How many characters of the text `visibleText` would show as pictures, line feeds, carriage
 * returns and tabs not counted (ordinary layout in a document).
 * @example countControlCharacters('a\u001b[2Jb\r\n') // 1
 */
export function countControlCharacters(text: string): number {
  // Most texts hold none: one test, without the iterator and match objects of matchAll.
  if (!anyControlCharacter.test(text)) return 0;
  let found = 0;
  for (const _ of text.matchAll(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu,
  ))
    found++;
  return found;
}
