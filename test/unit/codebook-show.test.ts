import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import {
  type CodebookChange,
  diffCodebookContents,
  markdownCell,
  renderCodebookCsv,
  renderCodebookMarkdown,
  renderCodebookTree,
  renderDiffText,
  summariseChanges,
} from '../../src/app/codebook.js';
import type { Codebook } from '../../src/schema/codebook.js';

const base: Codebook = {
  version: 1,
  name: 'demo',
  title: 'Demo',
  exclusive: false,
  categories: [
    {
      id: 'trade',
      label: 'Trade',
      exclusive: true,
      codes: [
        {
          id: 'trade.ntb',
          label: 'NTB',
          definition: 'Rules | not duties.\nSecond line.',
          include: 'Standards.',
          exclude: '=cmd',
          examples: ['One.', 'Two | three.'],
          codes: [{ id: 'trade.ntb.sps', label: 'SPS' }],
        },
        { id: 'trade.tariffs', label: 'Tariffs', definition: 'Duties.' },
      ],
    },
    { id: 'tone', label: 'Tone', exclusive: false, codes: [{ id: 'tone.praise', label: 'Praise' }] },
  ],
};

function clone(): Codebook {
  return structuredClone(base);
}

describe('codebook show', () => {
  it('prints the tree with ids aligned, labels, sub-codes indented and [exclusive] marks', () => {
    expect(renderCodebookTree(base, new Chalk({ level: 0 }))).toBe(
      [
        'Demo (demo)',
        'trade              Trade [exclusive]',
        '  trade.ntb        NTB',
        '    trade.ntb.sps  SPS',
        '  trade.tariffs    Tariffs',
        'tone               Tone',
        '  tone.praise      Praise',
        '',
      ].join('\n'),
    );
  });

  it('escapes pipes, line breaks and angle brackets in Markdown cells', () => {
    expect(markdownCell('a | b\nc <d> & e')).toBe('a \\| b<br>c &lt;d> &amp; e');
    const markdown = renderCodebookMarkdown(base);
    expect(markdown).toContain(
      '## Trade (`trade`)\n\n*Exclusive: at most one code of this category per unit.*\n',
    );
    expect(markdown).toContain(
      '| **NTB** (`trade.ntb`) | Rules \\| not duties.<br>Second line. | Standards. | =cmd | “One.”<br>“Two \\| three.” |',
    );
    expect(markdown).toContain('| ↳ **SPS** (`trade.ntb.sps`) |  |  |  |  |');
    // Every table row has the same number of unescaped pipes as the header.
    for (const line of markdown.split('\n').filter((row) => row.startsWith('|'))) {
      expect(line.replace(/\\\|/g, '').split('|')).toHaveLength(7);
    }
  });

  it('writes one CSV row per code, examples joined with " | ", formulas neutralised', () => {
    expect(renderCodebookCsv(base).split('\n')).toEqual([
      'category,code,label,definition,include,exclude,examples',
      'trade,trade.ntb,NTB,"Rules | not duties.',
      'Second line.",Standards.,\'=cmd,One. | Two | three.',
      'trade,trade.ntb.sps,SPS,,,,',
      'trade,trade.tariffs,Tariffs,Duties.,,,',
      'tone,tone.praise,Praise,,,,',
      '',
    ]);
  });
});

