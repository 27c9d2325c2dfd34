/**
 * A `.qdc` codebook's `<Code>` tree as our codebook: top-level groups become categories, codes keep
 * their nesting, top-level codes without sub-codes gather in a category "Codes"; ids come from our
 * `Id:` lines when present, else from names; every adaptation is a warning.
 */

import type { Finding } from '../errors.js';
import {
  type Category,
  type Code,
  type Codebook,
  codebookFormatVersion,
  codeIdPattern,
} from '../schema/codebook.js';
import { normaliseGuid, qdcGuid, slugifyName, splitDescription } from './qdc.js';
import type { QdcReadOptions } from './qdc-read.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type Warn = (code: string, message: string, where?: string) => void;

/** A list of warnings about `file`, and the `Warn` that adds to it (with the element path, when given). */
export function warningsOf(file: string): { warnings: Finding[]; warn: Warn } {
  const warnings: Finding[] = [];
  const warn: Warn = (code, message, where) => {
    warnings.push({
      code,
      severity: 'warning',
      file,
      ...(where === undefined ? {} : { path: where }),
      message,
    });
  };
  return { warnings, warn };
}

const codeFieldLabels = ['Include', 'Exclude', 'Example', 'Id'] as const;
const categoryFieldLabels = ['Exclusive', 'Id'] as const;

/** A `<Code>` element as read, before it becomes a category or a code. */
export interface QdcNode {
  guid: string | undefined;
  name: string;
  codable: boolean;
  color: string | undefined;
  description: string | undefined;
  children: QdcNode[];
  /** `Codes/Code[2]/Code[1]`, 1-based as in XPath, for messages. */
  where: string;
}

export interface Metadata {
  name?: string;
  title?: string;
  description?: string;
  exclusive?: boolean;
}

/** The fields of a Description by label, and its free text (trimmed when another program wrote it). */
function fieldsOf(
  node: QdcNode,
  labels: readonly string[],
): { body: string | undefined; fields: Map<string, string[]> } {
  if (node.description === undefined) return { body: undefined, fields: new Map<string, string[]>() };
  const parts = splitDescription(node.description, labels);
  const fields = new Map<string, string[]>();
  for (const { label, value } of parts.fields) fields.set(label, [...(fields.get(label) ?? []), value]);
  // Text we did not write (no Id line) is trimmed: other programs indent and pad freely.
  const ours = fields.has('Id');
  const body = parts.body === undefined ? undefined : ours ? parts.body : parts.body.trim();
  return { body: body === '' && !ours ? undefined : body, fields };
}

/** Builds categories and codes from `<Code>` nodes, allocating unique ids and remembering each one's GUID. */
class CodebookBuilder {
  readonly taken = new Set<string>();
  readonly guids = new Map<string, string>();

  constructor(private readonly warn: Warn) {}

