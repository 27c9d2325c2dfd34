/** Small helpers for the REFI-QDA XML files (`.qdc`, `project.qde`), read with fast-xml-parser. */

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
