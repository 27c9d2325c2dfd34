/**
 * The terminal drawing of a coding session: a screen of at most width × height for the unit on
 * screen, and the help page. Every piece of corpus text, metadata, memo and codebook text goes
 * through `visibleText`, so a control sequence in the data is shown (␛), never sent raw.
 * Wrapping is linear in the text; a unit longer than the screen is shown a page at a time.
 */
import chalk from 'chalk';
import type { UnitView } from '../../app/code-session.js';
import type { Draft, MessageTone, UnitDecision } from '../../core/code-session.js';
import type { CodebookModel } from '../../core/codebook.js';
import { count } from '../output.js';
import { clip, flow, shown, shownLines, widthOf, wrap } from './screen-text.js';

/** Everything a screen shows. */
export interface ScreenModel {
  coder: string;
  /** `in sample`, `in corpus`, `in sample, not reviewed at start` … */
  scopeLabel: string;
  progress: { position: number; total: number; left: number };
  unit: UnitView | undefined;
  stored: UnitDecision | undefined;
  draft: Draft;
  changed: boolean;
  codebook: CodebookModel;
  keys: ReadonlyArray<string | undefined>;
  message?: { text: string; tone: MessageTone } | undefined;
  /** The page of the unit's text shown, when it is longer than the screen (0-based; default 0). */
  unitPage?: number | undefined;
  /** A question being answered at the bottom (unit id, memo, code id). */
  prompt?: { label: string; text: string } | undefined;
}

/** The last wrapping done, kept: the screen is drawn again on every key, the unit's text is not. */
let lastWrap: { text: string; width: number; lines: string[] } | undefined;
function wrapUnit(text: string, width: number): string[] {
  if (lastWrap === undefined || lastWrap.width !== width || lastWrap.text !== text)
    lastWrap = { text, width, lines: wrap(shownLines(text), width) };
  return lastWrap.lines;
}

function describeCodes(codebook: CodebookModel, decision: UnitDecision): string {
  return decision.codes.length === 0
    ? 'no code applies'
    : decision.codes.map((code) => codebook.codes[code]!.id).join(', ');
}

/** `1–9`, `1–c`: the range of code keys, for the key line. */
function keyRange(keys: ReadonlyArray<string | undefined>): string {
  const assigned = keys.filter((key): key is string => key !== undefined);
  if (assigned.length === 0) return '';
  return assigned.length === 1 ? assigned[0]! : `${assigned[0]}–${assigned[assigned.length - 1]}`;
}

/** The key bindings, as shown under every screen and in the help. */
export function keyLegend(keys: ReadonlyArray<string | undefined>): string[] {
  const range = keyRange(keys);
  return [
    ...(range === '' ? [] : [`${range} toggle a code`]),
    '0 no code applies',
    'n/Enter save, next',
    'p back',
    'g go to unit',
    'u next not reviewed',
    'm memo',
    ...(keys.some((key) => key === undefined) ? [': code by id'] : []),
    '? definitions',
    'q save, quit',
  ];
}

/** Keys that page through a unit longer than the screen (listed in the help; the screen says so). */
export const pageKeys = ['Space/PgDn next page of a long unit', 'PgUp previous page'];

interface StyledLine {
  /** The plain text, at most the width of the screen. */
  text: string;
  style?: (text: string) => string;
  /** The text with its colours, when they apply to parts of it. */
  styled?: string;
}

/**
 * How much of each code the list shows: label and id, the label only, or (the fewest lines) the
 * key and id only.
 */
type CodeListStyle = 'label-id' | 'label' | 'id';

/** The code list, category by category, in columns that fit `width`. */
function codeLines(model: ScreenModel, width: number, style: CodeListStyle): StyledLine[] {
  const compact = style === 'id';
  const { codebook, keys, draft } = model;
  const lines: StyledLine[] = [];
  if (codebook.exclusive)
    lines.push({ text: clip('one code per unit (the codebook is exclusive)', width), style: chalk.dim });
  const item = (index: number): { text: string; on: boolean } => {
    const code = codebook.codes[index]!;
    const on = draft.codes.includes(index);
    const key = keys[index] ?? ' ';
    const indent = '  '.repeat(code.depth);
    return compact
      ? { text: `${key}[${on ? 'x' : ' '}]${indent}${shown(code.id)}`, on }
      : {
          text: `${key} [${on ? 'x' : ' '}] ${indent}${shown(code.label)}${style === 'label-id' ? `  ${shown(code.id)}` : ''}`,
          on,
        };
  };
  for (const category of codebook.categories) {
    const header = category.exclusive ? `${shown(category.label)} · one code only` : shown(category.label);
    lines.push({ text: clip(header, width), style: chalk.bold });
    const items = category.codeIds.map((id) => item(codebook.codeById.get(id)!.index));
    const cellWidth = Math.min(width - 1, Math.max(...items.map((entry) => widthOf(entry.text))) + 2);
    const columns = Math.max(1, Math.floor((width - 1) / cellWidth));
    for (let start = 0; start < items.length; start += columns) {
      const row = items.slice(start, start + columns);
      const cells = row.map((entry, index) => {
        const cell = clip(entry.text, cellWidth - 2);
        const padded = index === row.length - 1 ? cell : cell + ' '.repeat(cellWidth - 2 - widthOf(cell));
        return { plain: padded, styled: entry.on ? chalk.green.bold(padded) : padded };
      });
      lines.push({
        text: ` ${cells.map((cell) => cell.plain).join('  ')}`,
        styled: ` ${cells.map((cell) => cell.styled).join('  ')}`,
      });
    }
  }
  const none = draft.none && draft.codes.length === 0;
  lines.push({
    text: compact ? ` 0[${none ? 'x' : ' '}]no code applies` : ` 0 [${none ? 'x' : ' '}] no code applies`,
    ...(none ? { style: chalk.green.bold } : {}),
  });
  return lines;
}

