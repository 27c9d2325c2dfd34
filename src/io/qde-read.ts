/**
 * Reading `project.qde` into the project model: well-formedness first (with line and column), no
 * DOCTYPE, nesting bounded; XML parsed with fast-xml-parser. The project's `<CodeBook>` and its
 * `<Sets>` of codes are handed on as a `.qdc` document for the codebook reader.
 */
import { XMLParser } from 'fast-xml-parser';
import { InputError } from '../errors.js';
import { normaliseGuid, qdaProjectNamespace, qdcNamespace } from './qdc.js';
import { type Warn, warningsOf } from './qdc-build.js';
import { leftOutElements } from './qde-inventory.js';
import {
  codebookCommentPrefix,
  markerPrefix,
  otherSourceKinds,
  type ProjectMarker,
  type QdeCase,
  type QdeCoding,
  type QdeProject,
  type QdeSelection,
  type QdeSet,
  type QdeStamps,
  type QdeText,
  type QdeTextSource,
  type QdeUser,
  type QdeVariable,
  type QdeVariableValue,
} from './qdpx.js';
import {
  childElements,
  escapeAttribute,
  escapeText,
  localName,
  maxXmlDepth,
  textOf,
  type XmlNode,
} from './xml.js';
import { checkRefiXml } from './xml-check.js';

function child(node: XmlNode, name: string): XmlNode | undefined {
  return childElements(node, name)[0];
}

