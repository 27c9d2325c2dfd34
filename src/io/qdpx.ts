/**
 * REFI-QDA projects (`.qdpx`, QDA-XML 1.0, namespace `urn:QDA-XML:project:1.0`): the ZIP archive
 * and its `project.qde`, read safely and written deterministically.
 *
 * Reading: the archive's central directory is read first, from the end of the file, without
 * reading the rest; every entry name is checked (no absolute paths, no `..`), and only the entries
 * needed (project.qde, the plain texts of text sources and notes) are read and inflated, each
 * refused when its declared size is over the limits and stopped as soon as it inflates to more than
 * it declared. Media entries (PDF, pictures, audio, video) are never inflated. `fflate` inflates
 * (pure JavaScript, streaming); XML is parsed with fast-xml-parser after a well-formedness check
 * that gives line and column, and a DOCTYPE is refused, as for `.qdc` files.
 *
 * Writing: entries sorted by name, DEFLATE level 6, every timestamp 1980-01-01 12:00 (the DOS
 * date in a ZIP header is local time; building it from local fields makes it the same in every
 * time zone), so the same study gives byte-identical archives.
 */
import fs from 'node:fs/promises';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Inflate, zipSync } from 'fflate';
import { type Finding, InputError } from '../errors.js';
import { checkInputFile } from './input-file.js';
import { normaliseGuid, qdaProjectNamespace, qdcNamespace } from './qdc.js';
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

// ---------------------------------------------------------------------------------------------
// Limits

export interface QdpxLimits {
  /** Largest uncompressed size of one entry that is read (project.qde, a plain text). */
  entryBytes: number;
  /** Largest uncompressed size of all entries read together. */
  totalBytes: number;
  /** Most entries an archive may list. */
  entries: number;
}

export const defaultQdpxLimits: QdpxLimits = {
  entryBytes: 256 * 1024 * 1024,
  totalBytes: 1024 * 1024 * 1024,
  entries: 200_000,
};

function mebibytes(bytes: number): string {
  return bytes >= 1048576
    ? `${(bytes / 1048576).toFixed(bytes % 1048576 === 0 ? 0 : 1)} MiB`
    : `${bytes} bytes`;
}

// ---------------------------------------------------------------------------------------------
// Reading the ZIP archive

export interface ZipEntry {
  /** The name as stored, with "/" separators. */
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  file: string;
  shownAs: string;
  entries: ZipEntry[];
  /** Entries by lower-case name, for the case-insensitive look-ups REFI-QDA files need. */
  byLowerName: Map<string, ZipEntry>;
  read(entry: ZipEntry): Promise<Uint8Array>;
  close(): Promise<void>;
}

