/**
 * REFI-QDA codebooks (`.qdc`, QDA-XML 1.0, namespace `urn:QDA-XML:codebook:1.0`): writing ours and
 * reading what NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette and others write.
 *
 * Layout of an exported codebook (docs/codebook.md explains it for users):
 * - a category is a `<Code isCodable="false">` at the top level, its codes are `<Code isCodable="true">`
 *   below it, sub-codes below their parent code;
 * - `guid` is a UUID version 5 (RFC 4122, SHA-1) of the category's or code's id in the fixed namespace
 *   `guidNamespace` below, written in lower case: the same id always gets the same GUID;
 * - the fields QDA-XML has no place for go into `<Description>`: first the definition (codes) or the
 *   description (categories), then a blank line, then one line per field, `Include: …`,
 *   `Exclude: …`, `Example: …` (one per example), `Exclusive: yes` (categories), and last `Id: …`;
 *   a value spanning several lines continues on lines indented by two spaces;
 * - the codebook's own name, title, description and exclusivity travel in an XML comment before the
 *   root element, `<!-- coding codebook: {JSON} -->`, which other tools ignore.
 *
 * XML is parsed with fast-xml-parser (pure JavaScript, validated before parsing so that a syntax
 * error is reported with its line and column). A DOCTYPE is refused: REFI-QDA files have none, and
 * entity declarations are how XML "billion laughs" bombs work.
 */

import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Finding } from '../errors.js';
import { InputError } from '../errors.js';
import {
  type Category,
  type Code,
  type Codebook,
  type CodeSet,
  codebookFormatVersion,
  codebookSchema,
  codeIdPattern,
} from '../schema/codebook.js';
import { refuseSpecialFile } from './input-file.js';
import { decodeText } from './text.js';
import {
  checkXmlDepth,
  childElements,
  escapeAttribute,
  escapeText,
  lineAndColumn,
  localName,
  maxXmlDepth,
  textOf,
  type XmlNode,
  xmlSafe,
} from './xml.js';

export const qdcNamespace = 'urn:QDA-XML:codebook:1.0';
export const qdaProjectNamespace = 'urn:QDA-XML:project:1.0';
/** The namespace of a draft of the standard, still written by ATLAS.ti 23 (QualCoder's importer reads it too). */
export const qdcPreReleaseNamespace = 'urn:QDA-XML:codebook:0:4';

/** A `.qdc` larger than this is refused before it is read (a codebook of 10,000 codes is about 5 MiB). */
export const maxQdcBytes = 20 * 1024 * 1024;

/**
 * Namespace of the GUIDs this tool writes: uuid5(NAMESPACE_URL, "urn:coding:codebook"), so that
 * `guid = uuid5(guidNamespace, id)`, for example Python's
 * `uuid.uuid5(uuid.UUID('ef4f859d-b746-5488-8178-e08d7177d8dd'), 'trade.ntb')`
 * → `42425f62-0e45-540f-af6c-7d2a1cdf57db`.
 */
export const guidNamespace = 'ef4f859d-b746-5488-8178-e08d7177d8dd';

/** A name-based UUID, version 5 (RFC 4122 section 4.3: SHA-1 of the namespace and the UTF-8 name), lower case. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespaceBytes).update(Buffer.from(name, 'utf8')).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The GUID of a category or code in the `.qdc` files this tool writes. */
export function qdcGuid(id: string): string {
  return uuidV5(id, guidNamespace);
}

