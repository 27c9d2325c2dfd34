/**
 * The session core as a view other than the terminal would use it (issue 18's browser): keys to
 * actions, actions in, state and "saved" confirmations out; and the terminal's drawing of long
 * and hostile units (issue 12: linear wrapping, pages, visible control characters).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openCodeSession } from '../../src/app/code-session.js';
import { layoutScreen, renderScreen, type ScreenModel } from '../../src/cli/code/screen.js';
import { wrap } from '../../src/cli/code/screen-text.js';
import { assignCodeKeys, CodingSession } from '../../src/core/code-session.js';
import { keyAction, promptCommand, snapshotOf } from '../../src/core/code-view.js';
import { buildCodebookModel } from '../../src/core/codebook.js';
import { codebookSchema } from '../../src/schema/codebook.js';
import { fixtureCodebook, fixtureStudy } from '../fixtures/study.js';

const fixture = buildCodebookModel(codebookSchema.parse(parse(fixtureCodebook)));
// Codes of the fixture: 0 trade.ntb, 1 trade.tariffs, 2 tone.positive, 3 tone.negative (tone is exclusive).
const keys = assignCodeKeys(fixture.codes.length);

describe('keyAction: the keys of every view', () => {
  it('maps code keys, 0, n, p, u, q, the prompts and ? — case-insensitive', () => {
    expect(keyAction('2', keys)).toEqual({ kind: 'command', command: { kind: 'toggle', codeIndex: 1 } });
    expect(keyAction('0', keys)).toEqual({ kind: 'command', command: { kind: 'none' } });
    expect(keyAction('N', keys)).toEqual({ kind: 'command', command: { kind: 'next' } });
    expect(keyAction('p', keys)).toEqual({ kind: 'command', command: { kind: 'previous' } });
    expect(keyAction('u', keys)).toEqual({ kind: 'command', command: { kind: 'next-unreviewed' } });
    expect(keyAction('q', keys)).toEqual({ kind: 'command', command: { kind: 'quit' } });
    expect(keyAction('g', keys)).toEqual({ kind: 'prompt', prompt: 'goto' });
    expect(keyAction('m', keys)).toEqual({ kind: 'prompt', prompt: 'memo' });
    expect(keyAction(':', keys)).toEqual({ kind: 'prompt', prompt: 'code' });
    expect(keyAction('?', keys)).toEqual({ kind: 'help' });
    // Four codes have keys 1–4: 5 is not a key, nor is an empty key.
    expect(keyAction('5', keys)).toEqual({ kind: 'unknown', key: '5' });
    expect(keyAction('', keys)).toEqual({ kind: 'unknown', key: '' });
  });

  it('turns prompt answers into commands; an empty unit id is nothing to do', () => {
    expect(promptCommand('goto', '  call:2 ')).toEqual({ kind: 'goto', unitId: 'call:2' });
    expect(promptCommand('goto', '   ')).toBeUndefined();
    expect(promptCommand('memo', 'why not')).toEqual({ kind: 'memo', text: 'why not' });
  });
});

describe('snapshotOf: the state of a session as data', () => {
  it('follows toggles, exclusive categories, saving and navigation, with code ids', () => {
    const session = new CodingSession({ codebook: fixture, units: ['a', 'b'], decided: new Map(), start: 0 });
    expect(snapshotOf(session, fixture)).toEqual({
      unitId: 'a',
      progress: { position: 1, total: 2, left: 2 },
      stored: undefined,
      draft: { codes: [], none: false, memo: '' },
      changed: false,
      status: 'not reviewed',
    });
    session.apply({ kind: 'toggle', codeIndex: 2 });
    session.apply({ kind: 'toggle', codeIndex: 3 }); // tone is exclusive: negative replaces positive
    session.apply({ kind: 'toggle', codeIndex: 0 });
    session.apply({ kind: 'memo', text: 'ironic' });
    const changed = snapshotOf(session, fixture);
    expect(changed.draft).toEqual({ codes: ['trade.ntb', 'tone.negative'], none: false, memo: 'ironic' });
    expect(changed.changed).toBe(true);
    expect(changed.status).toBe('changed, not saved yet: n saves');
    session.apply({ kind: 'next' });
    expect(snapshotOf(session, fixture)).toMatchObject({ unitId: 'b', progress: { position: 2, left: 1 } });
    session.apply({ kind: 'previous' });
    expect(snapshotOf(session, fixture)).toMatchObject({
      unitId: 'a',
      stored: { codes: ['trade.ntb', 'tone.negative'], memo: 'ironic' },
      changed: false,
      status: 'reviewed: trade.ntb, tone.negative',
    });
    session.apply({ kind: 'next' });
    session.apply({ kind: 'next' });
    expect(snapshotOf(session, fixture)).toMatchObject({ unitId: null, status: '' });
  });
});

describe('act: actions in, saved confirmations out, without a terminal', () => {
  it('says a decision is saved only once its journal line is on disk, and folds it at the end', async () => {
    const workspace = await fixtureStudy();
    const opened = await openCodeSession({ cwd: workspace, coder: 'ana', sample: false, uncoded: false });
    const first = opened.snapshot();
    expect(first.unitId).toBe('call:1');
    expect(first.unit?.text).toBe('A great call on trade.');
    expect(await opened.act({ kind: 'toggle', codeIndex: 0 })).toEqual({
      message: undefined,
      quit: false,
      saved: [],
      moved: false,
    });
    const next = await opened.act({ kind: 'next' });
    expect(next).toMatchObject({ saved: ['call:1'], moved: true, quit: false });
    expect(next.message).toEqual({ text: 'saved call:1: trade.ntb', tone: 'saved' });
    const journal = await fs.readFile(path.join(workspace, 'annotations', 'ana.journal'), 'utf8');
    expect(journal).toContain('"call:1"');
    expect(journal).toContain('trade.ntb');
    expect(opened.snapshot()).toMatchObject({ unitId: 'call:2', progress: { position: 2, left: 11 } });
    const refused = await opened.act({ kind: 'goto', unitId: 'nowhere:1' });
    expect(refused).toMatchObject({ saved: [], moved: false, message: { tone: 'refused' } });
    expect((await opened.act({ kind: 'quit' })).quit).toBe(true);
    await opened.finish();
    expect(await fs.readFile(path.join(workspace, 'annotations', 'ana.csv'), 'utf8')).toContain(
      'call:1,trade.ntb',
    );
  }, 60_000);
});

/** The wrapping `coding code` used before (quadratic in a long word), as a reference on small inputs. */
function referenceWrap(text: string, width: number): string[] {
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

describe('wrap', () => {
  it('gives the lines of the former wrapping on texts with short and long words, spaces and line feeds', () => {
    let seed = 7;
    const next = (below: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % below;
    };
    const pieces = ['a', 'bb', 'word', ' ', '  ', '\n', 'é', '😀', 'x'.repeat(17), 'y'.repeat(40), '\t'];
    for (let trial = 0; trial < 500; trial++) {
      let text = '';
      const length = next(30);
      for (let piece = 0; piece < length; piece++) text += pieces[next(pieces.length)];
      const width = 1 + next(20);
      expect(wrap(text, width), JSON.stringify({ text, width })).toEqual(referenceWrap(text, width));
    }
  });

  it('cuts a megabyte without a space into full lines, keeping every character', () => {
    const word = `S${'ab'.repeat(512 * 1024)}E`;
    const lines = wrap(word, 78);
    expect(lines).toHaveLength(Math.ceil(word.length / 78));
    expect(lines.slice(0, -1).every((line) => line.length === 78)).toBe(true);
    expect(lines.join('')).toBe(word);
  });
});

describe('the screen of long and hostile units', () => {
  const model = (text: string, unitPage = 0): ScreenModel => ({
    coder: 'ana',
    scopeLabel: 'in corpus',
    progress: { position: 1, total: 2, left: 2 },
    unit: {
      unitId: 'doc:1',
      docId: 'doc',
      title: 'Title \u001b]0;owned\u0007',
      actor: 'Actor \u202e',
      date: '',
      role: '',
      genre: '',
      before: 'Before \u001b[2J',
      text,
      after: '',
    },
    stored: undefined,
    draft: { codes: [], none: false, memo: 'memo \u001b[31m' },
    changed: true,
    codebook: fixture,
    keys,
    unitPage,
  });
  const stripAnsi = (line: string): string => line.replace(/\u001b\[[0-9;]*m/g, '');

  it('shows a unit longer than the screen a page at a time, and says which page', () => {
    const text = Array.from({ length: 200 }, (_, index) => `line${index}`).join('\n');
    const first = layoutScreen(model(text), { width: 79, height: 24 });
    expect(first.unitPages).toBeGreaterThan(10);
    const firstScreen = first.lines.map(stripAnsi).join('\n');
    expect(firstScreen).toContain('│ line0');
    expect(firstScreen).toContain(`page 1/${first.unitPages}, Space: next`);
    const second = layoutScreen(model(text, 1), { width: 79, height: 24 });
    const secondScreen = second.lines.map(stripAnsi).join('\n');
    expect(secondScreen).not.toContain('│ line0\n');
    expect(secondScreen).toContain(`page 2/${first.unitPages}`);
    // The last page, also when asked for a page past it.
    const last = layoutScreen(model(text, 10_000), { width: 79, height: 24 }).lines.map(stripAnsi).join('\n');
    expect(last).toContain('│ line199');
    expect(last).toContain(`page ${first.unitPages}/${first.unitPages}, the end; PgUp: back`);
    for (const screen of [first, second]) expect(screen.lines).toHaveLength(24);
  });

  it('never sends a control sequence of the data to the terminal: text, title, metadata, context, memo', () => {
    const lines = renderScreen(model('Hello \u001b]0;PWNED\u0007 \u009b2J world'), { width: 79, height: 24 });
    const raw = lines.join('\n');
    // Only the screen's own colours (CSI … m) may remain; no OSC, no BEL, no C1, no clear screen.
    const withoutColours = raw.replace(/\u001b\[[0-9;]*m/g, '');
    expect(withoutColours).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    const screen = withoutColours;
    expect(screen).toContain('Hello ␛]0;PWNED␇ ⟨U+009B⟩2J world');
    expect(screen).toContain('Title ␛]0;owned␇');
    expect(screen).toContain('Actor ⟨U+202E⟩');
    expect(screen).toContain('Before ␛[2J');
    expect(screen).toContain('memo: memo ␛[31m');
  });
});
