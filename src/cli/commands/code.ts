/**
 * `coding code --coder NAME`: code units in the terminal, one screen per unit. On a terminal it
 * reads single keys (raw mode); with stdin from a pipe or file it reads one key or command per line,
 * so it can be scripted. Every decision is in the journal before the next screen; signals (Ctrl-C,
 * SIGTERM, a closed terminal) fold the journal and release the lock before the process ends.
 */
import os from 'node:os';
import { createInterface, emitKeypressEvents } from 'node:readline';
import chalk from 'chalk';
import type { Command } from 'commander';
import {
  type FoldResult,
  type OpenedCodeSession,
  openCodeSession,
  type UnitView,
} from '../../app/code-session.js';
import {
  type Draft,
  type MessageTone,
  parseLine,
  type SessionCommand,
  type UnitDecision,
} from '../../core/code-session.js';
import type { CodebookModel } from '../../core/codebook.js';
import { InputError } from '../../errors.js';
import { addWorkspaceOption } from '../common.js';
import { count, printFinding, writeErr } from '../output.js';

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
  /** A question being answered at the bottom (unit id, memo, code id). */
  prompt?: { label: string; text: string } | undefined;
}

/** The visible width of plain text (code points). */
function widthOf(text: string): number {
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

/** Word-wrap plain text to lines of at most `width` code points (words longer than a line are split). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  const limit = Math.max(1, width);
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/\s+/).filter((part) => part !== '')) {
      let rest = Array.from(word);
      while (rest.length > 0) {
        const room = lineWidth === 0 ? limit : limit - lineWidth - 1;
        if (rest.length <= room) {
          line += (lineWidth === 0 ? '' : ' ') + rest.join('');
          lineWidth += (lineWidth === 0 ? 0 : 1) + rest.length;
          rest = [];
        } else if (lineWidth > 0) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        } else {
          lines.push(rest.slice(0, limit).join(''));
          rest = rest.slice(limit);
        }
      }
    }
    lines.push(line);
  }
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
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

/** Tokens joined with " · ", wrapped to lines of `width`. */
function flow(tokens: readonly string[], width: number): string[] {
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
      ? { text: `${key}[${on ? 'x' : ' '}]${indent}${code.id}`, on }
      : {
          text: `${key} [${on ? 'x' : ' '}] ${indent}${code.label}${style === 'label-id' ? `  ${code.id}` : ''}`,
          on,
        };
  };
  for (const category of codebook.categories) {
    const header = category.exclusive ? `${category.label} · one code only` : category.label;
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
  const width = Math.max(20, size.width);
  const { position, total, left } = model.progress;
  const unit = model.unit;
  const progress = `${position} / ${total} ${model.scopeLabel}, ${left} left`;
  const heading = unit === undefined ? `end of the list  ${progress}` : `${unit.unitId}  ${progress}`;
  const coder = `coder ${model.coder}`;
  const headerText =
    widthOf(heading) + 2 + widthOf(coder) <= width
      ? heading + ' '.repeat(width - widthOf(heading) - widthOf(coder)) + coder
      : clip(heading, width);
  const top: StyledLine[] = [{ text: headerText, style: chalk.bold }];
  if (unit !== undefined) {
    // The metadata is short and tells the coder who speaks: the title gives way first.
    const meta = [unit.actor, unit.date, unit.role].filter((part) => part !== '').join(' · ');
    const title = meta === '' ? unit.title : clip(unit.title, Math.max(10, width - widthOf(meta) - 3));
    top.push({ text: clip(meta === '' ? title : `${title} — ${meta}`, width), style: chalk.dim });
  }
  top.push({ text: '─'.repeat(width), style: chalk.dim });

  const bottom: StyledLine[] = [{ text: '─'.repeat(width), style: chalk.dim }];
  if (model.draft.memo !== '') bottom.push({ text: clip(`memo: ${model.draft.memo}`, width) });
  if (model.prompt)
    bottom.push({ text: clip(`${model.prompt.label}${model.prompt.text}▏`, width), style: chalk.bold });
  else if (model.message)
    bottom.push({ text: clip(model.message.text, width), style: toneStyle(model.message.tone) });
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
    const unitLines = wrap(unit.text, textWidth);
    const beforeLines = unit.before === '' ? [] : wrap(unit.before, textWidth);
    const afterLines = unit.after === '' ? [] : wrap(unit.after, textWidth);
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
        shownUnit = unitLines.slice(0, Math.max(0, textRoom - 1));
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
    if (unitCut)
      middle.push({ text: clip('│ … the text goes on: ? shows all of it', width), style: chalk.yellow });
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
  return lines.map((line) => line.styled ?? (line.style ? line.style(line.text) : line.text));
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
    for (const line of wrap(text, width - indent))
      lines.push(' '.repeat(indent) + (style ? style(line) : line));
  };
  if (unit !== undefined) {
    lines.push(chalk.bold(clip(`${unit.unitId} — the whole unit`, width)));
    indented(unit.text, 2);
    lines.push('');
  }
  lines.push(
    chalk.bold(
      clip(
        `Codebook ${codebook.codebook.name}${codebook.exclusive ? ' (exclusive: one code per unit)' : ''}`,
        width,
      ),
    ),
  );
  for (const category of codebook.categories) {
    lines.push('');
    lines.push(chalk.bold(clip(`${category.label}${category.exclusive ? ' · one code only' : ''}`, width)));
    if (category.description) indented(category.description, 2, chalk.dim);
    for (const id of category.codeIds) {
      const code = codebook.codeById.get(id)!;
      lines.push(clip(`  ${keys[code.index] ?? ':'} ${code.id}  ${code.label}`, width));
      if (code.definition) indented(code.definition, 6);
      if (code.include) indented(`use when: ${code.include}`, 6);
      if (code.exclude) indented(`not when: ${code.exclude}`, 6);
      for (const example of code.examples) indented(`e.g. “${example}”`, 6, chalk.dim);
    }
  }
  lines.push('');
  lines.push(chalk.bold('Keys'));
  for (const line of flow(keyLegend(keys), width - 2)) lines.push(`  ${line}`);
  return lines;
}