/** A GUID as other tools write it (`{…}`, upper case) in the form we compare: bare and lower case. */
export function normaliseGuid(guid: string): string {
  return guid
    .trim()
    .replace(/^\{|\}$/g, '')
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// The Description layout

const codeFieldLabels = ['Include', 'Exclude', 'Example', 'Id'] as const;
const categoryFieldLabels = ['Exclusive', 'Id'] as const;

function fieldLine(label: string, value: string): string {
  return `${label}: ${value.split('\n').join('\n  ')}`;
}

/** The `<Description>` of a code: the definition, a blank line, then Include/Exclude/Example/Id lines. */
export function formatCodeDescription(code: Code): string {
  const fields: string[] = [];
  if (code.include !== undefined) fields.push(fieldLine('Include', code.include));
  if (code.exclude !== undefined) fields.push(fieldLine('Exclude', code.exclude));
  for (const example of code.examples ?? []) fields.push(fieldLine('Example', example));
  fields.push(fieldLine('Id', code.id));
  const block = fields.join('\n');
  return code.definition === undefined ? block : `${code.definition}\n\n${block}`;
}

/** The `<Description>` of a category: its description, a blank line, then Exclusive (when true) and Id. */
export function formatCategoryDescription(category: Category): string {
  const fields: string[] = [];
  if (category.exclusive) fields.push('Exclusive: yes');
  fields.push(fieldLine('Id', category.id));
  const block = fields.join('\n');
  return category.description === undefined ? block : `${category.description}\n\n${block}`;
}

export interface DescriptionParts {
  /** The text before the field lines (the whole text when it has none). */
  body: string | undefined;
  /** Field lines in order, labels as written in `labels` (matched without regard to case). */
  fields: Array<{ label: string; value: string }>;
}

/**
 * Split a Description into its free text and its trailing block of `Label: value` lines. The block
 * counts only when it is the whole text or follows a blank line, and when every line in it is a
 * known field or a continuation (two spaces); otherwise the whole text is free text.
 */
export function splitDescription(text: string, labels: readonly string[]): DescriptionParts {
  const pattern = new RegExp(`^(${labels.join('|')}):(?: (.*))?$`, 'i');
  const lines = text.split('\n');
  const isField = (line: string): boolean => pattern.test(line);
  let start = lines.length;
  while (start > 0 && (isField(lines[start - 1]!) || lines[start - 1]!.startsWith('  '))) start--;
  while (start < lines.length && !isField(lines[start]!)) start++;
  if (start === lines.length || (start > 0 && lines[start - 1] !== '')) return { body: text, fields: [] };
  const fields: Array<{ label: string; value: string }> = [];
  for (const line of lines.slice(start)) {
    const match = pattern.exec(line);
    if (match) {
      const label = labels.find((known) => known.toLowerCase() === match[1]!.toLowerCase())!;
      fields.push({ label, value: match[2] ?? '' });
    } else {
      fields.at(-1)!.value += `\n${line.slice(2)}`;
    }
  }
  return { body: start === 0 ? undefined : lines.slice(0, start - 1).join('\n'), fields };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The metadata comment: JSON with every "--" broken up, since XML comments cannot contain it. */
function metadataComment(codebook: Codebook): string {
  const metadata: Record<string, unknown> = { name: codebook.name };
  if (codebook.title !== undefined) metadata['title'] = codebook.title;
  if (codebook.description !== undefined) metadata['description'] = codebook.description;
  metadata['exclusive'] = codebook.exclusive;
  const json = JSON.stringify(metadata).replace(/--/g, '-\\u002d');
  return `<!-- ${metadataPrefix} ${json} -->`;
}

const metadataPrefix = 'coding codebook:';

/**
 * A codebook as a REFI-QDA `.qdc` document (valid against Codebook.xsd), indented by two spaces,
 * ending in a newline. Same codebook → same bytes.
 * @throws InputError when a text holds a character that XML 1.0 cannot represent (a control character)
 */
export function codebookToQdc(codebook: Codebook, origin: string): string {
  const lines: string[] = [];
  const check = xmlSafe;
  const element = (
    indent: string,
    attributes: { guid: string; name: string; codable: boolean; color: string | undefined },
    description: string,
    children: () => void,
    where: string,
  ): void => {
    const color = attributes.color === undefined ? '' : ` color="${escapeAttribute(attributes.color)}"`;
    lines.push(
      `${indent}<Code guid="${attributes.guid}" name="${escapeAttribute(check(attributes.name, where))}" isCodable="${attributes.codable}"${color}>`,
    );
    lines.push(`${indent}  <Description>${escapeText(check(description, where))}</Description>`);
    children();
    lines.push(`${indent}</Code>`);
  };
  const writeCode = (code: Code, indent: string, where: string): void => {
    element(
      indent,
      { guid: qdcGuid(code.id), name: code.label, codable: true, color: code.color },
      formatCodeDescription(code),
      () => {
        for (const [index, child] of (code.codes ?? []).entries())
          writeCode(child, `${indent}  `, `${where}.codes[${index}]`);
      },
      `${where} (code ${code.id})`,
    );
  };
  lines.push('<?xml version="1.0" encoding="utf-8"?>');
  lines.push(
    check(metadataComment(codebook), 'the name, title or description of the codebook'),
    `<CodeBook xmlns="${qdcNamespace}" origin="${escapeAttribute(origin)}">`,
    '  <Codes>',
  );
  for (const [categoryIndex, category] of codebook.categories.entries()) {
    element(
      '    ',
      { guid: qdcGuid(category.id), name: category.label, codable: false, color: category.color },
      formatCategoryDescription(category),
      () => {
        for (const [index, code] of category.codes.entries())
          writeCode(code, '      ', `categories[${categoryIndex}].codes[${index}]`);
      },
      `categories[${categoryIndex}] (category ${category.id})`,
    );
  }
  lines.push('  </Codes>');
  if (codebook.sets !== undefined && codebook.sets.length > 0) {
    // Sets of codes, named by a GUID of "set:<id>" (a set id may equal a code id).
    lines.push('  <Sets>');
    for (const [index, set] of codebook.sets.entries()) {
      const where = `sets[${index}] (set ${set.id})`;
      lines.push(
        `    <Set guid="${uuidV5(`set:${set.id}`, guidNamespace)}" name="${escapeAttribute(check(set.label, where))}">`,
      );
      if (set.description !== undefined)
        lines.push(`      <Description>${escapeText(check(set.description, where))}</Description>`);
      for (const code of set.codes) lines.push(`      <MemberCode guid="${qdcGuid(code)}"/>`);
      lines.push('    </Set>');
    }
    lines.push('  </Sets>');
  }
  lines.push('</CodeBook>');
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** A `<Code>` element as read, before it becomes a category or a code. */
interface QdcNode {
  guid: string | undefined;
  name: string;
  codable: boolean;
  color: string | undefined;
  description: string | undefined;
  children: QdcNode[];
  /** `Codes/Code[2]/Code[1]`, 1-based as in XPath, for messages. */
  where: string;
}

export interface QdcImport {
  codebook: Codebook;
  /** Everything that was adapted or dropped on the way, as warnings. */
  warnings: Finding[];
  /** The `origin` attribute: which program wrote the file. */
  origin: string | undefined;
  /** For each category and code id, the GUID it had in the file (bare, lower case). */
  guids: Map<string, string>;
  /** The codebook carried our metadata comment: it was written by this tool. */
  writtenByUs: boolean;
}

export interface QdcReadOptions {
  /** Name of the codebook when the file does not carry one (ours carry it in a comment). */
  name: string;
}

/**
 * Parse a `.qdc` document into a codebook.
 * @throws InputError for text that is not XML (with line and column), a DOCTYPE, or XML that is
 *   not a REFI-QDA codebook (naming the root element and namespace expected and received)
 */
export function parseQdc(text: string, file: string, options: QdcReadOptions): QdcImport {
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    throw new InputError('the file declares a DOCTYPE, which REFI-QDA codebooks never have; refused', {
      location: { file, ...lineAndColumn(text, doctype.index) },
      hint: 'DOCTYPE entity declarations can expand without bound; export the codebook again from its program.',
    });
  }
  checkXmlDepth(text, file, 'this codebook');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputError(`the file is not well-formed XML: ${valid.err.msg}`, {
      location: { file, line: valid.err.line, column: valid.err.col },
      hint: 'a .qdc file is the XML a QDA program writes with "Export codebook"; check that this is such a file.',
    });
  }
  const parser = new XMLParser({
    maxNestedTags: maxXmlDepth + 1,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    htmlEntities: true,
    commentPropName: '#comment',
    isArray: (name, _path, _leaf, isAttribute) =>
      !isAttribute &&
      (name === '#comment' ||
        ['Code', 'Set', 'MemberCode', 'MemberSource', 'MemberNote', 'Description'].includes(localName(name))),
  });
  const document = parser.parse(text) as XmlNode;
  const rootName = Object.keys(document).find((key) => !key.startsWith('?') && !key.startsWith('#'));
  if (rootName === undefined) {
    throw new InputError('the file holds no XML element', {
      location: { file },
      hint: 'a .qdc file starts with <CodeBook xmlns="urn:QDA-XML:codebook:1.0">.',
    });
  }
  const root = document[rootName] as XmlNode | string;
  const rootNode: XmlNode = typeof root === 'object' ? root : {};
  const prefix = rootName.includes(':') ? rootName.slice(0, rootName.indexOf(':')) : undefined;
  const namespace = rootNode[prefix === undefined ? 'xmlns' : `xmlns:${prefix}`] as string | undefined;
  const received = `<${localName(rootName)}>${namespace === undefined ? ' without a namespace' : ` in namespace ${namespace}`}`;
  const warnings: Finding[] = [];
  const warn = (code: string, message: string, where?: string): void => {
    warnings.push({
      code,
      severity: 'warning',
      file,
      ...(where === undefined ? {} : { path: where }),
      message,
    });
  };
  if (localName(rootName) !== 'CodeBook') {
    const project = localName(rootName) === 'Project';
    throw new InputError(
      `this is not a REFI-QDA codebook: expected the root element <CodeBook> in namespace ${qdcNamespace}, received ${received}`,
      {
        location: { file },
        hint: project
          ? 'this is a REFI-QDA project (.qde inside a .qdpx); export the codebook alone from the program (a .qdc file).'
          : 'export the codebook from the QDA program as a REFI-QDA codebook (.qdc).',
      },
    );
  }
  if (namespace === undefined) {
    warn(
      'QDC_NO_NAMESPACE',
      `<CodeBook> has no namespace (expected ${qdcNamespace}); read as a REFI-QDA codebook all the same`,
    );
  } else if (namespace === qdaProjectNamespace) {
    warn(
      'QDC_PROJECT_NAMESPACE',
      `<CodeBook> is in the project namespace ${qdaProjectNamespace} instead of ${qdcNamespace}; read all the same`,
    );
  } else if (namespace === qdcPreReleaseNamespace) {
    warn(
      'QDC_NAMESPACE_0_4',
      `${typeof rootNode['origin'] === 'string' ? rootNode['origin'] : 'the program that wrote it'} used the pre-release namespace ${qdcPreReleaseNamespace} (ATLAS.ti 23 does) instead of ${qdcNamespace}; read as 1.0`,
    );
  } else if (namespace !== qdcNamespace) {
    throw new InputError(
      `this is not a REFI-QDA codebook: expected the root element <CodeBook> in namespace ${qdcNamespace}, received ${received}`,
      { location: { file }, hint: 'export the codebook from the QDA program as a REFI-QDA codebook (.qdc).' },
    );
  }
  const origin = typeof rootNode['origin'] === 'string' ? rootNode['origin'] : undefined;

  const readNode = (node: XmlNode, where: string): QdcNode => {
    const attribute = (name: string): string | undefined =>
      typeof node[name] === 'string' ? (node[name] as string) : undefined;
    const guid = attribute('guid');
    if (guid === undefined) warn('QDC_NO_GUID', 'this <Code> has no guid', where);
    let name = attribute('name') ?? '';
    if (name.trim() === '') {
      warn('QDC_NO_NAME', 'this <Code> has no name; it is called "unnamed"', where);
      name = 'unnamed';
    }
    const codableText = attribute('isCodable')?.trim();
    let codable = true;
    if (codableText === 'false' || codableText === '0') codable = false;
    else if (codableText !== 'true' && codableText !== '1') {
      warn(
        'QDC_IS_CODABLE',
        `<Code name="${name}"> has ${codableText === undefined ? 'no isCodable' : `isCodable="${codableText}"`}; taken as codable`,
        where,
      );
    }
    let color = attribute('color')?.trim();
    if (color !== undefined) {
      if (/^#[0-9A-Fa-f]{3}$/.test(color)) {
        color = `#${[...color.slice(1)].map((digit) => digit + digit).join('')}`;
      } else if (!/^#[0-9A-Fa-f]{6}$/.test(color)) {
        warn(
          'QDC_COLOR',
          `<Code name="${name}"> has color="${color}", not #RRGGBB; the colour is left out`,
          where,
        );
        color = undefined;
      }
    }
    const descriptions = childElements(node, 'Description');
    const description = descriptions.length === 0 ? undefined : textOf(descriptions[0]!);
    const children = childElements(node, 'Code').map((child, index) =>
      readNode(child, `${where}/Code[${index + 1}]`),
    );
    return { guid, name, codable, color, description, children, where };
  };

  const codesElements = childElements(rootNode, 'Codes');
  if (codesElements.length === 0) {
    throw new InputError('this REFI-QDA codebook has no <Codes> element', {
      location: { file },
      hint: 'a codebook lists its codes in <CodeBook><Codes><Code …/></Codes></CodeBook>.',
    });
  }
  const topLevel = childElements(codesElements[0]!, 'Code').map((node, index) =>
    readNode(node, `Codes/Code[${index + 1}]`),
  );
  const setsElements = childElements(rootNode, 'Sets');
  const sets = setsElements.flatMap((sets) => childElements(sets, 'Set'));
  if (setsElements.length > 0 && sets.length === 0) {
    warn(
      'QDC_EMPTY_SETS',
      `${typeof rootNode['origin'] === 'string' ? rootNode['origin'] : 'the program that wrote it'} wrote an empty <Sets/> (Taguette does; the standard needs at least one <Set>); read all the same`,
      'Sets',
    );
  }

  const comments = ((document['#comment'] as unknown[] | undefined) ?? []).map(String);
  const metadata = readMetadata(comments, warn);
  const built = buildCodebook(topLevel, metadata, options, warn);
  const codeSets = readSets(sets, built.guids, built.codebook, warn);
  if (codeSets.length > 0) built.codebook.sets = codeSets;
  const result = codebookSchema.safeParse(built.codebook);
  if (!result.success) {
    // The builder only makes valid values; this would be a bug, reported as one.
    throw new Error(`the imported codebook does not match the schema: ${result.error.message}`);
  }
  return {
    codebook: result.data,
    warnings,
    origin,
    guids: built.guids,
    writtenByUs: metadata !== undefined,
  };
}

interface Metadata {
  name?: string;
  title?: string;
  description?: string;
  exclusive?: boolean;
}

function readMetadata(
  comments: string[],
  warn: (code: string, message: string, where?: string) => void,
): Metadata | undefined {
  for (const comment of comments) {
    const text = comment.trim();
    if (!text.startsWith(metadataPrefix)) continue;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(metadataPrefix.length));
    } catch {
      warn('QDC_METADATA', `the "${metadataPrefix}" comment is not valid JSON; it is ignored`);
      return undefined;
    }
    if (value === null || typeof value !== 'object') return undefined;
    const record = value as Record<string, unknown>;
    const metadata: Metadata = {};
    if (typeof record['name'] === 'string' && record['name'] !== '') metadata.name = record['name'];
    if (typeof record['title'] === 'string') metadata.title = record['title'];
    if (typeof record['description'] === 'string') metadata.description = record['description'];
    if (typeof record['exclusive'] === 'boolean') metadata.exclusive = record['exclusive'];
    return metadata;
  }
  return undefined;
}

