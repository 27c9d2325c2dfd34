/**
 * What a project import does not carry over, counted by kind: every element of `project.qde` is
 * either read (the tree `carried` below mirrors what qde-read.ts reads), accounted for elsewhere in
 * the import's summary (PDF, picture, audio and video sources are `sources.skipped`; members of
 * sets that are not codes or text sources are `documentSets.leftOut`), or counted here. An element
 * this tool does not know (a later version of the standard, a program's extension) is counted under
 * its own name, so nothing is dropped silently.
 */
import { localName, textOf, type XmlNode } from './xml.js';

/** A child element read by the import (its own children as given), or accounted for elsewhere ('elsewhere'). */
type Carried = { [element: string]: Carried | 'elsewhere' | 'text' };

const valueElements: Carried = {
  TextValue: 'text',
  BooleanValue: 'text',
  IntegerValue: 'text',
  FloatValue: 'text',
  DateValue: 'text',
  DateTimeValue: 'text',
};
const variableValue: Carried = { VariableRef: {}, ...valueElements };
const coding: Carried = { CodeRef: {}, NoteRef: {} };
const code: Carried = { Description: 'text' };
code['Code'] = code;

const carried: Carried = {
  Users: { User: {} },
  CodeBook: { Codes: { Code: code } },
  Variables: { Variable: {} },
  Cases: { Case: { SourceRef: {}, VariableValue: variableValue } },
  Sources: {
    TextSource: {
      PlainTextContent: 'text',
      PlainTextSelection: { Description: 'text', Coding: coding, NoteRef: {} },
      Coding: coding,
      VariableValue: variableValue,
    },
    PDFSource: 'elsewhere',
    PictureSource: 'elsewhere',
    AudioSource: 'elsewhere',
    VideoSource: 'elsewhere',
  },
  Notes: { Note: { PlainTextContent: 'text' } },
  Sets: { Set: { Description: 'text', MemberCode: {}, MemberSource: {}, MemberNote: 'elsewhere' } },
};

/** Names of the kinds the summary shows for elements it knows (others are shown by path). */
const kindNames: Record<string, string> = {
  'Graphs/Graph': 'graphs',
  'Links/Link': 'links',
  Description: 'descriptions',
};

function children(node: XmlNode): Array<[string, XmlNode]> {
  const result: Array<[string, XmlNode]> = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('#') || key.startsWith('@_') || key.startsWith('?')) continue;
    for (const item of Array.isArray(value) ? value : [value])
      result.push([
        localName(key),
        typeof item === 'object' && item !== null ? (item as XmlNode) : { '#text': String(item) },
      ]);
  }
  return result;
}

/** An element's attribute (the project's parser prefixes them with `@_`). */
function attribute(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Counts of the elements the import leaves out, by kind: `graphs`, `links`, `notes attached to
 * nothing` (a `<Note>` no kept selection, coding or set refers to: a project memo), and any other
 * element by its path (`Project/Description`, `TextSource/Description`, `Sources/TextSource/NoteRef`…).
 * An empty container (`<Graphs/>`) counts nothing.
 * @param referencedNotes GUIDs (normalised) of the notes that selections or codings refer to
 */
export function leftOutElements(
  rootNode: XmlNode,
  referencedNotes: ReadonlySet<string>,
  normalise: (guid: string) => string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (kind: string): void => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  const walk = (node: XmlNode, spec: Carried, path: string): void => {
    for (const [name, element] of children(node)) {
      const rule = spec[name];
      const where = path === '' ? name : `${path}/${name}`;
      if (rule === 'elsewhere' || rule === 'text') continue;
      if (rule === undefined) {
        // Graphs/Links are containers: count what they hold, not the container.
        const inside = children(element);
        if ((name === 'Graphs' || name === 'Links') && path === '') {
          for (const [childName] of inside) add(kindNames[`${name}/${childName}`] ?? `${name}/${childName}`);
          continue;
        }
        if (name === 'Description' && textOf(element).trim() === '' && inside.length === 0) continue;
        add(`${path === '' ? 'Project' : path.split('/').at(-1)}/${name}`);
        continue;
      }
      if (where === 'Notes/Note') {
        const guid = attribute(element, 'guid');
        if (guid === undefined || !referencedNotes.has(normalise(guid))) {
          add('notes not attached to a text selection or coding');
          continue;
        }
      }
      walk(element, rule, where);
    }
  };
  walk(rootNode, carried, '');
  return counts;
}
