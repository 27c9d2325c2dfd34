/**
 * The rules a codebook must follow beyond its structure (the zod schema checks the structure):
 * unique ids, code ids that start with their category's or parent's id, no empty categories, and
 * — as warnings — codes without a definition or without inclusion and exclusion rules, and
 * siblings with the same label.
 *
 * The rules are pure functions over the parsed YAML data. They read it defensively, so they also
 * run on a file whose structure is wrong and every problem can be reported at once. Findings carry
 * the path of the offending value as segments; the io layer turns a path into `file:line:col`.
 */

/** Severity `error` makes `coding codebook check` exit 2; `warning` only with `--strict` (exit 1). */
export type RuleSeverity = 'error' | 'warning';

export type RuleCode =
  | 'DUPLICATE_ID'
  | 'DUPLICATE_SET'
  | 'UNKNOWN_SET_CODE'
  | 'CODE_ID_PREFIX'
  | 'SUBCODE_ID_PREFIX'
  | 'EMPTY_CATEGORY'
  | 'DUPLICATE_LABEL'
  | 'MISSING_DEFINITION'
  | 'MISSING_INCLUDE'
  | 'MISSING_EXCLUDE'
  | 'PATTERNS_NOT_CODABLE'
  | 'MISSING_RULES';

/** One problem found by a rule: what (`code`, `message`), how bad, and where (`path`, as segments). */
export interface RuleFinding {
  code: RuleCode;
  severity: RuleSeverity;
  path: Array<string | number>;
  message: string;
}