const notAZipHint =
  'a .qdpx file is the ZIP archive a QDA program writes with "Export project (REFI-QDA)"; check that this is such a file.';

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, as ZIP uses). */
export function crc32(data: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let index = 0; index < 256; index++) {
      let value = index;
      for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
      crcTable[index] = value >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let index = 0; index < data.length; index++)
    crc = crcTable[(crc ^ data[index]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Why an entry name is unsafe (an absolute path, a drive letter, or a `..` segment), or undefined.
 * Backslashes count as separators, as Windows tools write them.
 */
export function unsafeEntryName(name: string): string | undefined {
  const path = name.replace(/\\/g, '/');
  if (path.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'a drive letter';
  if (path.split('/').some((segment) => segment === '..'))
    return 'a ".." segment that leaves the project folder';
  if (path.includes('\u0000')) return 'a NUL character';
  return undefined;
}

function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  if (!utf8Flag) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return Buffer.from(bytes).toString('latin1');
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Open a ZIP archive and read its central directory (only the end of the file is read).
 * @throws InputError for a missing file, a file that is not a ZIP archive, too many entries, or an
 *   entry whose name is an absolute path or climbs out of the archive with ".."
 */
export async function openZip(file: string, shownAs: string, limits: QdpxLimits): Promise<ZipArchive> {
  await checkInputFile(file, shownAs);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    throw new InputError('the file does not exist', {
      location: { file: shownAs },
      hint: 'check the path of the .qdpx file.',
    });
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory())
      throw new InputError('this is a folder, not a .qdpx file', { location: { file: shownAs } });
    const size = stat.size;
    const readAt = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead < length)
        throw new InputError('the archive is truncated', { location: { file: shownAs }, hint: notAZipHint });
      return buffer;
    };
    const notZip = (detail: string): InputError =>
      new InputError(`this is not a ZIP archive (${detail}), so it cannot be a REFI-QDA project`, {
        location: { file: shownAs },
        hint: notAZipHint,
      });
    if (size < 22) throw notZip('too short');
    const tailLength = Math.min(size, 22 + 65535 + 20);
    const tail = await readAt(size - tailLength, tailLength);
    let end = -1;
    for (let index = tail.length - 22; index >= 0; index--) {
      if (tail.readUInt32LE(index) === 0x06054b50) {
        end = index;
        break;
      }
    }
    if (end < 0) throw notZip('no end-of-directory record');
    let count = tail.readUInt16LE(end + 10);
    let directorySize = tail.readUInt32LE(end + 12);
    let directoryOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      // ZIP64: the locator sits just before the end record.
      if (end < 20 || tail.readUInt32LE(end - 20) !== 0x07064b50) throw notZip('a damaged ZIP64 directory');
      const recordOffset = Number(tail.readBigUInt64LE(end - 20 + 8));
      const record = await readAt(recordOffset, 56);
      if (record.readUInt32LE(0) !== 0x06064b50) throw notZip('a damaged ZIP64 directory');
      count = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    if (count > limits.entries) {
      throw new InputError(`the archive lists ${count} entries; more than ${limits.entries} are refused`, {
        location: { file: shownAs },
        hint: 'a REFI-QDA project holds project.qde and its sources; check that this is the file you meant.',
      });
    }
    if (directoryOffset + directorySize > size) throw notZip('its directory lies beyond the end of the file');
    const directory = await readAt(directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let offset = 0;
    for (let index = 0; index < count; index++) {
      if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== 0x02014b50)
        throw notZip('a damaged central directory');
      const flags = directory.readUInt16LE(offset + 8);
      const nameLength = directory.readUInt16LE(offset + 28);
      const extraLength = directory.readUInt16LE(offset + 30);
      const commentLength = directory.readUInt16LE(offset + 32);
      let compressedSize = directory.readUInt32LE(offset + 20);
      let uncompressedSize = directory.readUInt32LE(offset + 24);
      let localHeaderOffset = directory.readUInt32LE(offset + 42);
      const name = decodeName(
        directory.subarray(offset + 46, offset + 46 + nameLength),
        (flags & 0x800) !== 0,
      );
      // ZIP64 extra field: the 64-bit values, in this order, for the fields that are 0xFFFFFFFF.
      let extra = offset + 46 + nameLength;
      const extraEnd = extra + extraLength;
      while (extra + 4 <= extraEnd) {
        const tag = directory.readUInt16LE(extra);
        const length = directory.readUInt16LE(extra + 2);
        if (tag === 0x0001) {
          let field = extra + 4;
          if (uncompressedSize === 0xffffffff) {
            uncompressedSize = Number(directory.readBigUInt64LE(field));
            field += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = Number(directory.readBigUInt64LE(field));
            field += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(directory.readBigUInt64LE(field));
        }
        extra += 4 + length;
      }
      entries.push({
        name: name.replace(/\\/g, '/'),
        method: directory.readUInt16LE(offset + 10),
        flags,
        crc: directory.readUInt32LE(offset + 16),
        compressedSize,
        uncompressedSize,
        localHeaderOffset,
      });
      const unsafe = unsafeEntryName(name);
      if (unsafe !== undefined) {
        throw new InputError(
          `the archive holds an entry whose path has ${unsafe}: "${name}"; nothing was imported`,
          {
            location: { file: shownAs },
            hint: 'QDA programs never write such paths; the archive is damaged or was crafted to write outside its folder.',
          },
        );
      }
      offset += 46 + nameLength + extraLength + commentLength;
    }
    const byLowerName = new Map<string, ZipEntry>();
    for (const entry of entries)
      if (!byLowerName.has(entry.name.toLowerCase())) byLowerName.set(entry.name.toLowerCase(), entry);

    let totalRead = 0;
    const read = async (entry: ZipEntry): Promise<Uint8Array> => {
      const where = { file: `${shownAs}:${entry.name}` };
      const tooLarge = (size: string): InputError =>
        new InputError(
          `this entry ${size}; entries over ${mebibytes(limits.entryBytes)} (and ${mebibytes(limits.totalBytes)} in all) are refused, as a protection against ZIP bombs`,
          {
            location: where,
            hint: 'a project.qde or a plain text is far smaller; the archive is damaged or crafted.',
          },
        );
      if (
        entry.uncompressedSize > limits.entryBytes ||
        totalRead + entry.uncompressedSize > limits.totalBytes
      )
        throw tooLarge(`declares ${mebibytes(entry.uncompressedSize)} uncompressed`);
      if (entry.flags & 1) {
        throw new InputError('this entry is encrypted', {
          location: where,
          hint: 'export the project again without a password.',
        });
      }
      if (entry.method !== 0 && entry.method !== 8) {
        throw new InputError(
          `this entry is compressed with method ${entry.method}, which cannot be read here (only stored and DEFLATE)`,
          {
            location: where,
            hint: 're-save the archive with a standard ZIP tool (DEFLATE), or export the project again.',
          },
        );
      }
      const header = await readAt(entry.localHeaderOffset, 30);
      if (header.readUInt32LE(0) !== 0x04034b50) throw notZip(`the entry ${entry.name} has no local header`);
      const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (dataStart + entry.compressedSize > size)
        throw notZip(`the entry ${entry.name} runs past the end of the file`);
      const compressed = await readAt(dataStart, entry.compressedSize);
      let data: Uint8Array;
      if (entry.method === 0) {
        data = compressed;
      } else {
        const chunks: Uint8Array[] = [];
        let produced = 0;
        const inflater = new Inflate((chunk) => {
          produced += chunk.length;
          // Stop as soon as the entry inflates to more than it declared: a ZIP bomb lies about its size.
          if (produced > entry.uncompressedSize)
            throw new InputError(
              `this entry inflates to more than the ${mebibytes(entry.uncompressedSize)} its central directory declares; stopped, as a protection against ZIP bombs`,
              { location: where, hint: 'the archive is damaged or crafted; export the project again.' },
            );
          chunks.push(chunk);
        });
        const step = 1 << 16;
        try {
          for (let position = 0; position < compressed.length; position += step) {
            inflater.push(
              compressed.subarray(position, position + step),
              position + step >= compressed.length,
            );
          }
          if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
        } catch (error) {
          if (error instanceof InputError) throw error;
          throw new InputError(`this entry cannot be inflated: ${(error as Error).message}`, {
            location: where,
            hint: 'the archive is damaged; export the project again.',
          });
        }
        data = Buffer.concat(chunks);
      }
      if (data.length !== entry.uncompressedSize || crc32(data) !== entry.crc) {
        throw new InputError(
          'this entry is damaged: its size or checksum differs from the central directory',
          {
            location: where,
            hint: 'the archive is damaged; export the project again.',
          },
        );
      }
      totalRead += data.length;
      return data;
    };
    return { file, shownAs, entries, byLowerName, read, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The project model

export interface QdeUser {
  guid: string;
  name: string | undefined;
  id: string | undefined;
}

export interface QdeVariable {
  guid: string;
  name: string;
  type: string;
}

export interface QdeVariableValue {
  variableGuid: string;
  value: string;
}

export interface QdeCase {
  guid: string;
  name: string | undefined;
  sourceGuids: string[];
  values: QdeVariableValue[];
}

export interface QdeCoding {
  guid: string;
  codeGuid: string | undefined;
  creatingUser: string | undefined;
  noteGuids: string[];
}

export interface QdeSelection {
  guid: string;
  name: string | undefined;
  start: number;
  end: number;
  creatingUser: string | undefined;
  codings: QdeCoding[];
  noteGuids: string[];
  /** `Sources/TextSource[2]/PlainTextSelection[5]`, for messages. */
  where: string;
}

export interface QdeText {
  guid: string;
  name: string | undefined;
  plainTextContent: string | undefined;
  plainTextPath: string | undefined;
  where: string;
}

export interface QdeTextSource extends QdeText {
  creatingUser: string | undefined;
  selections: QdeSelection[];
  /** Codings of the source as a whole. */
  codings: QdeCoding[];
  values: QdeVariableValue[];
}

export const otherSourceKinds = ['PDFSource', 'PictureSource', 'AudioSource', 'VideoSource'] as const;
export type OtherSourceKind = (typeof otherSourceKinds)[number];

/** What this tool writes in a comment of the projects it exports, so that it can read them back exactly. */
export interface ProjectMarker {
  tool: string;
  /** Which units a coder reviewed: those their selections cover (with or without a code). */
  reviewed: 'selections';
  /** Unit kind of each document, by TextSource GUID. */
  units: Record<string, string>;
}

export interface QdeProject {
  name: string;
  origin: string | undefined;
  basePath: string | undefined;
  users: QdeUser[];
  /** The project's `<CodeBook>` as a `.qdc` document, for `parseQdc`; undefined without a codebook. */
  codebookQdc: string | undefined;
  variables: QdeVariable[];
  cases: QdeCase[];
  textSources: QdeTextSource[];
  otherSources: Array<{ kind: OtherSourceKind; guid: string; name: string | undefined }>;
  notes: QdeText[];
  marker: ProjectMarker | undefined;
  warnings: Finding[];
}

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

const markerPrefix = 'coding project:';
const codebookCommentPrefix = 'coding codebook:';

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
 * Parse the text of `project.qde`.
 * @throws InputError for text that is not XML (with line and column), a DOCTYPE, or XML whose root
 *   is not a REFI-QDA `<Project>`
 */
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

export function parseProject(text: string, file: string): QdeProject {
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    throw new InputError('project.qde declares a DOCTYPE, which REFI-QDA projects never have; refused', {
      location: { file, ...lineAndColumn(text, doctype.index) },
      hint: 'DOCTYPE entity declarations can expand without bound; export the project again from its program.',
    });
  }
  checkXmlDepth(text, file, 'project.qde');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputError(`project.qde is not well-formed XML: ${valid.err.msg}`, {
      location: { file, line: valid.err.line, column: valid.err.col },
      hint: 'the archive is damaged, or project.qde was edited by hand; export the project again from its program.',
    });
  }
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
      }
    } catch {
      warn(
        'QDPX_MARKER',
        `the "${markerPrefix}" comment is not valid JSON; the project is read like any other`,
      );
    }
  }
  const codebookComment = comments.find((comment) => comment.startsWith(codebookCommentPrefix));

  const users: QdeUser[] = [];
  for (const [index, node] of childElements(child(rootNode, 'Users') ?? {}, 'User').entries()) {
    const guid = attribute(node, 'guid');
    if (guid === undefined) {
      warn('QDPX_USER_GUID', 'this <User> has no guid; left out', `Users/User[${index + 1}]`);
      continue;
    }
    users.push({ guid: normaliseGuid(guid), name: attribute(node, 'name'), id: attribute(node, 'id') });
  }

  const values = (node: XmlNode): QdeVariableValue[] =>
    childElements(node, 'VariableValue').flatMap((valueNode) => {
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

  const caseNodes = childElements(child(rootNode, 'Cases') ?? {}, 'Case');
  const cases: QdeCase[] = caseNodes.flatMap((node) => {
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
        values: values(node),
      },
    ];
  });

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

  const variables: QdeVariable[] = childElements(child(rootNode, 'Variables') ?? {}, 'Variable').flatMap(
    (node) => {
      const guid = attribute(node, 'guid');
      const name = attribute(node, 'name');
      if (guid === undefined || name === undefined) return [];
      return [{ guid: normaliseGuid(guid), name, type: attribute(node, 'typeOfVariable') ?? 'Text' }];
    },
  );

  const noteRefs = (node: XmlNode): string[] =>
    childElements(node, 'NoteRef')
      .map((reference) => attribute(reference, 'targetGUID'))
      .filter((target): target is string => target !== undefined)
      .map(normaliseGuid);
  const codings = (node: XmlNode, where: string): QdeCoding[] =>
    childElements(node, 'Coding').map((coding, index) => {
      const target = attribute(child(coding, 'CodeRef') ?? {}, 'targetGUID');
      return {
        guid: normaliseGuid(attribute(coding, 'guid') ?? `${where}/Coding[${index + 1}]`),
        codeGuid: target === undefined ? undefined : normaliseGuid(target),
        creatingUser: optionalGuid(attribute(coding, 'creatingUser')),
        noteGuids: noteRefs(coding),
      };
    });
  const plainText = (node: XmlNode, where: string): QdeText => ({
    guid: normaliseGuid(attribute(node, 'guid') ?? where),
    name: attribute(node, 'name'),
    plainTextContent: textOfOptional(child(node, 'PlainTextContent')),
    plainTextPath: attribute(node, 'plainTextPath'),
    where,
  });

  const sourcesNode = child(rootNode, 'Sources') ?? {};
  const textSources: QdeTextSource[] = childElements(sourcesNode, 'TextSource').map((node, sourceIndex) => {
    const where = `Sources/TextSource[${sourceIndex + 1}]`;
    return {
      ...plainText(node, where),
      creatingUser: optionalGuid(attribute(node, 'creatingUser')),
      selections: childElements(node, 'PlainTextSelection').map((selection, index) => {
        const selectionWhere = `${where}/PlainTextSelection[${index + 1}]`;
        return {
          guid: normaliseGuid(attribute(selection, 'guid') ?? selectionWhere),
          name: attribute(selection, 'name'),
          start: integer(attribute(selection, 'startPosition')),
          end: integer(attribute(selection, 'endPosition')),
          creatingUser: optionalGuid(attribute(selection, 'creatingUser')),
          codings: codings(selection, selectionWhere),
          noteGuids: noteRefs(selection),
          where: selectionWhere,
        };
      }),
      codings: codings(node, where),
      values: values(node),
    };
  });
  const otherSources = otherSourceKinds.flatMap((kind) =>
    childElements(sourcesNode, kind).map((node) => ({
      kind,
      guid: normaliseGuid(attribute(node, 'guid') ?? ''),
      name: attribute(node, 'name'),
    })),
  );
  const notes = childElements(child(rootNode, 'Notes') ?? {}, 'Note').map((node, index) =>
    plainText(node, `Notes/Note[${index + 1}]`),
  );
  return {
    name: attribute(rootNode, 'name') ?? '',
    origin: attribute(rootNode, 'origin'),
    basePath: attribute(rootNode, 'basePath'),
    users,
    codebookQdc,
    variables,
    cases,
    textSources,
    otherSources,
    notes,
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

// ---------------------------------------------------------------------------------------------
// Writing

export interface ProjectXml {
  name: string;
  origin: string;
  marker: ProjectMarker;
  users: Array<{ guid: string; name: string; id: string }>;
  /** The `.qdc` text of the codebook (from `codebookToQdc`): its metadata comment and `<Codes>` are moved into the project. */
  codebookQdc: string;
  variables: Array<{ guid: string; name: string; type: 'Text' | 'Date' }>;
  sources: Array<{
    guid: string;
    name: string;
    plainTextPath: string;
    selections: Array<{
      guid: string;
      name: string;
      start: number;
      end: number;
      creatingUser: string;
      codings: Array<{ guid: string; codeGuid: string; creatingUser: string; noteGuid?: string }>;
      noteGuid?: string;
    }>;
    values: Array<{ variableGuid: string; type: 'Text' | 'Date'; value: string }>;
  }>;
  notes: Array<{ guid: string; name: string; text: string }>;
}

/**
 * The text of `project.qde` (valid against Project.xsd), two-space indented, ending in a newline.
 * @throws InputError when a value holds a character XML cannot carry (a control character)
 */
export function projectToQde(project: ProjectXml): string {
  const check = xmlSafe;
  const attr = (name: string, value: string, where: string): string =>
    ` ${name}="${escapeAttribute(check(value, where))}"`;
  const qdcLines = project.codebookQdc.replace(/\n$/, '').split('\n');
  const codesStart = qdcLines.indexOf('  <Codes>');
  const codesEnd = qdcLines.lastIndexOf('  </Codes>');
  if (codesStart < 0 || codesEnd < codesStart)
    throw new Error('the .qdc writer changed its layout: no <Codes> block');
  const codebookComment = qdcLines.find((line) => line.startsWith(`<!-- ${codebookCommentPrefix}`));
  const marker = JSON.stringify(project.marker).replace(/--/g, '-\\u002d');

  const lines: string[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  lines.push(
    `<Project xmlns="${qdaProjectNamespace}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${qdaProjectNamespace} Project.xsd"${attr('name', project.name, 'the study name')}${attr('origin', project.origin, 'origin')}>`,
  );
  lines.push(`  <!-- ${markerPrefix} ${check(marker, 'the document ids')} -->`);
  if (project.users.length > 0) {
    lines.push('  <Users>');
    for (const user of project.users)
      lines.push(
        `    <User guid="${user.guid}"${attr('name', user.name, 'a coder name')}${attr('id', user.id, 'a coder name')}/>`,
      );
    lines.push('  </Users>');
  }
  if (codesEnd > codesStart + 1) {
    if (codebookComment !== undefined) lines.push(`  ${codebookComment}`);
    lines.push('  <CodeBook>');
    // Element lines move two spaces in; lines that continue a Description are its text and stay as they are
    // (its text cannot start a line with "<", which is escaped).
    for (const line of qdcLines.slice(codesStart, codesEnd + 1))
      lines.push(/^\s*</.test(line) ? `  ${line}` : line);
    lines.push('  </CodeBook>');
  }
  if (project.variables.length > 0) {
    lines.push('  <Variables>');
    for (const variable of project.variables)
      lines.push(
        `    <Variable guid="${variable.guid}"${attr('name', variable.name, 'a metadata field name')} typeOfVariable="${variable.type}"/>`,
      );
    lines.push('  </Variables>');
  }
  if (project.sources.length > 0) {
    lines.push('  <Sources>');
    for (const source of project.sources) {
      const where = `document ${source.name}`;
      const open = `    <TextSource guid="${source.guid}"${attr('name', source.name, where)}${attr('plainTextPath', source.plainTextPath, where)}`;
      if (source.selections.length === 0 && source.values.length === 0) {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      for (const selection of source.selections) {
        lines.push(
          `      <PlainTextSelection guid="${selection.guid}"${attr('name', selection.name, where)} startPosition="${selection.start}" endPosition="${selection.end}" creatingUser="${selection.creatingUser}"${selection.codings.length === 0 && selection.noteGuid === undefined ? '/>' : '>'}`,
        );
        if (selection.codings.length === 0 && selection.noteGuid === undefined) continue;
        for (const coding of selection.codings) {
          lines.push(`        <Coding guid="${coding.guid}" creatingUser="${coding.creatingUser}">`);
          lines.push(`          <CodeRef targetGUID="${coding.codeGuid}"/>`);
          if (coding.noteGuid !== undefined)
            lines.push(`          <NoteRef targetGUID="${coding.noteGuid}"/>`);
          lines.push('        </Coding>');
        }
        if (selection.noteGuid !== undefined)
          lines.push(`        <NoteRef targetGUID="${selection.noteGuid}"/>`);
        lines.push('      </PlainTextSelection>');
      }
      for (const value of source.values) {
        const element = value.type === 'Date' ? 'DateValue' : 'TextValue';
        lines.push('      <VariableValue>');
        lines.push(`        <VariableRef targetGUID="${value.variableGuid}"/>`);
        lines.push(`        <${element}>${escapeText(check(value.value, where))}</${element}>`);
        lines.push('      </VariableValue>');
      }
      lines.push('    </TextSource>');
    }
    lines.push('  </Sources>');
  }
  if (project.notes.length > 0) {
    lines.push('  <Notes>');
    for (const note of project.notes) {
      lines.push(`    <Note guid="${note.guid}"${attr('name', note.name, 'a memo')}>`);
      lines.push(
        `      <PlainTextContent>${escapeText(check(note.text, `the memo ${note.name}`))}</PlainTextContent>`,
      );
      lines.push('    </Note>');
    }
    lines.push('  </Notes>');
  }
  // The codebook's sets of codes: a project keeps its Sets after Sources and Notes.
  const setsStart = qdcLines.indexOf('  <Sets>');
  if (setsStart > codesEnd)
    for (const line of qdcLines.slice(setsStart, qdcLines.lastIndexOf('  </Sets>') + 1))
      lines.push(line.replace(/^(\s*<MemberCode) guid=/, '$1 targetGUID='));
  lines.push('</Project>');
  return `${lines.join('\n')}\n`;
}

/** A fixed time for every entry; see the module comment. */
const fixedTime = new Date(1980, 0, 1, 12, 0, 0);

/** A `.qdpx` archive: the entries sorted by name, fixed timestamps, DEFLATE level 6. */
export function zipProject(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const zippable: Record<string, [Uint8Array, { mtime: Date; level: 6; os: 0 }]> = {};
  for (const name of [...files.keys()].sort())
    zippable[name] = [files.get(name)!, { mtime: fixedTime, level: 6, os: 0 }];
  return zipSync(zippable);
}