function toneStyle(tone: MessageTone): (text: string) => string {
  return tone === 'saved' ? chalk.green : tone === 'refused' ? chalk.yellow : chalk.cyan;
}

function stateText(model: ScreenModel): string {
  if (model.unit === undefined) return '';
  if (model.changed) return 'changed, not saved yet: n saves';
  if (model.stored === undefined) return 'not reviewed';
  return `reviewed: ${describeCodes(model.codebook, model.stored)}`;
}

/**
 * The screen for a unit as lines of at most `width` columns and, with a finite `height`, at most
 * `height` lines: the unit text comes first, then the context around it, and the codes get what
 * is left (compact, then cut with a pointer to `?`). With an infinite height nothing is cut.
 */
export function renderScreen(
  model: ScreenModel,
  size: { width: number; height: number },
  options: { legend?: boolean } = {},
): string[] {
  return layoutScreen(model, size, options).lines;
}

/** The screen, and how many pages the unit's text takes on it (1 when it fits). */
export function layoutScreen(
  model: ScreenModel,
  size: { width: number; height: number },
  options: { legend?: boolean } = {},
): { lines: string[]; unitPages: number } {
  const width = Math.max(20, size.width);
  const top = headerLines(model, width);
  const bottom = footerLines(model, width, options.legend !== false);
  const middle =
    model.unit === undefined
      ? { lines: endOfListLines(model, width), unitPages: 1 }
      : unitLinesOnScreen(model, model.unit, width, size.height - top.length - bottom.length);
  const lines = [...top, ...middle.lines];
  if (Number.isFinite(size.height)) {
    while (lines.length + bottom.length < size.height) lines.push({ text: '' });
    lines.length = Math.min(lines.length, Math.max(0, size.height - bottom.length));
  }
  lines.push(...bottom);
  return {
    lines: lines.map((line) => line.styled ?? (line.style ? line.style(line.text) : line.text)),
    unitPages: middle.unitPages,
  };
}

/** The top of the screen: the unit, the progress and the coder; the document's title and metadata; a rule. */
function headerLines(model: ScreenModel, width: number): StyledLine[] {
  const { position, total, left } = model.progress;
  const unit = model.unit;
  const progress = `${position} / ${total} ${model.scopeLabel}, ${left} left`;
  const heading = unit === undefined ? `end of the list  ${progress}` : `${shown(unit.unitId)}  ${progress}`;
  const coder = `coder ${model.coder}`;
  const headerText =
    widthOf(heading) + 2 + widthOf(coder) <= width
      ? heading + ' '.repeat(width - widthOf(heading) - widthOf(coder)) + coder
      : clip(heading, width);
  const top: StyledLine[] = [{ text: headerText, style: chalk.bold }];
  if (unit !== undefined) {
    // The metadata is short and tells the coder who speaks: the title gives way first.
    const meta = [unit.actor, unit.date, unit.role]
      .filter((part) => part !== '')
      .map(shown)
      .join(' · ');
    const fullTitle = shown(unit.title);
    const title = meta === '' ? fullTitle : clip(fullTitle, Math.max(10, width - widthOf(meta) - 3));
    top.push({ text: clip(meta === '' ? title : `${title} — ${meta}`, width), style: chalk.dim });
  }
  top.push({ text: '─'.repeat(width), style: chalk.dim });
  return top;
}