describe('codebook diff', () => {
  it('finds nothing between a codebook and itself', () => {
    expect(diffCodebookContents(base, clone())).toEqual([]);
    expect(summariseChanges([])).toBe('no differences');
  });

  it('reports additions, removals, renames, field changes and exclusivity', () => {
    const after = clone();
    after.title = 'Demo 2';
    after.categories[0]!.exclusive = false;
    after.categories[0]!.codes[0]!.label = 'Non-tariff barriers';
    after.categories[0]!.codes[0]!.examples = ['One.'];
    after.categories[0]!.codes[1]!.definition = 'Duties on imports.';
    after.categories[0]!.codes.push({ id: 'trade.sectoral', label: 'Sectoral' });
    after.categories[1]!.codes = [{ id: 'tone.framing', label: 'Framing' }];
    const changes = diffCodebookContents(base, after);
    expect(changes).toEqual<CodebookChange[]>([
      { change: 'changed', kind: 'codebook', id: 'demo', field: 'title', old: 'Demo', new: 'Demo 2' },
      { change: 'changed', kind: 'category', id: 'trade', field: 'exclusive', old: 'true', new: 'false' },
      {
        change: 'renamed',
        kind: 'code',
        id: 'trade.ntb',
        field: 'label',
        old: 'NTB',
        new: 'Non-tariff barriers',
      },
      {
        change: 'changed',
        kind: 'code',
        id: 'trade.ntb',
        field: 'examples',
        old: 'One. | Two | three.',
        new: 'One.',
      },
      {
        change: 'changed',
        kind: 'code',
        id: 'trade.tariffs',
        field: 'definition',
        old: 'Duties.',
        new: 'Duties on imports.',
      },
      { change: 'added', kind: 'code', id: 'trade.sectoral', field: '', old: '', new: 'Sectoral' },
      { change: 'added', kind: 'code', id: 'tone.framing', field: '', old: '', new: 'Framing' },
      { change: 'removed', kind: 'code', id: 'tone.praise', field: '', old: 'Praise', new: '' },
    ]);
    expect(summariseChanges(changes)).toBe('8 changes: 2 added, 1 removed, 1 renamed, 4 changed');
    const text = renderDiffText(changes, new Chalk({ level: 0 }));
    expect(text).toContain('~ code trade.ntb  renamed: "NTB" → "Non-tariff barriers"\n');
    expect(text).toContain('+ code trade.sectoral  added  "Sectoral"\n');
    expect(text).toContain('- code tone.praise  removed  "Praise"\n');
  });

  it('reports a code moved to a new id when its content is unchanged', () => {
    const after = clone();
    const [sps] = after.categories[0]!.codes[0]!.codes!.splice(0, 1);
    after.categories[0]!.codes[0]!.codes = undefined;
    after.categories[0]!.codes[1]!.codes = [{ ...sps!, id: 'trade.tariffs.sps' }];
    const changes = diffCodebookContents(base, after);
    expect(changes.filter((change) => change.change !== 'changed')).toEqual([
      {
        change: 'moved',
        kind: 'code',
        id: 'trade.tariffs.sps',
        field: 'id',
        old: 'trade.ntb.sps',
        new: 'trade.tariffs.sps',
      },
    ]);
  });

  it('matches by GUID when both sides come from .qdc files, so a renamed id is a move', () => {
    const after = clone();
    after.categories[0]!.codes[1]!.id = 'trade.duties';
    after.categories[0]!.codes[1]!.label = 'Duties';
    const guids = (book: Codebook, renamed: string) =>
      new Map(
        [
          ...book.categories.map((category) => category.id),
          'trade.ntb',
          'trade.ntb.sps',
          'tone.praise',
          renamed,
        ].map((id) => [id, id === renamed ? 'guid-tariffs' : `guid-${id}`]),
      );
    const changes = diffCodebookContents(base, after, {
      before: guids(base, 'trade.tariffs'),
      after: guids(after, 'trade.duties'),
    });
    expect(changes).toEqual([
      {
        change: 'moved',
        kind: 'code',
        id: 'trade.duties',
        field: 'id',
        old: 'trade.tariffs',
        new: 'trade.duties',
      },
      { change: 'renamed', kind: 'code', id: 'trade.duties', field: 'label', old: 'Tariffs', new: 'Duties' },
    ]);
    // Without GUIDs the same edit is a removal and an addition (the label changed, so it is no move).
    expect(diffCodebookContents(base, after).map((change) => change.change)).toEqual(['added', 'removed']);
  });
});