/** A name as an id part: lower case ASCII letters, digits, "-" and "_" (accents dropped). */
/**
 * REFI-QDA Sets of codes become the codebook's `sets:` (a set's id is a slug of its name). Members
 * that are not codes here (categories, sources, notes) are left out with one warning per set.
 */
function readSets(
  nodes: XmlNode[],
  guids: ReadonlyMap<string, string>,
  codebook: Codebook,
  warn: (code: string, message: string, where?: string) => void,
): CodeSet[] {
  const codeIds = new Set<string>();
  const walk = (codes: readonly Code[]): void => {
    for (const code of codes) {
      codeIds.add(code.id);
      walk(code.codes ?? []);
    }
  };
  for (const category of codebook.categories) walk(category.codes);
  const idByGuid = new Map([...guids].map(([id, guid]) => [guid, id]));
  const used = new Set<string>();
  const result: CodeSet[] = [];
  for (const [index, node] of nodes.entries()) {
    const name =
      typeof node['name'] === 'string' && node['name'].trim() !== ''
        ? node['name'].trim()
        : `Set ${index + 1}`;
    let id = slugifyName(name, `set-${index + 1}`);
    const base = id;
    for (let counter = 2; used.has(id); counter++) id = `${base}-${counter}`;
    used.add(id);
    // Codebook.xsd names the member's code by `guid`, Project.xsd by `targetGUID`.
    const members = childElements(node, 'MemberCode').map((member) => {
      const guid = member['guid'] ?? member['targetGUID'];
      return typeof guid === 'string' ? idByGuid.get(normaliseGuid(guid)) : undefined;
    });
    const codes = [
      ...new Set(members.filter((code): code is string => code !== undefined && codeIds.has(code))),
    ];
    const leftOut =
      members.length -
      members.filter((code) => code !== undefined && codeIds.has(code)).length +
      childElements(node, 'MemberSource').length +
      childElements(node, 'MemberNote').length;
    if (leftOut > 0)
      warn(
        'QDC_SET_MEMBERS',
        `set "${name}": ${leftOut} member${leftOut === 1 ? ' is' : 's are'} not a code here (a category, a source or a note) and ${leftOut === 1 ? 'was' : 'were'} left out of the set`,
        `Sets/Set[${index + 1}]`,
      );
    const description = childElements(node, 'Description').map(textOf).join('\n').trim();
    result.push({ id, label: name, ...(description === '' ? {} : { description }), codes });
  }
  return result;
}

