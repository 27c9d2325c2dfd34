/** Small helpers for the REFI-QDA XML files (`.qdc`, `project.qde`), read with fast-xml-parser. */
import { InputError } from '../errors.js';

/** An element as fast-xml-parser gives it: attributes under `@_name`, text under `#text`. */
export type XmlNode = Record<string, unknown>;

/** `qda:Code` → `Code`. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The child elements of a node with a (local) name, in document order. */
export function childElements(node: XmlNode, name: string): XmlNode[] {
  const result: XmlNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('#') || key.startsWith('@_') || localName(key) !== name) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      result.push(typeof item === 'object' && item !== null ? (item as XmlNode) : { '#text': item });
    }
  }
  return result;
}

/** The text content of an element ('' when it has none). */
export function textOf(node: XmlNode): string {
  const text = node['#text'];
  return typeof text === 'string' ? text : text === undefined ? '' : String(text);
}

/** 1-based line and column of an offset, for parser errors. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** Text content escaped for XML (a CR kept as a character reference, so it survives parsing). */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** An attribute value escaped for XML, line ends and tabs included. */
export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Characters XML 1.0 cannot carry at all, even escaped: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates. */
const notInXml =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The text, when XML can carry it.
 * @throws InputError naming the character and where it is
 */
export function xmlSafe(text: string, where: string): string {
  const match = notInXml.exec(text);
  if (match) {
    const codePoint = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new InputError(`${where} holds the character U+${codePoint}, which XML cannot carry`, {
      hint: 'remove the control character, then export again.',
    });
  }
  return text;
}

/**
 * The deepest nesting of elements read in a `.qdc` or `project.qde`. Real codebooks nest codes a
 * few levels deep (the deepest seen: MAXQDA, 6); the XML parser stops at this depth too.
 */
export const maxXmlDepth = 100;

/** Markup that holds no elements: comments, CDATA, processing instructions and declarations. */
const notElements = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<![^>]*>/y;
/** A start, end or empty-element tag (attribute values may hold ">"). */
const tag = /<(\/?)[^\s/>!?]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/y;

/**
 * Refuse XML nested deeper than `maxXmlDepth` elements, with the line and column of the first
 * element too deep. One pass over the text, before the parser (whose own limit would end in a
 * message without a place).
 */
export function checkXmlDepth(text: string, file: string, what: string): void {
  let depth = 0;
  for (let index = text.indexOf('<'); index >= 0; index = text.indexOf('<', index + 1)) {
    notElements.lastIndex = index;
    if (notElements.test(text)) {
      index = notElements.lastIndex - 1;
      continue;
    }
    tag.lastIndex = index;
    const match = tag.exec(text);
    if (match === null) continue;
    index = tag.lastIndex - 1;
    if (match[1] === '/') depth--;
    else if (match[2] !== '/' && ++depth > maxXmlDepth) {
      throw new InputError(
        `${what} nests elements more than ${maxXmlDepth} deep; refused (a REFI-QDA file needs a few levels)`,
        {
          location: { file, ...lineAndColumn(text, match.index) },
          hint: `no QDA program writes such nesting: the file is damaged or crafted.`,
        },
      );
    }
  }
}