/** The bottom of the screen: a rule, the memo, the prompt or message or state, and the key legend. */
function footerLines(model: ScreenModel, width: number, legend: boolean): StyledLine[] {
  const bottom: StyledLine[] = [{ text: '─'.repeat(width), style: chalk.dim }];
  if (model.draft.memo !== '') bottom.push({ text: clip(`memo: ${shown(model.draft.memo)}`, width) });
  if (model.prompt)
    bottom.push({ text: clip(`${model.prompt.label}${model.prompt.text}▏`, width), style: chalk.bold });
  else if (model.message)
    bottom.push({ text: clip(shown(model.message.text), width), style: toneStyle(model.message.tone) });
  else bottom.push({ text: clip(stateText(model), width), style: chalk.dim });
  if (legend)
    for (const line of flow(keyLegend(model.keys), width)) bottom.push({ text: line, style: chalk.dim });
  return bottom;
}

/** The middle of the end screen: how many units there were, how many are left, and where to go. */
function endOfListLines(model: ScreenModel, width: number): StyledLine[] {
  const { total, left } = model.progress;
  const lines = [
    `You have reached the end of the ${count(total, 'unit')} ${model.scopeLabel}.`,
    left > 0 ? `${left} not reviewed yet: u goes to the next one.` : 'Every one of them is reviewed.',
    'p goes back, g jumps to a unit, q quits.',
  ];
  const middle: StyledLine[] = [];
  for (const line of lines) for (const part of wrap(line, width)) middle.push({ text: part });
  return middle;
}

/** A unit's text and the texts of the units before and after it, wrapped to the text's width. */
interface WrappedUnit {
  before: string[];
  unit: string[];
  after: string[];
}

/** What of a unit fits on the screen: the context, the unit (one page of it when cut), and the codes. */
interface FittedUnit extends WrappedUnit {
  codes: StyledLine[];
  /** The page of the unit shown and the number of pages, when the unit does not fit whole. */
  page?: { index: number; count: number } | undefined;
}

/**
 * The middle of the screen for a unit, in `available` lines (infinite: nothing is cut): the
 * context before, the unit, the context after, a rule and the codes; and the unit's page count.
 */
function unitLinesOnScreen(
  model: ScreenModel,
  unit: UnitView,
  width: number,
  available: number,
): { lines: StyledLine[]; unitPages: number } {
  const textWidth = width - 2;
  const wrapped: WrappedUnit = {
    unit: wrapUnit(unit.text, textWidth),
    before: unit.before === '' ? [] : wrap(shownLines(unit.before), textWidth),
    after: unit.after === '' ? [] : wrap(shownLines(unit.after), textWidth),
  };
  const variants = (['label-id', 'label', 'id'] as const).map((style) => codeLines(model, width, style)) as [
    StyledLine[],
    StyledLine[],
    StyledLine[],
  ];
  const fitted: FittedUnit = Number.isFinite(available)
    ? // One line of the room goes to the rule between the text and the codes.
      fitUnit(wrapped, variants, available - 1, width, model.unitPage ?? 0)
    : { ...wrapped, codes: variants[0] };
  const middle: StyledLine[] = [];
  for (const line of fitted.before) middle.push({ text: `  ${line}`, style: chalk.dim });
  for (const line of fitted.unit) middle.push({ text: `│ ${line}`, style: chalk.bold });
  if (fitted.page !== undefined) {
    const { index, count: pages } = fitted.page;
    const where = `page ${index + 1}/${pages}`;
    const note =
      index + 1 < pages
        ? `│ … ${where}, Space: next · the text goes on: ? shows all of it`
        : `│ … ${where}, the end; PgUp: back · ? shows all of it`;
    middle.push({ text: clip(note, width), style: chalk.yellow });
  }
  for (const line of fitted.after) middle.push({ text: `  ${line}`, style: chalk.dim });
  middle.push({ text: '─'.repeat(width), style: chalk.dim });
  middle.push(...fitted.codes);
  return { lines: middle, unitPages: fitted.page?.count ?? 1 };
}

/**
 * Shares `room` lines among the codes, the unit and its context: the unit text comes first, then
 * the context around it, and the codes get what is left (compact, then cut with a pointer to `?`).
 * A unit longer than its share is shown a page at a time (`requestedPage`, kept within the pages).
 */
function fitUnit(
  wrapped: WrappedUnit,
  variants: [StyledLine[], StyledLine[], StyledLine[]],
  room: number,
  width: number,
  requestedPage: number,
): FittedUnit {
  const codes = codesInRoom(wrapped, variants, room, width);
  const textRoom = room - codes.length;
  let unit = wrapped.unit;
  let page: FittedUnit['page'];
  if (wrapped.unit.length > textRoom) {
    // A page of the unit, the last line of the room saying where in the unit the page is.
    const pageSize = Math.max(1, textRoom - 1);
    const pages = Math.ceil(wrapped.unit.length / pageSize);
    const index = Math.min(Math.max(0, requestedPage), pages - 1);
    unit = wrapped.unit.slice(index * pageSize, (index + 1) * pageSize);
    page = { index, count: pages };
  }
  const spare = Math.max(0, textRoom - wrapped.unit.length);
  return { ...contextInRoom(wrapped, spare, width - 2), unit, codes, page };
}