export function slugifyName(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 60)
    .replace(/[-_]+$/g, '');
  return slug === '' ? fallback : slug;
}

function buildCodebook(
  topLevel: QdcNode[],
  metadata: Metadata | undefined,
  options: QdcReadOptions,
  warn: (code: string, message: string, where?: string) => void,
): { codebook: Codebook; guids: Map<string, string> } {
  const taken = new Set<string>();
  const guids = new Map<string, string>();

  const fieldsOf = (node: QdcNode, labels: readonly string[]) => {
    if (node.description === undefined) return { body: undefined, fields: new Map<string, string[]>() };
    const parts = splitDescription(node.description, labels);
    const fields = new Map<string, string[]>();
    for (const { label, value } of parts.fields) fields.set(label, [...(fields.get(label) ?? []), value]);
    // Text we did not write (no Id line) is trimmed: other programs indent and pad freely.
    const ours = fields.has('Id');
    const body = parts.body === undefined ? undefined : ours ? parts.body : parts.body.trim();
    return { body: body === '' && !ours ? undefined : body, fields };
  };

  const allocate = (
    node: QdcNode,
    written: string[] | undefined,
    parentId: string | undefined,
    fallback: string,
  ): string => {
    const preferred = written?.[0]?.trim();
    if (preferred !== undefined) {
      const fits =
        codeIdPattern.test(preferred) &&
        (parentId === undefined || preferred.startsWith(`${parentId}.`)) &&
        !taken.has(preferred);
      if (fits) {
        taken.add(preferred);
        return preferred;
      }
      warn(
        'QDC_ID',
        `the id "${preferred}" in the description of "${node.name}" ${taken.has(preferred) ? 'is used already' : codeIdPattern.test(preferred) ? `does not start with "${parentId}."` : 'is not a valid id'}; an id is made from the name instead`,
        node.where,
      );
    }
    const base = `${parentId === undefined ? '' : `${parentId}.`}${slugifyName(node.name, fallback)}`;
    let id = base;
    for (let counter = 2; taken.has(id); counter++) id = `${base}-${counter}`;
    taken.add(id);
    return id;
  };

  const record = (id: string, node: QdcNode): void => {
    if (node.guid !== undefined) guids.set(id, normaliseGuid(node.guid));
  };

  const toCode = (node: QdcNode, parentId: string): Code => {
    const { body, fields } = fieldsOf(node, codeFieldLabels);
    const id = allocate(node, fields.get('Id'), parentId, 'code');
    record(id, node);
    if (!node.codable) {
      warn(
        'QDC_NOT_CODABLE',
        `"${node.name}" is not codable in the file; it is imported as a code (${id})`,
        node.where,
      );
    }
    const include = fields.get('Include');
    const exclude = fields.get('Exclude');
    const examples = fields.get('Example');
    const children = node.children.map((child) => toCode(child, id));
    return {
      id,
      label: node.name,
      ...(body === undefined ? {} : { definition: body }),
      ...(include === undefined ? {} : { include: include.join('\n') }),
      ...(exclude === undefined ? {} : { exclude: exclude.join('\n') }),
      ...(examples === undefined ? {} : { examples }),
      ...(node.color === undefined ? {} : { color: node.color }),
      ...(children.length === 0 ? {} : { codes: children }),
    };
  };

  const categories: Category[] = [];
  const looseCodes: QdcNode[] = [];
  let loosePosition = -1;
  const codableParents: string[] = [];
  for (const node of topLevel) {
    if (node.codable && node.children.length === 0) {
      if (loosePosition === -1) loosePosition = categories.length;
      looseCodes.push(node);
      continue;
    }
    if (!node.codable && node.children.length === 0) {
      warn(
        'QDC_EMPTY_CATEGORY',
        `"${node.name}" is a top-level group without codes; a category needs codes, so it is left out`,
        node.where,
      );
      continue;
    }
    if (node.codable) codableParents.push(node.name);
    const { body, fields } = fieldsOf(node, categoryFieldLabels);
    const id = allocate(node, fields.get('Id'), undefined, 'category');
    record(id, node);
    const exclusiveText = fields.get('Exclusive')?.[0]?.trim().toLowerCase();
    let exclusive = false;
    if (exclusiveText === 'yes' || exclusiveText === 'true') exclusive = true;
    else if (exclusiveText !== undefined && exclusiveText !== 'no' && exclusiveText !== 'false') {
      warn(
        'QDC_EXCLUSIVE',
        `"Exclusive: ${exclusiveText}" in "${node.name}" is not yes or no; taken as no`,
        node.where,
      );
    }
    categories.push({
      id,
      label: node.name,
      ...(body === undefined ? {} : { description: body }),
      exclusive,
      ...(node.color === undefined ? {} : { color: node.color }),
      codes: node.children.map((child) => toCode(child, id)),
    });
  }
  if (codableParents.length > 0) {
    const shown = codableParents
      .slice(0, 5)
      .map((name) => `"${name}"`)
      .join(', ');
    warn(
      'QDC_CODABLE_CATEGORY',
      `${codableParents.length} top-level code${codableParents.length === 1 ? '' : 's'} with sub-codes (${shown}${codableParents.length > 5 ? ', …' : ''}) became categories; categories are not codable here, so text coded with the parent itself has no code of its own`,
    );
  }
  if (looseCodes.length > 0) {
    const id = allocate({ ...looseCodes[0]!, name: 'codes' }, undefined, undefined, 'codes');
    categories.splice(loosePosition, 0, {
      id,
      label: 'Codes',
      description: 'Codes that stood at the top level of the imported codebook, outside any group.',
      exclusive: false,
      codes: looseCodes.map((node) => toCode(node, id)),
    });
    warn(
      'QDC_LOOSE_CODES',
      `${looseCodes.length} top-level code${looseCodes.length === 1 ? '' : 's'} without sub-codes ${looseCodes.length === 1 ? 'was' : 'were'} put in a category "${id}" ("Codes"), since every code here belongs to a category`,
    );
  }
  if (categories.length === 0) warn('QDC_NO_CODES', 'the codebook has no codes');

  const codebook: Codebook = {
    version: codebookFormatVersion,
    name: metadata?.name ?? options.name,
    ...(metadata?.title === undefined ? {} : { title: metadata.title }),
    ...(metadata?.description === undefined ? {} : { description: metadata.description }),
    exclusive: metadata?.exclusive ?? false,
    categories,
  };
  return { codebook, guids };
}

