/**
 * YAML files checked against a zod schema, with every problem located as `file:line:col  yaml.path`.
 * Refuses oversized files and alias bombs before parsing them fully.
 */
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from '../core/suggest.js';
import type { Finding } from '../errors.js';
import { InputError } from '../errors.js';

/** Larger YAML files are refused: a codebook or settings file is a few hundred KiB at most. */
export const maxYamlBytes = 5 * 1024 * 1024;
/** More aliases than this in one file is refused (a "billion laughs" alias bomb). */
export const maxYamlAliases = 1000;

export interface YamlPath extends Array<string | number> {}

/** `categories[0].codes[2].id` */
export function formatYamlPath(segments: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

export interface ParsedYaml {
  file: string;
  /** The plain data, before schema validation. */
  data: unknown;
  /** 1-based line and column of the node at a path (or of its closest existing parent). */
  locate(segments: ReadonlyArray<PropertyKey>, key?: boolean): { line: number; column: number };
}

/**
 * Parse YAML text, with positions for later findings.
 * @throws InputError for a file that is too large, is not YAML, or holds an alias bomb
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  if (text.length > maxYamlBytes) {
    throw new InputError(
      `the file is ${(text.length / 1048576).toFixed(1)} MiB; YAML files over 5 MiB are refused`,
      {
        location: { file },
        hint: 'a codebook or settings file is small; check that this is the file you meant.',
      },
    );
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): { line: number; column: number } => {
    const found = lineCounter.linePos(offset);
    return { line: found.line, column: found.col };
  };
  if (document.errors.length > 0) {
    const findings: Finding[] = document.errors.map((error) => ({
      code: 'YAML_SYNTAX',
      severity: 'error',
      file,
      ...position(error.pos[0]),
      message: /Maximum call stack size exceeded/.test(error.message)
        ? 'the YAML nests lists or mappings too deeply to be read (thousands of levels); a codebook or settings file nests a few'
        : error.message.split('\n')[0]!,
    }));
    throw new InputError('the file is not valid YAML', { findings, location: { file } });
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: maxYamlAliases });
  } catch (error) {
    if (error instanceof RangeError)
      throw new InputError('the YAML nests lists or mappings too deeply to be read (thousands of levels)', {
        location: { file },
        hint: 'a codebook or settings file nests a few levels; check that this is the file you meant.',
        cause: error,
      });
    throw new InputError(
      `a YAML alias bomb: resolving its aliases (*name) takes more than ${maxYamlAliases} expansions, the limit; refused`,
      {
        location: { file },
        hint: `each alias repeats what its anchor (&name) holds, so a few nested lines can grow to billions of values; write the values out, or use at most ${maxYamlAliases} alias expansions.`,
        cause: error,
      },
    );
  }
  const locate = (segments: ReadonlyArray<PropertyKey>, key = false): { line: number; column: number } => {
    let node: Node | null | undefined = document.contents as Node | null;
    let best: { line: number; column: number } = node?.range
      ? position(node.range[0])
      : { line: 1, column: 1 };
    for (const [index, segment] of segments.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((item) => {
          const itemKey = item.key as { value?: unknown } | null;
          return itemKey !== null && String(itemKey?.value) === String(segment);
        });
        if (!pair) break;
        const keyNode = pair.key as Node | null;
        const last = index === segments.length - 1;
        if (last && key && keyNode?.range) return position(keyNode.range[0]);
        node = pair.value as Node | null;
        const range = node?.range ?? keyNode?.range;
        if (range) best = position(range[0]);
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment] as Node | null;
        if (!node?.range) break;
        best = position(node.range[0]);
      } else {
        break;
      }
    }
    return best;
  };
  return { file, data, locate };
}

/** Turn zod issues into located findings (unknown keys get "did you mean"). */
export function findingsFromZod(
  parsed: ParsedYaml,
  issues: ReadonlyArray<z.core.$ZodIssue>,
  knownKeysAt: (segments: ReadonlyArray<PropertyKey>) => string[] = () => [],
): Finding[] {
  const findings: Finding[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const segments = [...issue.path, key];
        findings.push({
          code: 'UNKNOWN_KEY',
          severity: 'error',
          file: parsed.file,
          ...parsed.locate(segments, true),
          path: formatYamlPath(segments),
          message: `unknown key "${key}"${didYouMean(key, knownKeysAt(issue.path))}`,
        });
      }
      continue;
    }
    findings.push({
      code: 'SCHEMA',
      severity: 'error',
      file: parsed.file,
      ...parsed.locate(issue.path),
      path: formatYamlPath(issue.path),
      message: describeIssue(issue),
    });
  }
  return findings;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}${issue.input === undefined ? ', but it is missing' : `, received ${describeValue(issue.input)}`}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}, received ${describeValue(issue.input)}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

/** The keys a zod object schema accepts at a path, for "did you mean". */
export function objectKeysAt(schema: z.ZodType, segments: ReadonlyArray<PropertyKey>): string[] {
  let current: unknown = schema;
  for (const segment of segments) {
    current = unwrap(current);
    const definition = (
      current as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }
    ).def;
    if (definition?.type === 'object' && typeof segment === 'string') current = definition.shape?.[segment];
    else if (definition?.type === 'array' && typeof segment === 'number') current = definition.element;
    else return [];
  }
  current = unwrap(current);
  const definition = (current as { def?: { type?: string; shape?: Record<string, unknown> } }).def;
  return definition?.type === 'object' ? Object.keys(definition.shape ?? {}) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as {
    def?: { type?: string; innerType?: unknown; in?: unknown; getter?: () => unknown };
  };
  for (let depth = 0; depth < 10 && current?.def; depth++) {
    const { type } = current.def;
    if (type === 'optional' || type === 'default' || type === 'prefault' || type === 'nullable') {
      current = current.def.innerType as typeof current;
    } else if (type === 'pipe') {
      current = current.def.in as typeof current;
    } else if (type === 'lazy' && current.def.getter) {
      current = current.def.getter() as typeof current;
    } else break;
  }
  return current;
}

/**
 * Parse YAML text and validate it with a zod schema.
 * @throws InputError listing every located problem
 */
export function loadYaml<Schema extends z.ZodType>(
  text: string,
  file: string,
  schema: Schema,
): { value: z.infer<Schema>; parsed: ParsedYaml } {
  const parsed = parseYaml(text, file);
  const result = schema.safeParse(parsed.data, { reportInput: true });
  if (!result.success) {
    const findings = findingsFromZod(parsed, result.error.issues, (segments) =>
      objectKeysAt(schema, segments),
    );
    throw new InputError('the file does not match the expected format', { findings, location: { file } });
  }
  return { value: result.data, parsed };
}
