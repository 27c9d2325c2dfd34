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
import type { Category, Code, Codebook } from '../schema/codebook.js';
import { escapeAttribute, escapeText, xmlSafe } from './xml.js';

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

/** The GUID of a set of codes: its own (kept from an import), else UUID v5 of "set:<id>" (a set id may equal a code id). */
export function codeSetGuid(id: string, kept?: string): string {
  return kept ?? uuidV5(`set:${id}`, guidNamespace);
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

export const metadataPrefix = 'coding codebook:';

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
      {
        guid: code.guid ?? qdcGuid(code.id),
        name: code.label,
        codable: code.codable !== false,
        color: code.color,
      },
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
    if (category.gathered === true) {
      // Made at import to hold top-level codes: they go back to the top level, without it.
      for (const [index, code] of category.codes.entries())
        writeCode(code, '    ', `categories[${categoryIndex}].codes[${index}]`);
      continue;
    }
    element(
      '    ',
      {
        guid: category.guid ?? qdcGuid(category.id),
        name: category.label,
        codable: category.codable === true,
        color: category.color,
      },
      formatCategoryDescription(category),
      () => {
        for (const [index, code] of category.codes.entries())
          writeCode(code, '      ', `categories[${categoryIndex}].codes[${index}]`);
      },
      `categories[${categoryIndex}] (category ${category.id})`,
    );
  }
  lines.push('  </Codes>');
  lines.push(...setLines(codebook));
  lines.push('</CodeBook>');
  return `${lines.join('\n')}\n`;
}

/** The codebook's sets of codes as `<Sets>` (none: no lines); members named by their codes' GUIDs. */
function setLines(codebook: Codebook): string[] {
  const lines: string[] = [];
  const check = xmlSafe;
  if (codebook.sets === undefined || codebook.sets.length === 0) return lines;
  // Sets of codes, named by their own GUID or one of "set:<id>"; members by their codes' GUIDs.
  const guidOf = codeGuids(codebook);
  lines.push('  <Sets>');
  for (const [index, set] of codebook.sets.entries()) {
    const where = `sets[${index}] (set ${set.id})`;
    lines.push(
      `    <Set guid="${codeSetGuid(set.id, set.guid)}" name="${escapeAttribute(check(set.label, where))}">`,
    );
    if (set.description !== undefined)
      lines.push(`      <Description>${escapeText(check(set.description, where))}</Description>`);
    for (const code of set.codes)
      lines.push(`      <MemberCode guid="${guidOf.get(code) ?? qdcGuid(code)}"/>`);
    lines.push('    </Set>');
  }
  lines.push('  </Sets>');
  return lines;
}

/** The GUID each category and code is exported with: its own (kept from an import), else UUID v5 of its id. */
export function codeGuids(codebook: Codebook): Map<string, string> {
  const result = new Map<string, string>();
  const walk = (codes: readonly Code[]): void => {
    for (const code of codes) {
      result.set(code.id, code.guid ?? qdcGuid(code.id));
      walk(code.codes ?? []);
    }
  };
  for (const category of codebook.categories) {
    result.set(category.id, category.guid ?? qdcGuid(category.id));
    walk(category.codes);
  }
  return result;
}

/** A name as an id part: lower case ASCII letters, digits, "-" and "_" (accents dropped). */
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

export { codebookNameFromFile, parseQdc, type QdcImport, type QdcReadOptions, readQdc } from './qdc-read.js';