/**
 * Read a `.qdc` file: refused by size before it is read, then decoded as UTF-8 and parsed.
 * @throws InputError for a missing, oversized, non-UTF-8, non-XML or non-codebook file
 */
export async function readQdc(file: string, shownAs: string, options: QdcReadOptions): Promise<QdcImport> {
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new InputError('the file does not exist', {
      location: { file: shownAs },
      hint: 'check the path of the .qdc file.',
    });
  }
  if (stat.isDirectory()) {
    throw new InputError('this is a folder, not a .qdc file', { location: { file: shownAs } });
  }
  refuseSpecialFile(stat, shownAs);
  if (stat.size > maxQdcBytes) {
    throw new InputError(
      `the file is ${(stat.size / 1048576).toFixed(1)} MiB; REFI-QDA codebooks over ${maxQdcBytes / 1048576} MiB are refused`,
      {
        location: { file: shownAs },
        hint: 'a codebook is a few MiB at most; check that this is the file you meant (a project is a .qdpx).',
      },
    );
  }
  const text = decodeText(await fs.readFile(file), shownAs);
  return parseQdc(text, shownAs, options);
}

/** The default name of a codebook made from `file`: its base name, as an id. */
export function codebookNameFromFile(file: string): string {
  return slugifyName(path.basename(file, path.extname(file)), 'codebook');
}
