/**
 * Word documents (`.docx`, Office Open XML): the paragraphs and headings of the main document part,
 * and the title, author, creation date and language of the document properties.
 *
 * Read with the project's own ZIP reader (the one of `.qdpx` projects, with its limits against ZIP
 * bombs: an entry's declared size is checked before it is inflated, and inflating stops as soon as
 * it passes what was declared) and fast-xml-parser, rather than a converter such as mammoth, whose
 * ZIP library inflates whatever an archive holds. Deleted text of tracked changes (`w:del`,
 * `w:moveFrom`), comments, field codes, footnotes, headers and footers are not text of the document;
 * inserted text of tracked changes is (the document as it reads with the changes accepted).
 */
import fs from 'node:fs/promises';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../../errors.js';
import { openZip, type QdpxLimits, type ZipArchive } from '../qdpx.js';
import { checkXmlDepth, localName } from '../xml.js';

export interface DocxContent {
  /** Paragraphs separated by a blank line. */
  text: string;
  paragraphs: number;
  info: { title?: string; author?: string; created?: string; language?: string };
}

/** A Word document is small: 64 MiB of XML in one part, 256 MiB in all, is far beyond any real one. */
export const docxLimits: QdpxLimits = {
  entryBytes: 64 * 1024 * 1024,
  totalBytes: 256 * 1024 * 1024,
  entries: 10_000,
};

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  trimValues: false,
  parseTagValue: false,
  processEntities: true,
});

/** Elements whose content is not text of the document. */
const skipped = new Set([
  'del',
  'moveFrom',
  'delText',
  'instrText',
  'commentReference',
  'footnoteReference',
  'endnoteReference',
  'pPr',
  'rPr',
  'sectPr',
  'drawing',
  'pict',
  'object',
  'Fallback',
]);

function tagOf(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return undefined;
}

function childrenOf(node: OrderedNode, tag: string): OrderedNode[] {
  const value = node[tag];
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

/** The text of a paragraph's runs. */
function inlineText(nodes: readonly OrderedNode[]): string {
  let text = '';
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === undefined) continue;
    if (tag === '#text') {
      continue;
    }
    const name = localName(tag);
    if (skipped.has(name)) continue;
    if (name === 't') {
      for (const child of childrenOf(node, tag)) if ('#text' in child) text += String(child['#text']);
    } else if (name === 'tab') text += ' ';
    else if (name === 'br' || name === 'cr') text += '\n';
    else if (name === 'noBreakHyphen') text += '-';
    else if (name === 'p') text += `${inlineText(childrenOf(node, tag))}\n`;
    else text += inlineText(childrenOf(node, tag));
  }
  return text;
}

/** Paragraphs (headings included, table cells each their own) of the body, in order. */
function paragraphsOf(nodes: readonly OrderedNode[], out: string[]): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === undefined || tag === '#text') continue;
    const name = localName(tag);
    if (skipped.has(name)) continue;
    if (name === 'p') {
      const text = inlineText(childrenOf(node, tag))
        .split('\n')
        .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
        .filter((line) => line !== '')
        .join('\n');
      if (text !== '') out.push(text);
    } else paragraphsOf(childrenOf(node, tag), out);
  }
}

function parseXml(bytes: Uint8Array, where: string): OrderedNode[] {
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(text.slice(0, 4096))) {
    throw new InputError('this part declares a DOCTYPE, which Word never writes; refused', {
      location: { file: where },
      hint: 'DOCTYPE entity declarations can expand without bound; save the document again from Word or LibreOffice.',
    });
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputError(`this part is not well-formed XML: ${valid.err.msg}`, {
      location: { file: where, line: valid.err.line, column: valid.err.col },
      hint: 'the document is damaged; save it again from Word or LibreOffice.',
    });
  }
  checkXmlDepth(text, where, 'Word document part');
  return parser.parse(text) as OrderedNode[];
}

