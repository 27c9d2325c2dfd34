import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helpLines, renderScreen, type ScreenModel } from '../../src/cli/code/screen.js';
import { clip, wrap } from '../../src/cli/code/screen-text.js';
import {
  assignCodeKeys,
  CodingSession,
  commandLetters,
  draftOf,
  type JournalRecord,
  latestDecisions,
  parseLine,
  startPosition,
  stoppedAt,
  toggleCode,
  type UnitDecision,
} from '../../src/core/code-session.js';
import { buildCodebookModel, type CodebookModel } from '../../src/core/codebook.js';
import { acquireLock, JournalWriter, journalHeaderLine, readJournal } from '../../src/io/journal.js';
import { codebookSchema } from '../../src/schema/codebook.js';
import { fixtureCodebook } from '../fixtures/study.js';
import { temporaryFolder } from '../helpers.js';

const fixture = buildCodebookModel(codebookSchema.parse(parse(fixtureCodebook)));
// Codes of the fixture: 0 trade.ntb, 1 trade.tariffs, 2 tone.positive, 3 tone.negative (tone is exclusive).

function exclusiveCodebook(): CodebookModel {
  return buildCodebookModel(
    codebookSchema.parse({
      version: 1,
      name: 'stance',
      exclusive: true,
      categories: [
        {
          id: 'stance',
          label: 'Stance',
          codes: [
            { id: 'for', label: 'For' },
            { id: 'against', label: 'Against' },
          ],
        },
        { id: 'other', label: 'Other', codes: [{ id: 'unclear', label: 'Unclear' }] },
      ],
    }),
  );
}

function bigCodebook(codes: number): CodebookModel {
  return buildCodebookModel(
    codebookSchema.parse({
      version: 1,
      name: 'big',
      categories: Array.from({ length: Math.ceil(codes / 5) }, (_, category) => ({
        id: `c${category}`,
        label: `Category ${category}`,
        codes: Array.from({ length: Math.min(5, codes - category * 5) }, (_, index) => ({
          id: `c${category}.code${index}`,
          label: `A fairly long label for code ${index} of category ${category}`,
        })),
      })),
    }),
  );
}

const units = ['call:1', 'call:2', 'call:3', 'call:4'];

function session(decided: Array<[string, UnitDecision]> = [], start = 0): CodingSession {
  return new CodingSession({
    codebook: fixture,
    units,
    decided: new Map(decided),
    start,
    explainOutside: (id) => (id === 'wire:1' ? 'unit wire:1 is not in the sample' : undefined),
  });
}