function attribute(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

function textOfOptional(node: XmlNode | undefined): string | undefined {
  return node === undefined ? undefined : textOf(node);
}

/** A `<Code>` element of the project, back to XML for the `.qdc` reader (only what it reads). */
function codeElementXml(node: XmlNode, skip: ReadonlySet<string>, lines: string[], indent: string): void {
  const guid = attribute(node, 'guid');
  if (guid !== undefined && skip.has(normaliseGuid(guid))) return;
  let attributes = '';
  for (const name of ['guid', 'name', 'isCodable', 'color']) {
    const value = attribute(node, name);
    if (value !== undefined) attributes += ` ${name}="${escapeAttribute(value)}"`;
  }
  lines.push(`${indent}<Code${attributes}>`);
  const description = textOfOptional(child(node, 'Description'));
  if (description !== undefined)
    lines.push(`${indent}  <Description>${escapeText(description)}</Description>`);
  for (const code of childElements(node, 'Code')) codeElementXml(code, skip, lines, `${indent}  `);
  lines.push(`${indent}</Code>`);
}

/**
 * The project's `<Sets>` with their code members, as the `<Sets>` of a `.qdc` codebook, so that
 * `parseQdc` keeps them as the codebook's `sets:`. Source and note members stay out: a set of
 * documents is not part of a codebook.
 */
function setsXml(rootNode: XmlNode, caseGuids: ReadonlySet<string>): string[] {
  const sets = childElements(rootNode, 'Sets').flatMap((node) => childElements(node, 'Set'));
  const lines: string[] = [];
  for (const set of sets) {
    const members = childElements(set, 'MemberCode')
      .map((member) => attribute(member, 'targetGUID'))
      .filter((guid): guid is string => guid !== undefined && !caseGuids.has(normaliseGuid(guid)));
    if (members.length === 0) continue;
    const description = child(set, 'Description');
    lines.push(
      `    <Set guid="${escapeAttribute(attribute(set, 'guid') ?? '')}" name="${escapeAttribute(attribute(set, 'name') ?? '')}">`,
      ...(description === undefined
        ? []
        : [`      <Description>${escapeText(textOf(description))}</Description>`]),
      ...members.map((guid) => `      <MemberCode targetGUID="${escapeAttribute(guid)}"/>`),
      '    </Set>',
    );
  }
  return lines.length === 0 ? [] : ['  <Sets>', ...lines, '  </Sets>'];
}

/** The parsed document and its root `<Project>`, checked: no DOCTYPE, bounded depth, well-formed, the project namespace. */
function parseProjectXml(text: string, file: string, warn: Warn): { document: XmlNode; rootNode: XmlNode } {
  checkRefiXml(text, file, {
    subject: 'project.qde',
    kind: 'REFI-QDA projects',
    exportAgain: 'the project',
    depthWhat: 'project.qde',
    notWellFormedHint:
      'the archive is damaged, or project.qde was edited by hand; export the project again from its program.',
  });
  const repeated = new Set([
    'User',
    'Code',
    'Variable',
    'Case',
    'SourceRef',
    'VariableValue',
    'TextSource',
    'PDFSource',
    'PictureSource',
    'AudioSource',
    'VideoSource',
    'PlainTextSelection',
    'Coding',
    'NoteRef',
    'Note',
    'Set',
    'MemberCode',
    'MemberSource',
    'MemberNote',
  ]);
  const parser = new XMLParser({
    maxNestedTags: maxXmlDepth + 1,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    htmlEntities: true,
    commentPropName: '#comment',
    isArray: (name, _path, _leaf, isAttribute) =>
      !isAttribute && (name === '#comment' || repeated.has(localName(name))),
  });
  const document = parser.parse(text) as XmlNode;
  const rootName = Object.keys(document).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  const root = rootName === undefined ? undefined : document[rootName];
  const rootNode: XmlNode = typeof root === 'object' && root !== null ? (root as XmlNode) : {};
  const prefix = rootName?.includes(':') ? rootName.slice(0, rootName.indexOf(':')) : undefined;
  const namespace = attribute(rootNode, prefix === undefined ? 'xmlns' : `xmlns:${prefix}`);
  if (rootName === undefined || localName(rootName) !== 'Project') {
    const received =
      rootName === undefined
        ? 'no element'
        : `<${localName(rootName)}>${namespace === undefined ? '' : ` in namespace ${namespace}`}`;
    throw new InputError(
      `this is not a REFI-QDA project: project.qde should hold <Project> in namespace ${qdaProjectNamespace}, and holds ${received}`,
      {
        location: { file },
        hint:
          rootName !== undefined && localName(rootName) === 'CodeBook'
            ? 'this is a codebook; import it with: coding codebook import FILE.qdc'
            : 'export the project from the QDA program as a REFI-QDA project (.qdpx).',
      },
    );
  }
  if (namespace === undefined) {
    warn(
      'QDPX_NO_NAMESPACE',
      `<Project> has no namespace (expected ${qdaProjectNamespace}); read all the same`,
    );
  } else if (namespace !== qdaProjectNamespace) {
    throw new InputError(
      `this is not a REFI-QDA 1.0 project: <Project> is in namespace ${namespace}, expected ${qdaProjectNamespace}`,
      { location: { file }, hint: 'export the project again as REFI-QDA 1.0 (.qdpx).' },
    );
  }
  return { document, rootNode };
}

/** Our marker comment (a project this tool wrote) and the codebook's metadata comment. */
function readComments(
  document: XmlNode,
  rootNode: XmlNode,
  warn: Warn,
): { marker: ProjectMarker | undefined; codebookComment: string | undefined } {
  // Comments: ours (the marker, the codebook's metadata) may sit before or inside <Project>.
  const comments = [
    ...(((document['#comment'] as unknown[] | undefined) ?? []) as unknown[]),
    ...(((rootNode['#comment'] as unknown[] | undefined) ?? []) as unknown[]),
  ].map((comment) => String(comment).trim());
  let marker: ProjectMarker | undefined;
  const markerText = comments.find((comment) => comment.startsWith(markerPrefix));
  if (markerText !== undefined) {
    try {
      const value = JSON.parse(markerText.slice(markerPrefix.length)) as Partial<ProjectMarker>;
      if (value.reviewed === 'selections' && typeof value.units === 'object' && value.units !== null) {
        const units: Record<string, string> = {};
        for (const [guid, kind] of Object.entries(value.units))
          if (typeof kind === 'string') units[normaliseGuid(guid)] = kind;
        marker = { tool: String(value.tool ?? ''), reviewed: 'selections', units };
        if (value.offsets === 'utf16' || value.offsets === 'codepoints') marker.offsets = value.offsets;
        if (value.crlf === 'one' || value.crlf === 'two') marker.crlf = value.crlf;
        if (typeof value.reviewedDocuments === 'object' && value.reviewedDocuments !== null) {
          const reviewedDocuments: Record<string, string[]> = {};
          for (const [user, documents] of Object.entries(value.reviewedDocuments))
            if (Array.isArray(documents))
              reviewedDocuments[normaliseGuid(user)] = documents.map((guid) => normaliseGuid(String(guid)));
          marker.reviewedDocuments = reviewedDocuments;
        }
      }
    } catch {
      warn(
        'QDPX_MARKER',
        `the "${markerPrefix}" comment is not valid JSON; the project is read like any other`,
      );
    }
  }
  return { marker, codebookComment: comments.find((comment) => comment.startsWith(codebookCommentPrefix)) };
}

function readUsers(rootNode: XmlNode, warn: Warn): QdeUser[] {
  const users: QdeUser[] = [];
  for (const [index, node] of childElements(child(rootNode, 'Users') ?? {}, 'User').entries()) {
    const guid = attribute(node, 'guid');
    if (guid === undefined) {
      warn('QDPX_USER_GUID', 'this <User> has no guid; left out', `Users/User[${index + 1}]`);
      continue;
    }
    users.push({ guid: normaliseGuid(guid), name: attribute(node, 'name'), id: attribute(node, 'id') });
  }
  return users;
}

function readValues(node: XmlNode): QdeVariableValue[] {
  return childElements(node, 'VariableValue').flatMap((valueNode) => {
    const reference = attribute(child(valueNode, 'VariableRef') ?? {}, 'targetGUID');
    if (reference === undefined) return [];
    for (const kind of [
      'TextValue',
      'BooleanValue',
      'IntegerValue',
      'FloatValue',
      'DateValue',
      'DateTimeValue',
    ]) {
      const valueElement = child(valueNode, kind);
      if (valueElement !== undefined)
        return [{ variableGuid: normaliseGuid(reference), value: textOfOptional(valueElement) ?? '' }];
    }
    return [];
  });
}

function readCases(rootNode: XmlNode): QdeCase[] {
  return childElements(child(rootNode, 'Cases') ?? {}, 'Case').flatMap((node) => {
    const guid = attribute(node, 'guid');
    if (guid === undefined) return [];
    return [
      {
        guid: normaliseGuid(guid),
        name: attribute(node, 'name'),
        sourceGuids: childElements(node, 'SourceRef')
          .map((reference) => attribute(reference, 'targetGUID'))
          .filter((target): target is string => target !== undefined)
          .map(normaliseGuid),
        values: readValues(node),
      },
    ];
  });
}

/** The project's `<CodeBook>` (cases left out: NVivo lists them among the codes) and `<Sets>` as a `.qdc` document. */
function codebookQdcOf(
  rootNode: XmlNode,
  cases: readonly QdeCase[],
  codebookComment: string | undefined,
  warn: Warn,
): string | undefined {
  let codebookQdc: string | undefined;
  const codebookNode = child(rootNode, 'CodeBook');
  if (codebookNode !== undefined) {
    // NVivo lists cases among the codes too, with the case's GUID; they are cases, not codes.
    const caseGuids = new Set(cases.map((item) => item.guid));
    const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
    if (codebookComment !== undefined) lines.push(`<!-- ${codebookComment.replace(/--/g, '-\\u002d')} -->`);
    lines.push(`<CodeBook xmlns="${qdcNamespace}">`, '  <Codes>');
    for (const code of childElements(child(codebookNode, 'Codes') ?? {}, 'Code'))
      codeElementXml(code, caseGuids, lines, '    ');
    lines.push('  </Codes>');
    lines.push(...setsXml(rootNode, caseGuids));
    lines.push('</CodeBook>');
    codebookQdc = `${lines.join('\n')}\n`;
  }
  const setsElements = childElements(rootNode, 'Sets');
  if (setsElements.length > 0 && setsElements.every((node) => childElements(node, 'Set').length === 0)) {
    warn(
      'QDPX_EMPTY_SETS',
      `${attribute(rootNode, 'origin') ?? 'the program that wrote it'} wrote an empty <Sets/> (Taguette does; the standard needs at least one <Set>); read all the same`,
      'Sets',
    );
  }
  return codebookQdc;
}

function readVariables(rootNode: XmlNode): QdeVariable[] {
  return childElements(child(rootNode, 'Variables') ?? {}, 'Variable').flatMap((node) => {
    const guid = attribute(node, 'guid');
    const name = attribute(node, 'name');
    if (guid === undefined || name === undefined) return [];
    return [{ guid: normaliseGuid(guid), name, type: attribute(node, 'typeOfVariable') ?? 'Text' }];
  });
}

function noteRefs(node: XmlNode): string[] {
  return childElements(node, 'NoteRef')
    .map((reference) => attribute(reference, 'targetGUID'))
    .filter((target): target is string => target !== undefined)
    .map(normaliseGuid);
}

/** The dates and modifying user of an element, as written (kept verbatim for the export). */
function stamps(node: XmlNode): QdeStamps {
  const result: QdeStamps = {};
  const created = attribute(node, 'creationDateTime');
  const modifier = optionalGuid(attribute(node, 'modifyingUser'));
  const modified = attribute(node, 'modifiedDateTime');
  if (created !== undefined) result.creationDateTime = created;
  if (modifier !== undefined) result.modifyingUser = modifier;
  if (modified !== undefined) result.modifiedDateTime = modified;
  return result;
}

function readCodings(node: XmlNode, where: string): QdeCoding[] {
  return childElements(node, 'Coding').map((coding, index) => {
    const target = attribute(child(coding, 'CodeRef') ?? {}, 'targetGUID');
    return {
      guid: normaliseGuid(attribute(coding, 'guid') ?? `${where}/Coding[${index + 1}]`),
      codeGuid: target === undefined ? undefined : normaliseGuid(target),
      creatingUser: optionalGuid(attribute(coding, 'creatingUser')),
      noteGuids: noteRefs(coding),
      ...stamps(coding),
    };
  });
}

function readSelection(selection: XmlNode, where: string): QdeSelection {
  const description = childElements(selection, 'Description')
    .map((node) => textOf(node))
    .join('\n');
  return {
    guid: normaliseGuid(attribute(selection, 'guid') ?? where),
    name: attribute(selection, 'name'),
    start: integer(attribute(selection, 'startPosition')),
    end: integer(attribute(selection, 'endPosition')),
    creatingUser: optionalGuid(attribute(selection, 'creatingUser')),
    codings: readCodings(selection, where),
    noteGuids: noteRefs(selection),
    where,
    ...stamps(selection),
    ...(description.trim() === '' ? {} : { description }),
  };
}

function plainText(node: XmlNode, where: string): QdeText {
  return {
    guid: normaliseGuid(attribute(node, 'guid') ?? where),
    name: attribute(node, 'name'),
    plainTextContent: textOfOptional(child(node, 'PlainTextContent')),
    plainTextPath: attribute(node, 'plainTextPath'),
    where,
  };
}

function readTextSources(sourcesNode: XmlNode): QdeTextSource[] {
  return childElements(sourcesNode, 'TextSource').map((node, sourceIndex) => {
    const where = `Sources/TextSource[${sourceIndex + 1}]`;
    return {
      ...plainText(node, where),
      creatingUser: optionalGuid(attribute(node, 'creatingUser')),
      selections: childElements(node, 'PlainTextSelection').map((selection, index) =>
        readSelection(selection, `${where}/PlainTextSelection[${index + 1}]`),
      ),
      codings: readCodings(node, where),
      values: readValues(node),
    };
  });
}

function memberGuids(set: XmlNode, element: string): string[] {
  return childElements(set, element)
    .map((member) => attribute(member, 'targetGUID'))
    .filter((guid): guid is string => guid !== undefined)
    .map(normaliseGuid);
}

/** Every `<Set>` with its members by kind. */
function readSets(rootNode: XmlNode): QdeSet[] {
  return childElements(rootNode, 'Sets')
    .flatMap((node) => childElements(node, 'Set'))
    .map((set, index) => ({
      guid: normaliseGuid(attribute(set, 'guid') ?? `Sets/Set[${index + 1}]`),
      name: (attribute(set, 'name') ?? '').trim() || `Set ${index + 1}`,
      codeGuids: memberGuids(set, 'MemberCode'),
      sourceGuids: memberGuids(set, 'MemberSource'),
      notes: childElements(set, 'MemberNote').length,
    }));
}

/**
 * Parse the text of `project.qde`.
 * @throws InputError for text that is not XML (with line and column), a DOCTYPE, or XML whose root
 *   is not a REFI-QDA `<Project>`
 */
export function parseProject(text: string, file: string): QdeProject {
  const { warnings, warn } = warningsOf(file);
  const { document, rootNode } = parseProjectXml(text, file, warn);
  const { marker, codebookComment } = readComments(document, rootNode, warn);
  const cases = readCases(rootNode);
  const sourcesNode = child(rootNode, 'Sources') ?? {};
  const textSources = readTextSources(sourcesNode);
  const referencedNotes = new Set(
    textSources.flatMap((source) => [
      ...source.codings.flatMap((item) => item.noteGuids),
      ...source.selections.flatMap((selection) => [
        ...selection.noteGuids,
        ...selection.codings.flatMap((item) => item.noteGuids),
      ]),
    ]),
  );
  const otherSources = otherSourceKinds.flatMap((kind) =>
    childElements(sourcesNode, kind).map((node) => ({
      kind,
      guid: normaliseGuid(attribute(node, 'guid') ?? ''),
      name: attribute(node, 'name'),
    })),
  );
  return {
    name: attribute(rootNode, 'name') ?? '',
    origin: attribute(rootNode, 'origin'),
    basePath: attribute(rootNode, 'basePath'),
    users: readUsers(rootNode, warn),
    codebookQdc: codebookQdcOf(rootNode, cases, codebookComment, warn),
    variables: readVariables(rootNode),
    cases,
    textSources,
    otherSources,
    notes: childElements(child(rootNode, 'Notes') ?? {}, 'Note').map((node, index) =>
      plainText(node, `Notes/Note[${index + 1}]`),
    ),
    sets: readSets(rootNode),
    leftOut: leftOutElements(rootNode, referencedNotes, normaliseGuid),
    marker,
    warnings,
  };
}

function optionalGuid(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : normaliseGuid(value);
}

function integer(value: string | undefined): number {
  if (value === undefined || !/^\s*[+-]?\d+\s*$/.test(value)) return Number.NaN;
  return Number(value);
}