function scopeLabel(opened: OpenedCodeSession): string {
  return `in ${opened.scope}${opened.uncoded ? ', not reviewed at start' : ''}`;
}

function modelOf(
  opened: OpenedCodeSession,
  extra: { message?: ScreenModel['message']; prompt?: ScreenModel['prompt'] },
): ScreenModel {
  const { session } = opened;
  const unitId = session.currentUnit;
  return {
    coder: opened.coder,
    scopeLabel: scopeLabel(opened),
    progress: session.progress,
    unit: unitId === undefined ? undefined : opened.view(unitId),
    stored: session.stored,
    draft: session.draft,
    changed: session.changed,
    codebook: opened.study.codebook,
    keys: opened.keys,
    message: extra.message,
    prompt: extra.prompt,
  };
}

/** Hooks shared by both modes: an interrupt (signal or Ctrl-C) ends the session from outside the loop. */
interface Stopper {
  /** Resolves when the key or line being handled is done (its decision on disk). */
  inFlight: Promise<unknown>;
  stopping: boolean;
  /** The terminal is gone (SIGHUP, or its input ended): write nothing more to it. */
  terminalGone: boolean;
}

type Ending =
  | { kind: 'quit' }
  | { kind: 'eof'; line: number }
  | { kind: 'refused'; line: number; text: string };

// ─── The terminal mode ──────────────────────────────────────────────────────────────────────────

interface Prompt {
  label: string;
  text: string;
  submit(text: string): SessionCommand | { refused: string } | undefined;
}