const stripAnsi = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('code keys', () => {
  it('are 1–9, then letters that are not commands (nor l and o), and none beyond the 27th code', () => {
    const keys = assignCodeKeys(30);
    expect(keys.slice(0, 12)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c']);
    expect(keys[27]).toBeUndefined();
    const letters = keys.filter((key) => key !== undefined && /[a-z]/.test(key));
    expect(letters).toHaveLength(18);
    for (const command of [...commandLetters, 'l', 'o']) expect(letters).not.toContain(command);
    expect(new Set(keys.filter((key) => key !== undefined)).size).toBe(27);
  });
});

describe('toggleCode', () => {
  it('adds and removes codes; a second code of an exclusive category replaces the first', () => {
    expect(toggleCode([], 0, fixture)).toEqual([0]);
    expect(toggleCode([0], 1, fixture)).toEqual([0, 1]);
    expect(toggleCode([0, 1], 0, fixture)).toEqual([1]);
    expect(toggleCode([0, 2], 3, fixture)).toEqual([0, 3]);
    expect(toggleCode([3, 1], 2, fixture)).toEqual([1, 2]);
  });

  it('keeps one code in an exclusive codebook, across categories', () => {
    const stance = exclusiveCodebook();
    expect(toggleCode([0], 1, stance)).toEqual([1]);
    expect(toggleCode([1], 2, stance)).toEqual([2]);
    expect(toggleCode([2], 2, stance)).toEqual([]);
  });
});

describe('CodingSession', () => {
  it('records "at" for the first screen, and a toggled code on n, then the next screen', () => {
    const coding = session();
    expect(coding.enter().effects).toEqual([{ kind: 'at', unitId: 'call:1' }]);
    expect(coding.apply({ kind: 'toggle', codeIndex: 0 }).effects).toEqual([]);
    expect(coding.changed).toBe(true);
    const outcome = coding.apply({ kind: 'next' });
    expect(outcome.effects).toEqual([
      { kind: 'decide', unitId: 'call:1', decision: { codes: [0], memo: '' } },
      { kind: 'at', unitId: 'call:2' },
    ]);
    expect(outcome.message).toEqual({ text: 'saved call:1: trade.ntb', tone: 'saved' });
    expect(coding.progress).toEqual({ position: 2, total: 4, left: 3 });
  });

  it('refuses to apply a code the codebook marks codable: false (a REFI-QDA grouping code), and applies its sub-code', () => {
    const codebook = buildCodebookModel(
      codebookSchema.parse({
        version: 1,
        name: 'grouped',
        categories: [
          {
            id: 'risk',
            label: 'Risk',
            codes: [
              {
                id: 'risk.vaccine',
                label: 'Vaccine risks',
                codable: false,
                codes: [{ id: 'risk.vaccine.poison', label: 'Poison' }],
              },
            ],
          },
        ],
      }),
    );
    const coding = new CodingSession({
      codebook,
      units,
      decided: new Map(),
      start: 0,
      explainOutside: () => undefined,
    });
    coding.enter();
    const refused = coding.apply({ kind: 'toggle', codeIndex: 0 });
    expect(refused.message?.tone).toBe('refused');
    expect(refused.message?.text).toBe(
      'risk.vaccine is a grouping code (codable: false in the codebook): coders cannot apply it; choose one of its sub-codes',
    );
    expect(coding.changed).toBe(false);
    coding.apply({ kind: 'toggle', codeIndex: 1 });
    expect(coding.apply({ kind: 'next' }).effects[0]).toEqual({
      kind: 'decide',
      unitId: 'call:1',
      decision: { codes: [1], memo: '' },
    });
  });

  it('treats n on an untouched unit as a skip (not reviewed), and 0 as "no code applies"', () => {
    const coding = session();
    const skipped = coding.apply({ kind: 'next' });
    expect(skipped.effects).toEqual([{ kind: 'at', unitId: 'call:2' }]);
    expect(skipped.message?.text).toContain('call:1 skipped, not reviewed');
    expect(coding.decided.has('call:1')).toBe(false);
    coding.apply({ kind: 'toggle', codeIndex: 1 });
    coding.apply({ kind: 'none' });
    expect(coding.draft).toEqual({ codes: [], none: true, memo: '' });
    expect(coding.apply({ kind: 'next' }).effects[0]).toEqual({
      kind: 'decide',
      unitId: 'call:2',
      decision: { codes: [], memo: '' },
    });
  });

  it('refuses to leave a memo without a decision once, and drops it when asked again', () => {
    const coding = session();
    coding.apply({ kind: 'memo', text: '  unclear   speaker ' });
    expect(coding.draft.memo).toBe('unclear speaker');
    const refused = coding.apply({ kind: 'next' });
    expect(refused.message?.tone).toBe('refused');
    expect(refused.message?.text).toContain('has a memo but no code');
    expect(refused.effects).toEqual([]);
    expect(coding.currentUnit).toBe('call:1');
    const again = coding.apply({ kind: 'next' });
    expect(again.effects).toEqual([{ kind: 'at', unitId: 'call:2' }]);
    expect(again.message?.text).toContain('memo was dropped');
  });

  it('saves a memo with the codes of the unit', () => {
    const coding = session();
    coding.apply({ kind: 'toggle', codeIndex: 2 });
    coding.apply({ kind: 'memo', text: 'praise for the partner' });
    expect(coding.apply({ kind: 'next' }).effects[0]).toEqual({
      kind: 'decide',
      unitId: 'call:1',
      decision: { codes: [2], memo: 'praise for the partner' },
    });
  });

  it('will not un-review a unit: clearing its codes and pressing n keeps the stored decision after a second n', () => {
    const coding = session([['call:1', { codes: [0], memo: '' }]]);
    expect(coding.draft).toEqual(draftOf({ codes: [0], memo: '' }));
    coding.apply({ kind: 'toggle', codeIndex: 0 });
    const refused = coding.apply({ kind: 'next' });
    expect(refused.message?.text).toContain('no code is marked on call:1');
    const again = coding.apply({ kind: 'next' });
    expect(again.effects).toEqual([{ kind: 'at', unitId: 'call:2' }]);
    expect(coding.decided.get('call:1')).toEqual({ codes: [0], memo: '' });
  });

  it('writes nothing for a stored unit left as it was', () => {
    const coding = session([['call:1', { codes: [], memo: '' }]]);
    expect(coding.apply({ kind: 'next' }).effects).toEqual([{ kind: 'at', unitId: 'call:2' }]);
  });

  it('saves the changes of the unit on screen when going back, jumping or quitting', () => {
    const coding = session([], 1);
    coding.apply({ kind: 'toggle', codeIndex: 1 });
    expect(coding.apply({ kind: 'previous' }).effects).toEqual([
      { kind: 'decide', unitId: 'call:2', decision: { codes: [1], memo: '' } },
      { kind: 'at', unitId: 'call:1' },
    ]);
    coding.apply({ kind: 'toggle', codeIndex: 3 });
    const quit = coding.apply({ kind: 'quit' });
    expect(quit.quit).toBe(true);
    expect(quit.effects).toEqual([{ kind: 'decide', unitId: 'call:1', decision: { codes: [3], memo: '' } }]);
  });

  it('refuses p on the first unit, and g to a unit outside the session, saying why', () => {
    const coding = session();
    expect(coding.apply({ kind: 'previous' }).message).toEqual({
      text: 'this is the first unit',
      tone: 'refused',
    });
    expect(coding.apply({ kind: 'goto', unitId: 'call:9' }).message?.text).toBe(
      'no unit "call:9" in this session (did you mean "call:1"?)',
    );
    expect(coding.apply({ kind: 'goto', unitId: 'wire:1' }).message?.text).toBe(
      'unit wire:1 is not in the sample',
    );
    expect(coding.apply({ kind: 'goto', unitId: ' call:3 ' }).effects).toEqual([
      { kind: 'at', unitId: 'call:3' },
    ]);
  });

  it('u goes to the next unit not reviewed, wrapping round, and says when there is none', () => {
    const coding = session(
      [
        ['call:1', { codes: [0], memo: '' }],
        ['call:3', { codes: [], memo: '' }],
      ],
      2,
    );
    expect(coding.apply({ kind: 'next-unreviewed' }).effects).toEqual([{ kind: 'at', unitId: 'call:4' }]);
    expect(coding.apply({ kind: 'next-unreviewed' }).effects).toEqual([{ kind: 'at', unitId: 'call:2' }]);
    coding.apply({ kind: 'none' });
    expect(coding.apply({ kind: 'next-unreviewed' }).effects).toEqual([
      { kind: 'decide', unitId: 'call:2', decision: { codes: [], memo: '' } },
      { kind: 'at', unitId: 'call:4' },
    ]);
    coding.apply({ kind: 'none' });
    const last = coding.apply({ kind: 'next-unreviewed' });
    expect(last.effects).toEqual([{ kind: 'decide', unitId: 'call:4', decision: { codes: [], memo: '' } }]);
    expect(last.message).toEqual({
      text: 'saved call:4: no code applies; every unit of the session is reviewed',
      tone: 'refused',
    });
    expect(coding.progress.left).toBe(0);
  });

  it('reaches an end screen after the last unit', () => {
    const coding = session([], 3);
    coding.apply({ kind: 'none' });
    expect(coding.apply({ kind: 'next' }).effects).toEqual([
      { kind: 'decide', unitId: 'call:4', decision: { codes: [], memo: '' } },
      { kind: 'at', unitId: null },
    ]);
    expect(coding.currentUnit).toBeUndefined();
    expect(coding.apply({ kind: 'next' }).message?.text).toContain('3 not reviewed yet');
    expect(coding.apply({ kind: 'toggle', codeIndex: 0 }).message?.tone).toBe('refused');
    expect(coding.apply({ kind: 'previous' }).effects).toEqual([{ kind: 'at', unitId: 'call:4' }]);
  });
});

describe('where a session starts', () => {
  const order = (id: string): number =>
    ['call:1', 'call:2', 'call:3', 'call:4', 'wire:1', 'wire:2'].indexOf(id);
  const decided = new Map<string, UnitDecision>([['call:1', { codes: [0], memo: '' }]]);
  const sampled = ['call:2', 'call:4', 'wire:2'];

  it('is --from, else the unit on screen when the last session stopped, else the unit after its last decision', () => {
    expect(startPosition({ units: sampled, decided, corpusOrder: order, from: 'call:4' })).toBe(1);
    expect(startPosition({ units: sampled, decided, corpusOrder: order, from: 'call:3' })).toBe(1);
    expect(
      startPosition({
        units: sampled,
        decided,
        corpusOrder: order,
        stopped: { unitId: 'call:4', after: false },
      }),
    ).toBe(1);
    expect(
      startPosition({
        units: sampled,
        decided,
        corpusOrder: order,
        stopped: { unitId: 'call:4', after: true },
      }),
    ).toBe(2);
    expect(
      startPosition({
        units: sampled,
        decided,
        corpusOrder: order,
        stopped: { unitId: 'wire:1', after: false },
      }),
    ).toBe(2);
  });

  it('is the first unit not reviewed without a journal, or after the end; the end screen when all are done', () => {
    const all = ['call:1', 'call:2'];
    expect(startPosition({ units: all, decided, corpusOrder: order })).toBe(1);
    expect(
      startPosition({ units: all, decided, corpusOrder: order, stopped: { unitId: null, after: false } }),
    ).toBe(1);
    expect(
      startPosition({ units: all, decided, corpusOrder: order, stopped: { unitId: 'call:2', after: true } }),
    ).toBe(1);
    const done = new Map(decided).set('call:2', { codes: [], memo: '' });
    expect(startPosition({ units: all, decided: done, corpusOrder: order })).toBe(2);
  });

  it('comes from the last line of the journal', () => {
    const records: JournalRecord[] = [
      { kind: 'at', unitId: 'call:1', time: 't', line: 2 },
      { kind: 'decision', unitId: 'call:1', codes: ['trade.ntb'], memo: '', time: 't', line: 3 },
    ];
    expect(stoppedAt(records)).toEqual({ unitId: 'call:1', after: true });
    expect(stoppedAt([...records, { kind: 'at', unitId: 'call:2', time: 't', line: 4 }])).toEqual({
      unitId: 'call:2',
      after: false,
    });
    expect(stoppedAt([])).toBeUndefined();
    const latest = latestDecisions([
      ...records,
      { kind: 'decision', unitId: 'call:1', codes: [], memo: 'no', time: 't', line: 5 },
    ]);
    expect([...latest.values()].map((record) => record.line)).toEqual([5]);
  });
});

describe('parseLine (the non-interactive mode)', () => {
  const keys = assignCodeKeys(fixture.codes.length);
  it('reads one key or command a line', () => {
    expect(parseLine('', fixture, keys)).toEqual({ kind: 'next' });
    expect(parseLine(' n ', fixture, keys)).toEqual({ kind: 'next' });
    expect(parseLine('3', fixture, keys)).toEqual({ kind: 'toggle', codeIndex: 2 });
    expect(parseLine('0', fixture, keys)).toEqual({ kind: 'none' });
    expect(parseLine('tone.negative', fixture, keys)).toEqual({ kind: 'toggle', codeIndex: 3 });
    expect(parseLine(': trade.ntb', fixture, keys)).toEqual({ kind: 'toggle', codeIndex: 0 });
    expect(parseLine('g wire:2', fixture, keys)).toEqual({ kind: 'goto', unitId: 'wire:2' });
    expect(parseLine('m two  words', fixture, keys)).toEqual({ kind: 'memo', text: 'two  words' });
    expect(parseLine('m', fixture, keys)).toEqual({ kind: 'memo', text: '' });
    expect(parseLine('?', fixture, keys)).toEqual({ kind: 'help' });
  });

  it('names what is wrong with a line it cannot read', () => {
    expect(parseLine('5', fixture, keys)).toMatchObject({
      kind: 'unknown',
      reason: '"5" is neither a key nor a code',
    });
    expect(parseLine('trade.nbt', fixture, keys)).toMatchObject({
      reason: '"trade.nbt" is neither a key nor a code (did you mean "trade.ntb"?)',
    });
    expect(parseLine('g', fixture, keys)).toMatchObject({ reason: 'g needs a unit id, as in "g call:3"' });
    expect(parseLine('1 2', fixture, keys)).toMatchObject({ reason: 'one key or command a line' });
    expect(parseLine('q now', fixture, keys)).toMatchObject({ kind: 'unknown' });
  });
});

describe('the journal', () => {
  const header = { coder: 'ana', codebook_hash: 'abc' };

  it('ignores a last line cut off by a kill, with a warning naming the line, and keeps the rest', async () => {
    const folder = await temporaryFolder();
    const file = path.join(folder, 'ana.journal');
    await fs.writeFile(
      file,
      `${journalHeaderLine(header)}{"at":"call:1","time":"t1"}\n{"unit":"call:1","codes":["trade.ntb"],"memo":"","time":"t2"}\n{"unit":"call:2","co`,
    );
    const journal = await readJournal(file, 'annotations/ana.journal', 'ana');
    expect(journal?.header).toMatchObject({ format: 'coding-journal', version: 1, coder: 'ana' });
    expect(journal?.records).toEqual([
      { kind: 'at', unitId: 'call:1', time: 't1', line: 2 },
      { kind: 'decision', unitId: 'call:1', codes: ['trade.ntb'], memo: '', time: 't2', line: 3 },
    ]);
    expect(journal?.warnings).toEqual([
      expect.objectContaining({
        code: 'JOURNAL_LINE_IGNORED',
        severity: 'warning',
        file: 'annotations/ana.journal',
        line: 4,
      }),
    ]);
    expect(journal?.warnings[0]?.message).toContain('the last line was cut off');
  });

  it('ignores a damaged line in the middle too, and refuses another version or another coder', async () => {
    const folder = await temporaryFolder();
    const file = path.join(folder, 'ana.journal');
    await fs.writeFile(
      file,
      `${journalHeaderLine(header)}{"unit":"call:1","codes":"x"}\n{"at":null,"time":"t"}\n`,
    );
    const journal = await readJournal(file, 'j', 'ana');
    expect(journal?.records).toEqual([{ kind: 'at', unitId: null, time: 't', line: 3 }]);
    expect(journal?.warnings[0]?.message).toContain('this line is not a journal entry');
    await fs.writeFile(file, '{"format":"coding-journal","version":2,"coder":"ana","codebook_hash":"x"}\n');
    await expect(readJournal(file, 'j', 'ana')).rejects.toThrow(
      'unknown journal format version: expected 1, received 2',
    );
    await fs.writeFile(file, journalHeaderLine({ coder: 'ben', codebook_hash: 'x' }));
    await expect(readJournal(file, 'j', 'ana')).rejects.toThrow(
      'this journal belongs to coder "ben", not "ana"',
    );
    expect(await readJournal(path.join(folder, 'none.journal'), 'j', 'ana')).toBeUndefined();
  });

  it('appends after a cut-off line on a new line, and writes the header into a new journal', async () => {
    const folder = await temporaryFolder();
    const file = path.join(folder, 'ana.journal');
    const fresh = await JournalWriter.open(file, header);
    await fresh.append('{"at":"call:1","time":"t"}\n');
    await fresh.close();
    expect(await fs.readFile(file, 'utf8')).toBe(`${journalHeaderLine(header)}{"at":"call:1","time":"t"}\n`);
    await fs.appendFile(file, '{"unit":"ca');
    const writer = await JournalWriter.open(file, header);
    await writer.append('{"at":"call:2","time":"t"}\n');
    await writer.close();
    const journal = await readJournal(file, 'j', 'ana');
    expect(journal?.records.map((record) => record.unitId)).toEqual(['call:1', 'call:2']);
    expect(journal?.warnings).toHaveLength(1);
  });
});

describe('the lock', () => {
  it('is refused while its process runs, taken over when it does not, and released only by its owner', async () => {
    const folder = await temporaryFolder();
    const file = path.join(folder, 'ana.lock');
    const first = await acquireLock(file, 'annotations/ana.lock', 'ana', { pid: 111, isAlive: () => true });
    expect(first.tookOver).toBeUndefined();
    const written = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(written).toMatchObject({
      format: 'coding-lock',
      version: 1,
      coder: 'ana',
      pid: 111,
      host: os.hostname(),
    });
    await expect(
      acquireLock(file, 'annotations/ana.lock', 'ana', { pid: 222, isAlive: () => true }),
    ).rejects.toThrow(/coder "ana" is coding in another session \(process 111 on /);
    const second = await acquireLock(file, 'annotations/ana.lock', 'ana', {
      pid: 222,
      isAlive: (pid) => pid !== 111,
    });
    expect(second.tookOver?.pid).toBe(111);
    await first.release(); // not its lock any more: it stays
    expect(JSON.parse(await fs.readFile(file, 'utf8')).pid).toBe(222);
    second.releaseSync();
    await expect(fs.access(file)).rejects.toThrow();
    expect((await fs.readdir(folder)).filter((name) => name.startsWith('.coding-tmp'))).toEqual([]);
  });

  it('is never taken over from another computer, and a file that is not a lock is refused', async () => {
    const folder = await temporaryFolder();
    const file = path.join(folder, 'ana.lock');
    await acquireLock(file, 'l', 'ana', { pid: 111, host: 'elsewhere', isAlive: () => false });
    await expect(acquireLock(file, 'l', 'ana', { pid: 222, isAlive: () => false })).rejects.toThrow(
      'coder "ana" is coding in another session (process 111 on elsewhere',
    );
    await fs.writeFile(file, 'not json');
    await expect(acquireLock(file, 'l', 'ana', { pid: 222 })).rejects.toThrow(
      'this lock file was not written by coding code',
    );
  });
});

describe('the screen', () => {
  const view = {
    unitId: 'call:2',
    docId: 'call',
    title: 'A call between the presidents that has a very long title indeed, longer than a line',
    actor: 'Trump',
    date: '2026-01-29',
    role: 'primary',
    genre: 'social post',
    before: 'A great call on trade.',
    text: 'Tariffs stay on the table.',
    after: 'The rules on car parts must go.',
  };
  const model = (overrides: Partial<ScreenModel> = {}): ScreenModel => ({
    coder: 'ana',
    scopeLabel: 'in sample',
    progress: { position: 37, total: 61, left: 24 },
    unit: view,
    stored: undefined,
    draft: { codes: [3], none: false, memo: 'sarcastic?' },
    changed: true,
    codebook: fixture,
    keys: assignCodeKeys(fixture.codes.length),
    ...overrides,
  });
  const visible = (lines: string[]): string[] => lines.map(stripAnsi);
  const widthOf = (line: string): number => Array.from(line).length;

  it('fits 80×24 with the unit, its context, the metadata, every code with its key and mark, and the keys', () => {
    const lines = visible(renderScreen(model(), { width: 79, height: 24 }));
    expect(lines).toHaveLength(24);
    for (const line of lines) expect(widthOf(line)).toBeLessThanOrEqual(79);
    const screen = lines.join('\n');
    expect(lines[0]).toMatch(/^call:2 {2}37 \/ 61 in sample, 24 left +coder ana$/);
    expect(lines[1]).toMatch(/ — Trump · 2026-01-29 · primary$/);
    expect(screen).toContain('  A great call on trade.');
    expect(screen).toContain('│ Tariffs stay on the table.');
    expect(screen).toContain('  The rules on car parts must go.');
    expect(screen).toContain('Tone · one code only');
    expect(screen).toContain('4 [x] Negative');
    expect(screen).toContain('1 [ ] Non-tariff barriers');
    expect(screen).toContain('memo: sarcastic?');
    expect(screen).toContain('changed, not saved yet: n saves');
    expect(screen).toContain('n/Enter save, next');
    expect(screen).toContain('q save, quit');
  });

  it('shows what fits of a large codebook and a long unit, and says that ? shows all', () => {
    const big = bigCodebook(40);
    const long = { ...view, text: 'word '.repeat(400).trim() };
    const lines = visible(
      renderScreen(
        model({
          codebook: big,
          keys: assignCodeKeys(40),
          draft: { codes: [], none: false, memo: '' },
          unit: long,
        }),
        { width: 79, height: 24 },
      ),
    );
    expect(lines).toHaveLength(24);
    for (const line of lines) expect(widthOf(line)).toBeLessThanOrEqual(79);
    const screen = lines.join('\n');
    expect(screen).toMatch(/… \d+ more lines? of codes: \? shows all/);
    expect(screen).toContain('the text goes on: ? shows all of it');
    expect(screen).toContain(': code by id');
  });

  it('prints everything, uncut, when the height is unbounded', () => {
    const big = bigCodebook(40);
    const lines = visible(
      renderScreen(model({ codebook: big, keys: assignCodeKeys(40) }), {
        width: 79,
        height: Number.POSITIVE_INFINITY,
      }),
    );
    expect(lines.join('\n')).toContain('c7.code4');
    expect(lines.join('\n')).not.toContain('? shows all');
  });

  it('has an end screen', () => {
    const lines = visible(
      renderScreen(model({ unit: undefined, progress: { position: 61, total: 61, left: 2 } }), {
        width: 79,
        height: 24,
      }),
    );
    expect(lines.join('\n')).toContain('You have reached the end of the 61 units in sample.');
    expect(lines.join('\n')).toContain('2 not reviewed yet: u goes to the next one.');
  });

  it('help lists the definitions and rules of every code with its key', () => {
    const text = helpLines(fixture, assignCodeKeys(4), view, 79).map(stripAnsi).join('\n');
    expect(text).toContain('call:2 — the whole unit');
    expect(text).toContain('  2 trade.tariffs  Tariffs\n      Taxes on imports.');
    expect(text).toContain('Tone · one code only');
  });

  it('wraps words and cuts text to a width', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('abcdefghijk', 4)).toEqual(['abcd', 'efgh', 'ijk']);
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
  });
});
