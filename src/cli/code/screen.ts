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
import { visibleText } from '../../core/visible-text.js';
import { count } from '../output.js';

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

/** The visible width of plain text (code points). */
export function widthOf(text: string): number {
  let width = 0;
  for (const _ of text) width++;
  return width;
}

/** Plain text cut to `width` code points, with "…" when cut. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  if (widthOf(text) <= width) return text;
  return `${Array.from(text)
    .slice(0, Math.max(0, width - 1))
    .join('')}…`;
}

/** Corpus text, metadata, memos and codebook text as a terminal may show them: controls made visible. */
export const shown = (text: string): string => visibleText(text);
/** The same, keeping line feeds and tabs (for text wrapped over several lines). */
const shownLines = (text: string): string => visibleText(text, { keepLineFeeds: true, keepTabs: true });

/**
 * Word-wrap plain text to lines of at most `width` code points (words longer than a line are split).
 * Linear in the length of the text: a word of a megabyte is cut in one pass.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  const limit = Math.max(1, width);
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const match of paragraph.matchAll(/\S+/gu)) {
      const word = match[0];
      const wordWidth = widthOf(word);
      if (wordWidth <= (lineWidth === 0 ? limit : limit - lineWidth - 1)) {
        line += (lineWidth === 0 ? '' : ' ') + word;
        lineWidth += (lineWidth === 0 ? 0 : 1) + wordWidth;
        continue;
      }
      if (lineWidth > 0) {
        lines.push(line);
        line = '';
        lineWidth = 0;
      }
      if (wordWidth <= limit) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      // A word longer than a line: cut into lines of `limit` code points, the rest begins a line.
      let chunk = '';
      let chunkWidth = 0;
      for (const character of word) {
        chunk += character;
        chunkWidth++;
        if (chunkWidth === limit) {
          lines.push(chunk);
          chunk = '';
          chunkWidth = 0;
        }
      }
      // The last full piece stays the current line, so that a following word may join it.
      if (chunkWidth === 0) {
        line = lines.pop()!;
        lineWidth = limit;
      } else {
        line = chunk;
        lineWidth = chunkWidth;
      }
    }
    lines.push(line);
  }
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
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

/** Tokens joined with " · ", wrapped to lines of `width`. */
export function flow(tokens: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const candidate = line === '' ? token : `${line} · ${token}`;
    if (widthOf(candidate) <= width || line === '') line = candidate;
    else {
      lines.push(line);
      line = token;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((text) => clip(text, width));
}

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
  let unitPages = 1;
  let unitPage = 0;
  const width = Math.max(20, size.width);
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

  const bottom: StyledLine[] = [{ text: '─'.repeat(width), style: chalk.dim }];
  if (model.draft.memo !== '') bottom.push({ text: clip(`memo: ${shown(model.draft.memo)}`, width) });
  if (model.prompt)
    bottom.push({ text: clip(`${model.prompt.label}${model.prompt.text}▏`, width), style: chalk.bold });
  else if (model.message)
    bottom.push({ text: clip(shown(model.message.text), width), style: toneStyle(model.message.tone) });
  else bottom.push({ text: clip(stateText(model), width), style: chalk.dim });
  if (options.legend !== false)
    for (const line of flow(keyLegend(model.keys), width)) bottom.push({ text: line, style: chalk.dim });

  const middle: StyledLine[] = [];
  if (unit === undefined) {
    const lines = [
      `You have reached the end of the ${count(total, 'unit')} ${model.scopeLabel}.`,
      left > 0 ? `${left} not reviewed yet: u goes to the next one.` : 'Every one of them is reviewed.',
      'p goes back, g jumps to a unit, q quits.',
    ];
    for (const line of lines) for (const part of wrap(line, width)) middle.push({ text: part });
  } else {
    const textWidth = width - 2;
    const unitLines = wrapUnit(unit.text, textWidth);
    const beforeLines = unit.before === '' ? [] : wrap(shownLines(unit.before), textWidth);
    const afterLines = unit.after === '' ? [] : wrap(shownLines(unit.after), textWidth);
    const variants = (['label-id', 'label', 'id'] as const).map((style) => codeLines(model, width, style));
    const available = size.height - top.length - bottom.length;
    let codes = variants[0]!;
    let shownUnit = unitLines;
    let shownBefore = beforeLines;
    let shownAfter = afterLines;
    let unitCut = false;
    if (Number.isFinite(available)) {
      const room = available - 1; // the rule between the text and the codes
      // The richest list that leaves room for the unit and two lines of context on each side, else
      // one line; the bare ids only when labels do not fit even then.
      const fits = (variant: StyledLine[], context: number): boolean =>
        variant.length +
          unitLines.length +
          Math.min(context, beforeLines.length) +
          Math.min(context, afterLines.length) <=
        room;
      const [withIds, labels, ids] = variants as [StyledLine[], StyledLine[], StyledLine[]];
      const preferences: Array<{ list: StyledLine[]; context: number }> = [
        { list: withIds, context: 2 },
        { list: labels, context: 2 },
        { list: withIds, context: 1 },
        { list: labels, context: 1 },
        { list: ids, context: 1 },
      ];
      codes =
        preferences.find((preference) => fits(preference.list, preference.context))?.list ??
        variants.reduce((shortest, variant) => (variant.length < shortest.length ? variant : shortest));
      // The codes may take what the unit leaves, and at least half of the room.
      const codesRoom = Math.min(codes.length, Math.max(room - unitLines.length, Math.floor(room / 2)));
      if (codesRoom < codes.length) {
        codes = [
          ...codes.slice(0, Math.max(0, codesRoom - 1)),
          {
            text: clip(`… ${count(codes.length - codesRoom + 1, 'more line')} of codes: ? shows all`, width),
            style: chalk.yellow,
          },
        ];
      }
      const textRoom = room - codes.length;
      if (unitLines.length > textRoom) {
        // A page of the unit, the last line of the room saying where in the unit the page is.
        const pageSize = Math.max(1, textRoom - 1);
        unitPages = Math.ceil(unitLines.length / pageSize);
        unitPage = Math.min(Math.max(0, model.unitPage ?? 0), unitPages - 1);
        shownUnit = unitLines.slice(unitPage * pageSize, (unitPage + 1) * pageSize);
        unitCut = true;
      }
      const spare = Math.max(0, textRoom - unitLines.length);
      const beforeRoom = Math.min(
        beforeLines.length,
        Math.max(Math.floor(spare / 2), spare - afterLines.length),
      );
      const afterRoom = Math.min(afterLines.length, spare - beforeRoom);
      shownBefore = beforeRoom === 0 ? [] : beforeLines.slice(beforeLines.length - beforeRoom);
      if (beforeRoom > 0 && beforeRoom < beforeLines.length)
        shownBefore[0] = clip(`… ${shownBefore[0]}`, textWidth);
      shownAfter = afterLines.slice(0, afterRoom);
      if (afterRoom > 0 && afterRoom < afterLines.length) {
        const last = shownAfter[afterRoom - 1]!;
        shownAfter[afterRoom - 1] = `${clip(last, textWidth - 1)}…`;
      }
    }
    for (const line of shownBefore) middle.push({ text: `  ${line}`, style: chalk.dim });
    for (const line of shownUnit) middle.push({ text: `│ ${line}`, style: chalk.bold });
    if (unitCut) {
      const where = `page ${unitPage + 1}/${unitPages}`;
      const note =
        unitPage + 1 < unitPages
          ? `│ … ${where}, Space: next · the text goes on: ? shows all of it`
          : `│ … ${where}, the end; PgUp: back · ? shows all of it`;
      middle.push({ text: clip(note, width), style: chalk.yellow });
    }
    for (const line of shownAfter) middle.push({ text: `  ${line}`, style: chalk.dim });
    middle.push({ text: '─'.repeat(width), style: chalk.dim });
    middle.push(...codes);
  }
  const lines = [...top, ...middle];
  if (Number.isFinite(size.height)) {
    while (lines.length + bottom.length < size.height) lines.push({ text: '' });
    lines.length = Math.min(lines.length, Math.max(0, size.height - bottom.length));
  }
  lines.push(...bottom);
  return {
    lines: lines.map((line) => line.styled ?? (line.style ? line.style(line.text) : line.text)),
    unitPages,
  };
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