/** The text of the first element with a local name, anywhere under the nodes. */
function firstText(nodes: readonly OrderedNode[], name: string): string | undefined {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === undefined || tag === '#text') continue;
    const children = childrenOf(node, tag);
    if (localName(tag) === name) {
      const text = children
        .filter((child) => '#text' in child)
        .map((child) => String(child['#text']))
        .join('')
        .trim();
      return text === '' ? undefined : text;
    }
    const found = firstText(children, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The path of the main document part, from the package relationships (usually word/document.xml). */
async function mainPart(archive: ZipArchive, shownAs: string): Promise<string> {
  const rels = archive.byLowerName.get('_rels/.rels');
  if (rels) {
    const nodes = parseXml(await archive.read(rels), `${shownAs}:_rels/.rels`);
    const found = findRelationship(nodes);
    if (found !== undefined) return found.replace(/^\//, '');
  }
  return 'word/document.xml';
}

function findRelationship(nodes: readonly OrderedNode[]): string | undefined {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === undefined || tag === '#text') continue;
    const attributes = (node[':@'] ?? {}) as Record<string, string>;
    if (localName(tag) === 'Relationship' && /\/officeDocument$/.test(attributes['@_Type'] ?? ''))
      return attributes['@_Target'];
    const found = findRelationship(childrenOf(node, tag));
    if (found !== undefined) return found;
  }
  return undefined;
}

const notDocxHint =
  'open it in Word or LibreOffice and save it as a Word document (.docx), then import that.';

/** Refuse what is not a ZIP archive before the ZIP reader, with a message about Word files. */
async function checkSignature(file: string, shownAs: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  const head = Buffer.alloc(8);
  try {
    await handle.read(head, 0, 8, 0);
  } finally {
    await handle.close();
  }
  if (head.readUInt32BE(0) === 0xd0cf11e0) {
    throw new InputError('this is an old Word 97–2003 document (.doc) or another OLE file, not a .docx', {
      location: { file: shownAs },
      hint: notDocxHint,
    });
  }
  if (head.readUInt32LE(0) !== 0x04034b50) {
    throw new InputError('this is not a Word .docx file: a .docx is a ZIP archive, and this is not one', {
      location: { file: shownAs },
      hint: notDocxHint,
    });
  }
}

/**
 * The text and properties of a .docx file.
 * @throws InputError for a file that is not a .docx (not a ZIP, or a ZIP without a Word document), a ZIP bomb, or damaged XML
 */
export async function readDocx(file: string, shownAs: string): Promise<DocxContent> {
  await checkSignature(file, shownAs);
  let archive: ZipArchive;
  try {
    archive = await openZip(file, shownAs, docxLimits);
  } catch (error) {
    throw rephrase(error, shownAs);
  }
  try {
    const partName = await mainPart(archive, shownAs);
    const part = archive.byLowerName.get(partName.toLowerCase());
    if (!part) {
      const odt = archive.byLowerName.has('content.xml') ? ' (it looks like an OpenDocument file, .odt)' : '';
      throw new InputError(`this ZIP archive is not a Word document: it has no ${partName}${odt}`, {
        location: { file: shownAs },
        hint: notDocxHint,
      });
    }
    const body = parseXml(await archive.read(part), `${shownAs}:${part.name}`);
    const paragraphs: string[] = [];
    paragraphsOf(body, paragraphs);
    const info: DocxContent['info'] = {};
    const core = archive.byLowerName.get('docprops/core.xml');
    if (core) {
      const nodes = parseXml(await archive.read(core), `${shownAs}:${core.name}`);
      const title = firstText(nodes, 'title');
      const author = firstText(nodes, 'creator');
      const created = firstText(nodes, 'created');
      const language = firstText(nodes, 'language');
      if (title) info.title = title;
      if (author) info.author = author;
      if (created) info.created = created;
      if (language) info.language = language;
    }
    return { text: paragraphs.join('\n\n'), paragraphs: paragraphs.length, info };
  } catch (error) {
    throw rephrase(error, shownAs);
  } finally {
    await archive.close();
  }
}

/** The ZIP reader speaks of REFI-QDA projects; say "Word document" instead. */
function rephrase(error: unknown, shownAs: string): unknown {
  if (!(error instanceof InputError)) return error;
  const message = error.message.replace(
    /, so it cannot be a REFI-QDA project/,
    ', so it cannot be a Word document',
  );
  const bomb = /ZIP bombs/.test(message);
  return new InputError(message, {
    ...(error.findings.length > 0 ? { findings: error.findings } : {}),
    location: error.location ?? { file: shownAs },
    hint: bomb
      ? 'a Word document is far smaller; this archive is damaged or crafted, and was not imported.'
      : notDocxHint,
    cause: error,
  });
}