  allocate(
    node: QdcNode,
    written: string[] | undefined,
    parentId: string | undefined,
    fallback: string,
  ): string {
    const preferred = written?.[0]?.trim();
    const taken = this.taken;
    if (preferred !== undefined) {
      const fits =
        codeIdPattern.test(preferred) &&
        (parentId === undefined || preferred.startsWith(`${parentId}.`)) &&
        !taken.has(preferred);
      if (fits) {
        taken.add(preferred);
        return preferred;
      }
      this.warn(
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
  }

  record(id: string, node: QdcNode): void {
    if (node.guid !== undefined) this.guids.set(id, normaliseGuid(node.guid));
  }

  /** The file's GUID, kept when it is a GUID and not the one an export would make from the id anyway. */
  keptGuid(id: string, node: QdcNode): { guid?: string } {
    const guid = node.guid === undefined ? undefined : normaliseGuid(node.guid);
    return guid !== undefined && uuidPattern.test(guid) && guid !== qdcGuid(id) ? { guid } : {};
  }

  toCode(node: QdcNode, parentId: string): Code {
    const { body, fields } = fieldsOf(node, codeFieldLabels);
    const id = this.allocate(node, fields.get('Id'), parentId, 'code');
    this.record(id, node);
    const include = fields.get('Include');
    const exclude = fields.get('Exclude');
    const examples = fields.get('Example');
    const children = node.children.map((child) => this.toCode(child, id));
    return {
      id,
      label: node.name,
      ...(body === undefined ? {} : { definition: body }),
      ...(include === undefined ? {} : { include: include.join('\n') }),
      ...(exclude === undefined ? {} : { exclude: exclude.join('\n') }),
      ...(examples === undefined ? {} : { examples }),
      ...(node.color === undefined ? {} : { color: node.color }),
      // A code that is not codable in the file stays so: coders cannot apply it (coding code refuses).
      ...(node.codable ? {} : { codable: false }),
      ...this.keptGuid(id, node),
      ...(children.length === 0 ? {} : { codes: children }),
    };
  }

  toCategory(node: QdcNode): Category {
    const { body, fields } = fieldsOf(node, categoryFieldLabels);
    const id = this.allocate(node, fields.get('Id'), undefined, 'category');
    this.record(id, node);
    const exclusiveText = fields.get('Exclusive')?.[0]?.trim().toLowerCase();
    let exclusive = false;
    if (exclusiveText === 'yes' || exclusiveText === 'true') exclusive = true;
    else if (exclusiveText !== undefined && exclusiveText !== 'no' && exclusiveText !== 'false') {
      this.warn(
        'QDC_EXCLUSIVE',
        `"Exclusive: ${exclusiveText}" in "${node.name}" is not yes or no; taken as no`,
        node.where,
      );
    }
    return {
      id,
      label: node.name,
      ...(body === undefined ? {} : { description: body }),
      exclusive,
      ...(node.color === undefined ? {} : { color: node.color }),
      // A codable parent code that became a category keeps `codable: true`, so exports write it back so.
      ...(node.codable ? { codable: true } : {}),
      ...this.keptGuid(id, node),
      codes: node.children.map((child) => this.toCode(child, id)),
    };
  }
}

/** The codebook of a `.qdc`'s top-level `<Code>` nodes, with each id's GUID. */
export function buildCodebook(
  topLevel: QdcNode[],
  metadata: Metadata | undefined,
  options: QdcReadOptions,
  warn: Warn,
): { codebook: Codebook; guids: Map<string, string> } {
  const builder = new CodebookBuilder(warn);
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
    categories.push(builder.toCategory(node));
  }
  if (codableParents.length > 0) {
    const shown = codableParents
      .slice(0, 5)
      .map((name) => `"${name}"`)
      .join(', ');
    warn(
      'QDC_CODABLE_CATEGORY',
      `${codableParents.length} top-level code${codableParents.length === 1 ? '' : 's'} with sub-codes (${shown}${codableParents.length > 5 ? ', …' : ''}) became categories (marked codable: true, and exported as codable again); categories are not applied to units here, so text coded with the parent itself has no code of its own (a project's selections with it are kept in annotations/selections.json and exported as they were)`,
    );
  }
  if (looseCodes.length > 0) {
    const id = builder.allocate({ ...looseCodes[0]!, name: 'codes' }, undefined, undefined, 'codes');
    categories.splice(loosePosition, 0, {
      id,
      label: 'Codes',
      description: 'Codes that stood at the top level of the imported codebook, outside any group.',
      exclusive: false,
      gathered: true,
      codes: looseCodes.map((node) => builder.toCode(node, id)),
    });
    warn(
      'QDC_LOOSE_CODES',
      `${looseCodes.length} top-level code${looseCodes.length === 1 ? '' : 's'} without sub-codes ${looseCodes.length === 1 ? 'was' : 'were'} put in a category "${id}" ("Codes", marked gathered: true), since every code here belongs to a category; an export writes them at the top level again`,
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
  return { codebook, guids: builder.guids };
}
