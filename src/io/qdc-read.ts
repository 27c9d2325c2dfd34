/**
 * Reading REFI-QDA codebooks (`.qdc`) as NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette and others
 * write them: the XML checked (no DOCTYPE, bounded depth, well-formed, the codebook namespace or a
 * known deviation), each `<Code>` read, then built into our categories and codes (qdc-build.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { type Finding, InputError } from '../errors.js';
import { type Code, type Codebook, type CodeSet, codebookSchema } from '../schema/codebook.js';
import { refuseSpecialFile } from './input-file.js';
import {
  codeSetGuid,
  maxQdcBytes,
  metadataPrefix,
  normaliseGuid,
  qdaProjectNamespace,
  qdcNamespace,
  qdcPreReleaseNamespace,
  slugifyName,
} from './qdc.js';
import { buildCodebook, type Metadata, type QdcNode, type Warn, warningsOf } from './qdc-build.js';
import { decodeText } from './text.js';
import { childElements, localName, maxXmlDepth, textOf, type XmlNode } from './xml.js';
import { checkRefiXml } from './xml-check.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

/** The XML checked (no DOCTYPE, bounded depth, well-formed) and parsed; its root element and namespace. */
function parseQdcXml(
  text: string,
  file: string,
): { document: XmlNode; rootName: string; rootNode: XmlNode; namespace: string | undefined } {
  checkRefiXml(text, file, {
    subject: 'the file',
    kind: 'REFI-QDA codebooks',
    exportAgain: 'the codebook',
    depthWhat: 'this codebook',
    notWellFormedHint:
      'a .qdc file is the XML a QDA program writes with "Export codebook"; check that this is such a file.',
  });
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
  return { document, rootName, rootNode, namespace };
}

/** Refuses a root that is not `<CodeBook>` or a namespace not known; warns about known deviations. */
function checkCodebookRoot(
  rootName: string,
  rootNode: XmlNode,
  namespace: string | undefined,
  file: string,
  warn: Warn,
): void {
  const received = `<${localName(rootName)}>${namespace === undefined ? ' without a namespace' : ` in namespace ${namespace}`}`;
  if (localName(rootName) !== 'CodeBook') {
    const project = localName(rootName) === 'Project';
    throw new InputError(
      `this is not a REFI-QDA codebook: expected the root element <CodeBook> in namespace ${qdcNamespace}, received ${received}`,
      {
        location: { file },
        hint: project
          ? 'this is a REFI-QDA project; save it as project.qde (or give the .qdpx) and run: coding codebook import project.qde'
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
}

/** A `<Code>` element with its children, its attributes checked (a missing guid, name, isCodable or a bad colour warns). */
function readCodeNode(node: XmlNode, where: string, warn: Warn): QdcNode {
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
    readCodeNode(child, `${where}/Code[${index + 1}]`, warn),
  );
  return { guid, name, codable, color, description, children, where };
}

/**
 * Parse a `.qdc` document into a codebook.
 * @throws InputError for text that is not XML (with line and column), a DOCTYPE, or XML that is
 *   not a REFI-QDA codebook (naming the root element and namespace expected and received)
 */
export function parseQdc(text: string, file: string, options: QdcReadOptions): QdcImport {
  const { document, rootName, rootNode, namespace } = parseQdcXml(text, file);
  const { warnings, warn } = warningsOf(file);
  checkCodebookRoot(rootName, rootNode, namespace, file, warn);
  const origin = typeof rootNode['origin'] === 'string' ? rootNode['origin'] : undefined;

  const codesElements = childElements(rootNode, 'Codes');
  if (codesElements.length === 0) {
    throw new InputError('this REFI-QDA codebook has no <Codes> element', {
      location: { file },
      hint: 'a codebook lists its codes in <CodeBook><Codes><Code …/></Codes></CodeBook>.',
    });
  }
  const topLevel = childElements(codesElements[0]!, 'Code').map((node, index) =>
    readCodeNode(node, `Codes/Code[${index + 1}]`, warn),
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
    const guid = typeof node['guid'] === 'string' ? normaliseGuid(node['guid']) : undefined;
    const keepGuid = guid !== undefined && uuidPattern.test(guid) && guid !== codeSetGuid(id);
    result.push({
      id,
      label: name,
      ...(description === '' ? {} : { description }),
      codes,
      ...(keepGuid ? { guid } : {}),
    });
  }
  return result;
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
