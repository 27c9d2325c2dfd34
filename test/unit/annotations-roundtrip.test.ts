/**
 * Property tests: a coder's work survives every path through the tool unchanged, and a failed
 * import changes no file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { importAnnotations } from '../../src/app/import-annotations.js';
import { makeSheet } from '../../src/app/sheet.js';
import { InputError } from '../../src/errors.js';
import { fixtureStudy } from '../fixtures/study.js';
import { snapshot } from '../helpers.js';

const unitIds = [
  'call:1',
  'call:2',
  'call:3',
  'call:4',
  'presser:1',
  'presser:2',
  'presser:3',
  'presser:4',
  'wire:1',
  'wire:2',
  'wire:3',
  'wire:4',
];
const nonExclusive = ['trade.ntb', 'trade.tariffs'];
const exclusive = ['tone.positive', 'tone.negative'];

/** A coder's work: for some units, a set of codes (at most one tone) and a memo. */
const codingArbitrary = fc.dictionary(
  fc.constantFrom(...unitIds),
  fc.record({
    codes: fc.subarray(nonExclusive),
    tone: fc.option(fc.constantFrom(...exclusive), { nil: undefined }),
    memo: fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 12 }).map((text) => text.replace(/[\r\n]/g, ' ').trim()),
      fc.constantFrom('=SUM(A1)', '-x', 'a, "quoted" memo'),
    ),
  }),
  { minKeys: 1 },
);

function longFile(
  work: Record<string, { codes: string[]; tone?: string | undefined; memo: string }>,
): string {
  const quote = (text: string): string =>
    /[",\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  const lines = ['unit_id,code,memo'];
  for (const [unit, { codes, tone, memo }] of Object.entries(work)) {
    const all = [...codes, ...(tone ? [tone] : [])];
    if (all.length === 0) lines.push(`${unit},,${quote(memo)}`);
    else
      for (const [index, code] of all.entries())
        lines.push(`${unit},${code},${index === 0 ? quote(memo) : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

let workspace: string;
let counter = 0;

beforeAll(async () => {
  workspace = await fixtureStudy();
});

describe('annotations round trip', () => {
  it('import → stored file → coding sheet → import again gives the same stored file', async () => {
    await fc.assert(
      fc.asyncProperty(codingArbitrary, async (work) => {
        counter++;
        const first = `p${counter}a`;
        const second = `p${counter}b`;
        const input = path.join(workspace, `${first}.csv`);
        await fs.writeFile(input, longFile(work));
        await importAnnotations({ cwd: workspace, coder: first, file: input, replace: false });
        const stored = await fs.readFile(path.join(workspace, 'annotations', `${first}.csv`), 'utf8');
        // Back in as the stored long file under another name: identical.
        await importAnnotations({
          cwd: workspace,
          coder: second,
          file: path.join(workspace, 'annotations', `${first}.csv`),
          replace: false,
        });
        expect(await fs.readFile(path.join(workspace, 'annotations', `${second}.csv`), 'utf8')).toBe(stored);
        // Out as a coding sheet (formulas neutralised) and back in: identical.
        const sheet = path.join(workspace, `${first}-sheet.csv`);
        await makeSheet({
          cwd: workspace,
          coder: first,
          sample: false,
          uncoded: false,
          output: sheet,
          force: true,
          bom: true,
        });
        const third = `p${counter}c`;
        await importAnnotations({ cwd: workspace, coder: third, file: sheet, replace: false });
        const fromSheet = await fs.readFile(path.join(workspace, 'annotations', `${third}.csv`), 'utf8');
        // A sheet keeps one memo per unit; the long file may carry it on the unit's first code only, as here.
        expect(fromSheet).toBe(stored);
      }),
      { numRuns: 25 },
    );
  });

  it('a failed import leaves every file byte-identical', async () => {
    await fc.assert(
      fc.asyncProperty(
        codingArbitrary,
        fc.constantFrom('unknown-unit', 'unknown-code', 'duplicate', 'exclusive'),
        async (work, mistake) => {
          counter++;
          const coder = `f${counter}`;
          const good = path.join(workspace, `${coder}.csv`);
          await fs.writeFile(good, longFile(work));
          await importAnnotations({ cwd: workspace, coder, file: good, replace: false });
          const [unit] = Object.keys(work);
          const extra = {
            'unknown-unit': 'nowhere:1,trade.ntb,',
            'unknown-code': `${unit},trade.unknown,`,
            duplicate: `${unit},trade.ntb,\n${unit},trade.ntb,`,
            exclusive: `${unit},tone.positive,\n${unit},tone.negative,`,
          }[mistake];
          const bad = path.join(workspace, `${coder}-bad.csv`);
          await fs.writeFile(bad, `${longFile(work)}${extra}\n`);
          const before = await snapshot(workspace);
          await expect(
            importAnnotations({ cwd: workspace, coder, file: bad, replace: true }),
          ).rejects.toBeInstanceOf(InputError);
          expect(await snapshot(workspace)).toEqual(before);
        },
      ),
      { numRuns: 20 },
    );
  });
});