type Path = Array<string | number>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function listAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function textAt(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/** `categories[0].codes[1]`, as shown in messages. */
export function formatRulePath(path: ReadonlyArray<string | number>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

interface IdUse {
  id: string;
  path: Path;
  kind: 'category' | 'code';
}

/**
 * Check a codebook's rules. `data` is the parsed YAML (validated or not); values of the wrong
 * shape are skipped here, since the schema reports them.
 *
 * @example
 * checkCodebookRules({ categories: [{ id: 'trade', codes: [{ id: 'tariffs', label: 'Tariffs' }] }] })
 *   .map((finding) => finding.code)
 * // → ['CODE_ID_PREFIX', 'MISSING_DEFINITION', 'MISSING_RULES']
 */
export function checkCodebookRules(data: unknown): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (!isRecord(data)) return findings;
  const walk: RuleWalk = { findings, uses: [] };
  for (const [categoryIndex, category] of listAt(data['categories']).entries()) {
    visitCategory(walk, category, ['categories', categoryIndex]);
  }
  checkSiblingLabels(listAt(data['categories']), ['categories'], findings);
  checkDuplicateIds(walk.uses, findings);
  checkSets(data, new Set(walk.uses.filter((use) => use.kind === 'code').map((use) => use.id)), findings);
  return findings;
}

/** What a walk over the categories and codes collects: the findings, and every id with where it is used. */
interface RuleWalk {
  findings: RuleFinding[];
  uses: IdUse[];
}

/** Which category or code a code sits in, for the prefix its id must start with. */
interface Parent {
  id: string;
  kind: 'category' | 'code';
}

/** Check one category (a category with no codes is an error), then its codes. */
function visitCategory(walk: RuleWalk, category: unknown, path: Path): void {
  if (!isRecord(category)) return;
  const id = textAt(category, 'id');
  if (id !== undefined) walk.uses.push({ id, path: [...path, 'id'], kind: 'category' });
  const codes = category['codes'];
  if (Array.isArray(codes) && codes.length === 0) {
    walk.findings.push({
      code: 'EMPTY_CATEGORY',
      severity: 'error',
      path: [...path, 'codes'],
      message: `category ${id === undefined ? '' : `"${id}" `}has no codes; add at least one code, or remove the category`,
    });
  }
  checkSiblingLabels(listAt(codes), [...path, 'codes'], walk.findings);
  for (const [index, code] of listAt(codes).entries()) {
    visitCode(walk, code, [...path, 'codes', index], { id: id ?? '', kind: 'category' });
  }
}

/** Check one code (its id's prefix, its definition, rules and patterns), then its sub-codes. */
function visitCode(walk: RuleWalk, code: unknown, path: Path, parent: Parent): void {
  if (!isRecord(code)) return;
  const id = textAt(code, 'id');
  if (id !== undefined) {
    walk.uses.push({ id, path: [...path, 'id'], kind: 'code' });
    checkIdPrefix(id, path, parent, walk.findings);
  }
  const shown = id === undefined ? 'this code' : `code "${id}"`;
  checkCodeTexts(code, shown, path, walk.findings);
  const children = listAt(code['codes']);
  checkSiblingLabels(children, [...path, 'codes'], walk.findings);
  for (const [index, child] of children.entries()) {
    visitCode(walk, child, [...path, 'codes', index], id === undefined ? parent : { id, kind: 'code' });
  }
}

/** A code id starts with its category's id and a dot; a sub-code id, with its parent code's. */
function checkIdPrefix(id: string, path: Path, parent: Parent, findings: RuleFinding[]): void {
  if (id.startsWith(`${parent.id}.`)) return;
  const suggestion = `${parent.id}.${id.split('.').at(-1) ?? id}`;
  findings.push(
    parent.kind === 'category'
      ? {
          code: 'CODE_ID_PREFIX',
          severity: 'error',
          path: [...path, 'id'],
          message: `code id "${id}" must start with its category's id and a dot, "${parent.id}." (for example ${suggestion})`,
        }
      : {
          code: 'SUBCODE_ID_PREFIX',
          severity: 'error',
          path: [...path, 'id'],
          message: `sub-code id "${id}" must start with its parent code's id and a dot, "${parent.id}." (for example ${suggestion})`,
        },
  );
}

/**
 * Warnings about what a code says to its coders: no definition, no include or exclude rule, and
 * patterns on a grouping code that the dictionary coder does not use. `shown` names the code.
 */
function checkCodeTexts(
  code: Record<string, unknown>,
  shown: string,
  path: Path,
  findings: RuleFinding[],
): void {
  if (isBlank(textAt(code, 'definition'))) {
    findings.push({
      code: 'MISSING_DEFINITION',
      severity: 'warning',
      path: [...path, 'definition'],
      message: `${shown} has no definition; say what the code means, so that coders apply it alike`,
    });
  }
  const noInclude = isBlank(textAt(code, 'include'));
  const noExclude = isBlank(textAt(code, 'exclude'));
  if (noInclude && noExclude) {
    findings.push({
      code: 'MISSING_RULES',
      severity: 'warning',
      path: [...path, 'include'],
      message: `${shown} has neither an "include" nor an "exclude" rule; say when to use it, and when not to (naming the code to use instead)`,
    });
  } else if (noInclude) {
    findings.push({
      code: 'MISSING_INCLUDE',
      severity: 'warning',
      path: [...path, 'include'],
      message: `${shown} has no "include" rule; say when to use it`,
    });
  } else if (noExclude) {
    findings.push({
      code: 'MISSING_EXCLUDE',
      severity: 'warning',
      path: [...path, 'exclude'],
      message: `${shown} has no "exclude" rule; say when not to use it and which code to use instead`,
    });
  }
  if (code['codable'] === false && code['patterns'] !== undefined) {
    findings.push({
      code: 'PATTERNS_NOT_CODABLE',
      severity: 'warning',
      path: [...path, 'patterns'],
      message: `${shown} is a grouping code (codable: false), so the dictionary coder does not use its patterns; move them to the sub-code they are for`,
    });
  }
}

/** Ids are unique across categories and codes: each later use of an id is an error naming the first. */
function checkDuplicateIds(uses: IdUse[], findings: RuleFinding[]): void {
  const firstUse = new Map<string, IdUse>();
  for (const use of uses) {
    const first = firstUse.get(use.id);
    if (first === undefined) {
      firstUse.set(use.id, use);
      continue;
    }
    findings.push({
      code: 'DUPLICATE_ID',
      severity: 'error',
      path: use.path,
      message: `id "${use.id}" is used twice: this ${use.kind} and the ${first.kind} at ${formatRulePath(first.path)}; ids must be unique across categories and codes`,
    });
  }
}

/** Sets name codes of the codebook, each set once. */
function checkSets(
  data: Record<string, unknown>,
  codeIds: ReadonlySet<string>,
  findings: RuleFinding[],
): void {
  const setIds = new Map<string, number>();
  for (const [index, set] of listAt(data['sets']).entries()) {
    if (!isRecord(set)) continue;
    const id = textAt(set, 'id');
    if (id !== undefined) {
      const first = setIds.get(id);
      if (first !== undefined)
        findings.push({
          code: 'DUPLICATE_SET',
          severity: 'error',
          path: ['sets', index, 'id'],
          message: `set id "${id}" is also used by ${formatRulePath(['sets', first])}; set ids must be unique`,
        });
      else setIds.set(id, index);
    }
    for (const [position, code] of listAt(set['codes']).entries()) {
      if (typeof code === 'string' && !codeIds.has(code))
        findings.push({
          code: 'UNKNOWN_SET_CODE',
          severity: 'error',
          path: ['sets', index, 'codes', position],
          message: `set ${id === undefined ? '' : `"${id}" `}names "${code}", which is not a code of this codebook; use a code id (categories cannot be members)`,
        });
    }
  }
}

/** Two siblings with the same label cannot be told apart in tables; a warning. */
function checkSiblingLabels(items: unknown[], path: Path, findings: RuleFinding[]): void {
  const seen = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    if (!isRecord(item)) continue;
    const label = textAt(item, 'label');
    if (label === undefined || label.trim() === '') continue;
    const key = label.trim().toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      continue;
    }
    findings.push({
      code: 'DUPLICATE_LABEL',
      severity: 'warning',
      path: [...path, index, 'label'],
      message: `label "${label}" is also used by ${formatRulePath([...path, first])}; give siblings labels that tell them apart`,
    });
  }
}

/** Numbers for the one-line summary of `coding codebook check`. */
export interface CodebookCounts {
  categories: number;
  codes: number;
}

/** How many categories and codes (sub-codes included) the data holds. */
export function countCodebook(data: unknown): CodebookCounts {
  if (!isRecord(data)) return { categories: 0, codes: 0 };
  let codes = 0;
  const visit = (items: unknown): void => {
    for (const item of listAt(items)) {
      if (!isRecord(item)) continue;
      codes++;
      visit(item['codes']);
    }
  };
  const categories = listAt(data['categories']);
  for (const category of categories) if (isRecord(category)) visit(category['codes']);
  return { categories: categories.filter(isRecord).length, codes };
}