async function runTerminal(
  opened: OpenedCodeSession,
  output: NodeJS.WriteStream,
  stopper: Stopper,
  interrupt: (signal: NodeJS.Signals) => void,
): Promise<Ending> {
  const { session } = opened;
  const codebook = opened.study.codebook;
  const input = process.stdin;
  // What the start did (a stale lock taken over, decisions recovered) is shown on the first screen too.
  const notes = [...opened.notices, ...opened.warnings.map((warning) => warning.message)];
  let message: ScreenModel['message'] =
    notes.length === 0
      ? undefined
      : {
          text: `${notes[0]}${notes.length > 1 ? ` (+${notes.length - 1} more notes, printed when you quit)` : ''}`,
          tone: 'info',
        };
  let prompt: Prompt | undefined;
  let help: { lines: string[]; page: number } | undefined;

  const size = (): { width: number; height: number } => ({
    // One column is left free: a line that fills the last column would wrap on some terminals.
    width: Math.max(20, (output.columns || 80) - 1),
    height: Math.max(10, output.rows || 24),
  });
  const paint = (lines: string[]): void => {
    if (stopper.terminalGone) return;
    output.write(`\x1b[H${lines.map((line) => `${line}\x1b[K`).join('\r\n')}\x1b[J`);
  };
  const render = (): void => {
    const { width, height } = size();
    if (help) {
      const pageSize = height - 1;
      const pages = Math.max(1, Math.ceil(help.lines.length / pageSize));
      help.page = Math.min(help.page, pages - 1);
      const shown = help.lines.slice(help.page * pageSize, (help.page + 1) * pageSize);
      while (shown.length < pageSize) shown.push('');
      shown.push(
        chalk.inverse(
          clip(
            `page ${help.page + 1} / ${pages} · space next page · p previous · any other key: back to the unit`,
            width,
          ),
        ),
      );
      paint(shown);
      return;
    }
    paint(
      renderScreen(
        modelOf(opened, { message, prompt: prompt ? { label: prompt.label, text: prompt.text } : undefined }),
        { width, height },
      ),
    );
  };

  return new Promise<Ending>((resolve, reject) => {
    let finished = false;
    const end = (ending: Ending): void => {
      if (finished) return;
      finished = true;
      input.off('keypress', onKeypress);
      input.off('end', onEnd);
      output.off('resize', render);
      resolve(ending);
    };
    const apply = async (command: SessionCommand): Promise<void> => {
      const outcome = session.apply(command);
      // On the disk before the next screen.
      await opened.record(outcome.effects);
      message = outcome.message;
      if (outcome.quit) end({ kind: 'quit' });
      else render();
    };
    const handle = async (
      text: string | undefined,
      key: { name?: string; ctrl?: boolean; meta?: boolean; sequence?: string },
    ): Promise<void> => {
      if (finished || stopper.stopping) return;
      if (key.ctrl && key.name === 'c') {
        interrupt('SIGINT');
        return;
      }
      if (prompt) {
        if (key.name === 'return' || key.name === 'enter') {
          const answer = prompt.submit(prompt.text);
          prompt = undefined;
          if (answer === undefined) render();
          else if ('refused' in answer) {
            message = { text: answer.refused, tone: 'refused' };
            render();
          } else await apply(answer);
        } else if (key.name === 'escape') {
          prompt = undefined;
          render();
        } else if (key.name === 'backspace') {
          prompt.text = Array.from(prompt.text).slice(0, -1).join('');
          render();
        } else if (key.ctrl && key.name === 'u') {
          prompt.text = '';
          render();
        } else if (text !== undefined && !key.ctrl && !key.meta && /^[^\x00-\x1f\x7f]+$/u.test(text)) {
          prompt.text += text;
          render();
        }
        return;
      }
      if (help) {
        if (text === ' ' || text === 'n' || key.name === 'pagedown' || key.name === 'down') help.page++;
        else if (text === 'p' || text === 'b' || key.name === 'pageup' || key.name === 'up')
          help.page = Math.max(0, help.page - 1);
        else help = undefined;
        render();
        return;
      }
      message = undefined;
      if (key.ctrl && key.name === 'd') return apply({ kind: 'quit' });
      if (key.name === 'return' || key.name === 'enter' || key.name === 'right')
        return apply({ kind: 'next' });
      if (key.name === 'left') return apply({ kind: 'previous' });
      const typed = (text ?? '').toLowerCase();
      switch (typed) {
        case 'n':
          return apply({ kind: 'next' });
        case 'p':
          return apply({ kind: 'previous' });
        case 'u':
          return apply({ kind: 'next-unreviewed' });
        case '0':
          return apply({ kind: 'none' });
        case 'q':
          return apply({ kind: 'quit' });
        case 'g':
          prompt = {
            label: 'go to unit (Enter: go, Esc: cancel): ',
            text: '',
            submit: (answer) => (answer.trim() === '' ? undefined : { kind: 'goto', unitId: answer.trim() }),
          };
          render();
          return;
        case 'm':
          prompt = {
            label: 'memo (Enter: keep, Esc: cancel): ',
            text: session.draft.memo,
            submit: (answer) => ({ kind: 'memo', text: answer }),
          };
          render();
          return;
        case ':':
          prompt = {
            label: 'code id (Enter: toggle, Esc: cancel): ',
            text: '',
            submit: (answer) => {
              const id = answer.trim();
              if (id === '') return undefined;
              const line = parseLine(`: ${id}`, codebook, opened.keys);
              return line.kind === 'toggle'
                ? line
                : { refused: line.kind === 'unknown' ? line.reason : `"${id}" is not a code` };
            },
          };
          render();
          return;
        case '?': {
          const unitId = session.currentUnit;
          help = {
            lines: helpLines(
              codebook,
              opened.keys,
              unitId === undefined ? undefined : opened.view(unitId),
              size().width,
            ),
            page: 0,
          };
          render();
          return;
        }
      }
      const keyIndex = typed === '' ? -1 : opened.keys.indexOf(typed);
      if (keyIndex >= 0) return apply({ kind: 'toggle', codeIndex: keyIndex });
      if (text !== undefined && text !== '' && !key.ctrl && key.name !== 'escape') {
        message = {
          text: `"${text}" is not a key here: the keys are listed below (? shows the codes)`,
          tone: 'refused',
        };
      }
      render();
    };
    const onKeypress = (
      text: string | undefined,
      key: { name?: string; ctrl?: boolean; meta?: boolean; sequence?: string } | undefined,
    ): void => {
      stopper.inFlight = stopper.inFlight
        .then(() => handle(text, key ?? {}))
        .catch((error: unknown) => {
          if (!finished) {
            finished = true;
            reject(error);
          }
        });
    };
    // The terminal went away without a hangup signal: end as on one.
    const onEnd = (): void => interrupt('SIGHUP');
    emitKeypressEvents(input);
    input.setRawMode(true);
    input.on('keypress', onKeypress);
    input.on('end', onEnd);
    output.on('resize', render);
    input.resume();
    render();
  });
}

// ─── The line mode (stdin is not a terminal) ────────────────────────────────────────────────────

function printUnit(opened: OpenedCodeSession, width: number, message?: ScreenModel['message']): void {
  const lines = renderScreen(
    modelOf(opened, { message }),
    { width, height: Number.POSITIVE_INFINITY },
    { legend: false },
  );
  writeErr(`\n${lines.join('\n')}\n`);
}

function printState(opened: OpenedCodeSession): void {
  const { session } = opened;
  const unit = session.currentUnit;
  if (unit === undefined) return;
  const { draft } = session;
  const marked =
    draft.codes.length > 0
      ? draft.codes.map((code) => opened.study.codebook.codes[code]!.id).join(', ')
      : draft.none
        ? 'no code applies'
        : 'nothing marked';
  writeErr(`${unit}: ${marked}${session.changed ? ' (not saved yet: n saves)' : ''}\n`);
}

async function runLines(opened: OpenedCodeSession, stopper: Stopper): Promise<Ending> {
  const { session } = opened;
  const codebook = opened.study.codebook;
  const width = Math.max(40, Math.min(process.stderr.isTTY ? (process.stderr.columns || 80) - 1 : 80, 120));
  // Lines are read through one buffered iterator, so input piped in all at once is not lost.
  const reader = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  const lines = reader[Symbol.asyncIterator]();
  writeErr(
    `keys, one a line: ${keyLegend(opened.keys).join(' · ')}; "g UNIT" goes to a unit, "m TEXT" sets the memo, a code id toggles that code\n`,
  );
  printUnit(opened, width);
  let lineNumber = 0;
  try {
    for (;;) {
      const next = await lines.next();
      if (stopper.stopping) return new Promise<Ending>(() => {}); // the interrupt ends the process
      if (next.done) return { kind: 'eof', line: lineNumber };
      lineNumber++;
      const step = (async (): Promise<Ending | undefined> => {
        const command = parseLine(next.value, codebook, opened.keys);
        if (command.kind === 'help') {
          const unitId = session.currentUnit;
          writeErr(
            `${helpLines(codebook, opened.keys, unitId === undefined ? undefined : opened.view(unitId), width).join('\n')}\n`,
          );
          return undefined;
        }
        if (command.kind === 'unknown') return { kind: 'refused', line: lineNumber, text: command.reason };
        const outcome = session.apply(command);
        await opened.record(outcome.effects);
        if (outcome.message?.tone === 'refused')
          return { kind: 'refused', line: lineNumber, text: outcome.message.text };
        if (outcome.quit) {
          if (outcome.message) writeErr(`${outcome.message.text}\n`);
          return { kind: 'quit' };
        }
        if (outcome.effects.some((effect) => effect.kind === 'at')) printUnit(opened, width, outcome.message);
        else {
          if (outcome.message) writeErr(`${outcome.message.text}\n`);
          if (command.kind === 'toggle' || command.kind === 'none') printState(opened);
        }
        return undefined;
      })();
      stopper.inFlight = step;
      const ending = await step;
      if (ending) return ending;
    }
  } finally {
    reader.close();
  }
}

// ─── The command ────────────────────────────────────────────────────────────────────────────────

function summary(opened: OpenedCodeSession, result: FoldResult | undefined): string {
  const { session } = opened;
  const made = opened.decisionsMade;
  const { total, left } = session.progress;
  const lines: string[] = [];
  const stored = result?.stored;
  if (stored?.written) {
    lines.push(
      `${count(made, 'decision')} this session → ${opened.shown.csv} (${stored.units.added} unit${stored.units.added === 1 ? '' : 's'} added, ${stored.units.replaced} changed)`,
    );
    if (stored.backup) lines.push(`the previous file is kept in ${stored.backup}`);
  } else lines.push(`${count(made, 'decision')} this session; ${opened.shown.csv} is unchanged`);
  lines.push(`${total - left} of ${count(total, 'unit')} ${scopeLabel(opened)} reviewed, ${left} left`);
  return `${lines.join('\n')}\n`;
}

function resumeHint(
  opened: OpenedCodeSession,
  flags: { sample?: boolean; uncoded?: boolean; workspace?: string },
): string {
  const parts = ['coding code', '--coder', opened.coder];
  if (flags.sample) parts.push('--sample');
  if (flags.uncoded) parts.push('--uncoded');
  if (flags.workspace !== undefined) parts.push('-w', flags.workspace);
  return `go on with: ${parts.join(' ')}\n`;
}

export function registerCode(program: Command): void {
  const command = program
    .command('code')
    .description('code units in the terminal, one screen per unit; every decision is on disk as it is made')
    .requiredOption('--coder <name>', 'who codes: the codes go to annotations/<name>.csv')
    .option('--sample', 'only the units of the double-coding sample (annotations/sample.csv)')
    .option('--from <unit>', 'start at this unit (default: where the last session stopped)')
    .option('--uncoded', 'only the units you had not reviewed when the session starts');
  addWorkspaceOption(command);
  command.addHelpText(
    'after',
    `
Keys (shown on screen): 1–9 and letters toggle a code (in an exclusive category a second code
replaces the first); 0 marks "reviewed, no code applies"; n or Enter saves and goes on; p goes
back; g jumps to a unit; u goes to the next unit not reviewed; m sets the unit's memo; : toggles a
code by id; ? shows the whole unit and the codes' definitions and rules; q saves and quits.
n on a unit with nothing marked skips it: it stays "not reviewed", which is not "no code".

Every decision is appended to annotations/<name>.journal (flushed to disk) before the next screen,
and folded into annotations/<name>.csv when the session ends and when the next one starts; killing
the terminal loses at most the unit on screen. annotations/<name>.lock keeps a second session for
the same coder out.

With stdin not a terminal, each line is one key or command: 1, n, 0, p, u, q, ?, "g UNIT",
"m MEMO TEXT", or a code id. A line that cannot be carried out stops the session (exit 2).

Examples:
  coding code --coder ana --sample
  coding code --coder ana --from call:3
  printf '1\\nn\\n0\\nn\\nq\\n' | coding code --coder ana`,
  );
  command.action(
    async (flags: {
      coder: string;
      sample?: boolean;
      from?: string;
      uncoded?: boolean;
      workspace?: string;
    }) => {
      const opened = await openCodeSession({
        cwd: process.cwd(),
        workspace: flags.workspace,
        coder: flags.coder,
        sample: flags.sample === true,
        from: flags.from,
        uncoded: flags.uncoded === true,
      });
      const onExit = (): void => opened.releaseSync();
      process.on('exit', onExit);
      for (const notice of opened.notices) writeErr(`${chalk.cyan('note:')} ${notice}\n`);
      for (const warning of opened.warnings) printFinding(warning);
      const configured = opened.study.workspace.config.coders.names;
      if (configured.length > 0 && !configured.includes(opened.coder))
        writeErr(
          `${chalk.cyan('note:')} ${opened.coder} is not among the coders of coding.yaml (${configured.join(', ')}); add the name there for the commands that read the coders from it\n`,
        );
      if (opened.session.units.length === 0) {
        await opened.finish();
        writeErr(
          `nothing to code: every unit in ${opened.scope === 'sample' ? 'the sample' : 'the corpus'} is reviewed already (leave out --uncoded to revisit them)\n`,
        );
        return;
      }

      const output = process.stdout.isTTY
        ? process.stdout
        : process.stderr.isTTY
          ? process.stderr
          : undefined;
      const terminal = process.stdin.isTTY === true && output !== undefined;
      const stopper: Stopper = { inFlight: Promise.resolve(), stopping: false, terminalGone: false };
      let leaveScreen = (): void => {};

      const interrupt = (signal: NodeJS.Signals): void => {
        if (stopper.stopping) return;
        stopper.stopping = true;
        if (signal === 'SIGHUP') stopper.terminalGone = true;
        void (async () => {
          const unsaved = opened.session.changed ? opened.session.currentUnit : undefined;
          await stopper.inFlight.catch(() => {});
          leaveScreen();
          let result: FoldResult | undefined;
          let failure: unknown;
          try {
            result = await opened.finish();
          } catch (error) {
            failure = error;
          }
          if (!stopper.terminalGone) {
            writeErr(
              `\nstopped (${signal})${unsaved ? `: the changes to ${unsaved} on screen were not saved` : ''}\n`,
            );
            if (failure)
              writeErr(
                `the journal could not be folded: ${failure instanceof Error ? failure.message : String(failure)}; it is kept in ${opened.shown.journal} and folded at the next start\n`,
              );
            else writeErr(summary(opened, result));
          }
          process.exit(128 + (os.constants.signals[signal] ?? 1));
        })();
      };
      const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
      const handlers = signals.map((signal) => {
        const handler = (): void => interrupt(signal);
        process.on(signal, handler);
        return [signal, handler] as const;
      });

      let ending: Ending;
      try {
        if (terminal && output) {
          output.write('\x1b[?1049h\x1b[?25l');
          leaveScreen = () => {
            leaveScreen = () => {};
            if (stopper.terminalGone) return;
            try {
              process.stdin.setRawMode(false);
            } catch {
              // The terminal is gone.
            }
            output.write('\x1b[?25h\x1b[?1049l');
          };
          try {
            ending = await runTerminal(opened, output, stopper, interrupt);
          } finally {
            if (!stopper.stopping) {
              leaveScreen();
              process.stdin.pause();
            }
          }
        } else ending = await runLines(opened, stopper);
      } catch (error) {
        if (!stopper.stopping) {
          // Signals from here on wait for the fold instead of starting another.
          stopper.stopping = true;
          try {
            await opened.finish();
          } catch (foldError) {
            writeErr(
              `the journal could not be folded (${foldError instanceof Error ? foldError.message : String(foldError)}); it is kept in ${opened.shown.journal} and folded at the next start\n`,
            );
          } finally {
            for (const [signal, handler] of handlers) process.off(signal, handler);
          }
        }
        throw error;
      }
      if (stopper.stopping) return new Promise<void>(() => {}); // the interrupt ends the process
      stopper.stopping = true;
      const unsaved = opened.session.changed ? opened.session.currentUnit : undefined;
      let result: FoldResult;
      try {
        result = await opened.finish();
      } finally {
        for (const [signal, handler] of handlers) process.off(signal, handler);
      }
      process.off('exit', onExit);
      writeErr(summary(opened, result));
      if (ending.kind === 'refused') {
        throw new InputError(ending.text, {
          location: { file: '<stdin>', line: ending.line },
          hint: `the session stopped there so that no code lands on the wrong unit; the decisions before it are saved. ${resumeHint(opened, flags).trim()}`,
        });
      }
      if (ending.kind === 'eof') {
        if (unsaved !== undefined) {
          throw new InputError(
            `the input ended (after line ${ending.line}) with changes to ${unsaved} that were not saved`,
            {
              hint: `end each unit with n (or an empty line) and the input with q; the decisions before it are saved. ${resumeHint(opened, flags).trim()}`,
            },
          );
        }
        writeErr('the input ended: stopped as with q\n');
      }
    },
  );
}