/**
 * The code list for a unit's screen: the richest that leaves room for the unit and two lines of
 * context on each side, else one line; the bare ids only when labels do not fit even then. It may
 * take what the unit leaves and at least half of the room; a longer list is cut with a pointer to `?`.
 */
function codesInRoom(
  wrapped: WrappedUnit,
  variants: [StyledLine[], StyledLine[], StyledLine[]],
  room: number,
  width: number,
): StyledLine[] {
  const fits = (variant: StyledLine[], context: number): boolean =>
    variant.length +
      wrapped.unit.length +
      Math.min(context, wrapped.before.length) +
      Math.min(context, wrapped.after.length) <=
    room;
  const [withIds, labels, ids] = variants;
  const preferences: Array<{ list: StyledLine[]; context: number }> = [
    { list: withIds, context: 2 },
    { list: labels, context: 2 },
    { list: withIds, context: 1 },
    { list: labels, context: 1 },
    { list: ids, context: 1 },
  ];
  const codes =
    preferences.find((preference) => fits(preference.list, preference.context))?.list ??
    variants.reduce((shortest, variant) => (variant.length < shortest.length ? variant : shortest));
  const codesRoom = Math.min(codes.length, Math.max(room - wrapped.unit.length, Math.floor(room / 2)));
  if (codesRoom >= codes.length) return codes;
  return [
    ...codes.slice(0, Math.max(0, codesRoom - 1)),
    {
      text: clip(`… ${count(codes.length - codesRoom + 1, 'more line')} of codes: ? shows all`, width),
      style: chalk.yellow,
    },
  ];
}

/**
 * The context that fits in `spare` lines: the end of the unit before and the start of the unit
 * after, half each unless one needs less; a cut side is marked with "…".
 */
function contextInRoom(
  wrapped: WrappedUnit,
  spare: number,
  textWidth: number,
): { before: string[]; after: string[] } {
  const { before: beforeLines, after: afterLines } = wrapped;
  const beforeRoom = Math.min(beforeLines.length, Math.max(Math.floor(spare / 2), spare - afterLines.length));
  const afterRoom = Math.min(afterLines.length, spare - beforeRoom);
  const before = beforeRoom === 0 ? [] : beforeLines.slice(beforeLines.length - beforeRoom);
  if (beforeRoom > 0 && beforeRoom < beforeLines.length) before[0] = clip(`… ${before[0]}`, textWidth);
  const after = afterLines.slice(0, afterRoom);
  if (afterRoom > 0 && afterRoom < afterLines.length) {
    const last = after[afterRoom - 1]!;
    after[afterRoom - 1] = `${clip(last, textWidth - 1)}…`;
  }
  return { before, after };
}

/** The `?` page: the whole unit, then every code with its key, definition, rules and examples. */
export function helpLines(
  codebook: CodebookModel,
  keys: ReadonlyArray<string | undefined>,
  unit: UnitView | undefined,
  width: number,
): string[] {
  const lines: string[] = [];
  const indented = (text: string, indent: number, style?: (text: string) => string): void => {
    for (const line of wrap(shownLines(text), width - indent))
      lines.push(' '.repeat(indent) + (style ? style(line) : line));
  };
  if (unit !== undefined) {
    lines.push(chalk.bold(clip(`${shown(unit.unitId)} — the whole unit`, width)));
    indented(unit.text, 2);
    lines.push('');
  }
  lines.push(
    chalk.bold(
      clip(
        `Codebook ${shown(codebook.codebook.name)}${codebook.exclusive ? ' (exclusive: one code per unit)' : ''}`,
        width,
      ),
    ),
  );
  for (const category of codebook.categories) {
    lines.push('');
    lines.push(
      chalk.bold(clip(`${shown(category.label)}${category.exclusive ? ' · one code only' : ''}`, width)),
    );
    if (category.description) indented(category.description, 2, chalk.dim);
    for (const id of category.codeIds) {
      const code = codebook.codeById.get(id)!;
      lines.push(clip(`  ${keys[code.index] ?? ':'} ${shown(code.id)}  ${shown(code.label)}`, width));
      if (code.definition) indented(code.definition, 6);
      if (code.include) indented(`use when: ${code.include}`, 6);
      if (code.exclude) indented(`not when: ${code.exclude}`, 6);
      for (const example of code.examples) indented(`e.g. “${example}”`, 6, chalk.dim);
    }
  }
  lines.push('');
  lines.push(chalk.bold('Keys'));
  for (const line of flow([...keyLegend(keys), ...pageKeys], width - 2)) lines.push(`  ${line}`);
  return lines;
}
