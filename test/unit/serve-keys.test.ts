/** The keys of the coding page: the terminal's `keyAction`, as a table the page looks keys up in. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pageKeys } from '../../src/app/serve/coder-channel.js';
import { assignCodeKeys } from '../../src/core/code-session.js';
import { buildCodebookModel } from '../../src/core/codebook.js';
import { codebookSchema } from '../../src/schema/codebook.js';
import { fixtureCodebook } from '../fixtures/study.js';

const fixture = buildCodebookModel(codebookSchema.parse(parse(fixtureCodebook)));

describe('pageKeys', () => {
  it("gives the terminal's keys: code keys by code id, 0 n p u, g and m ask first, ? the keys", () => {
    const table = pageKeys(fixture, assignCodeKeys(fixture.codes.length));
    expect(table).toEqual({
      '0': { kind: 'command', command: { kind: 'none' } },
      '1': { kind: 'command', command: { kind: 'toggle', code: 'trade.ntb' } },
      '2': { kind: 'command', command: { kind: 'toggle', code: 'trade.tariffs' } },
      '3': { kind: 'command', command: { kind: 'toggle', code: 'tone.positive' } },
      '4': { kind: 'command', command: { kind: 'toggle', code: 'tone.negative' } },
      '?': { kind: 'help' },
      g: { kind: 'prompt', prompt: 'goto' },
      m: { kind: 'prompt', prompt: 'memo' },
      n: { kind: 'command', command: { kind: 'next' } },
      p: { kind: 'command', command: { kind: 'previous' } },
      u: { kind: 'command', command: { kind: 'next-unreviewed' } },
    });
  });

  it('gives letters to codes past the ninth, never the command letters', () => {
    const keys = assignCodeKeys(30);
    const codes = Array.from({ length: 30 }, (_, index) => ({ id: `c.${index}` }));
    const table = pageKeys({ codes } as unknown as Parameters<typeof pageKeys>[0], keys);
    expect(table['9']).toEqual({ kind: 'command', command: { kind: 'toggle', code: 'c.8' } });
    expect(table['a']).toEqual({ kind: 'command', command: { kind: 'toggle', code: 'c.9' } });
    expect(table['n']).toEqual({ kind: 'command', command: { kind: 'next' } });
    expect(table['q']).toBeUndefined(); // no quitting a page by key
    // The 28th code and after have no key (toggled by clicking them).
    expect(
      Object.values(table).filter((action) => action.kind === 'command' && action.command.kind === 'toggle'),
    ).toHaveLength(27);
  });
});
