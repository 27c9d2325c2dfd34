/**
 * How deeply a JSON text nests arrays and objects, found by one pass over the characters (strings
 * skipped), before it is parsed. A line of a .jsonl file nested 100,000 deep parses, but every
 * recursive walk of the value afterwards (stringifying a metadata value) overflows the stack:
 * such input is refused with its depth and the limit instead.
 */

/** Deeper nesting than this is refused: metadata is flat, a few levels at most. */
export const maxJsonDepth = 64;

/**
 * The deepest nesting of `[` and `{` in a JSON text, counting stops once it passes `limit`
 * (so the result is at most `limit + 1`). Linear in the text; brackets inside strings do not count.
 * @example jsonNestingDepth('{"a":[1,{"b":"[["}]}') // 3
 */
export function jsonNestingDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return deepest;
}
