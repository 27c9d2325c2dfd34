/**
 * A project of the shape NVivo for Mac 12.7 wrote for a real study (issue 14 point 3, issue 19
 * point 2): two texts of 600,000 characters with emoji and CRLF, 300 selections, 150 nested codes.
 * It had not finished importing after 40 minutes of CPU; the import is linear now. Timings are
 * measured by `npm run bench` (bench/run.mjs), not here: this test checks that it imports
 * correctly.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { nvivoMacShapedProject } from '../../bench/qdpx-project.mjs';
import { runCli, temporaryWorkspace } from '../helpers.js';

describe('a large NVivo for Mac shaped project', () => {
  it('imports two 600,000-character texts with 300 selections on 150 nested codes, each coding on its sentence', async () => {
    const { archive, expected } = nvivoMacShapedProject();
    const workspace = await temporaryWorkspace();
    await fs.writeFile(path.join(workspace, 'posts.qdpx'), archive);
    const result = await runCli(['import', 'posts.qdpx', '--format', 'json'], { cwd: workspace });
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.settings).toMatchObject({ offsets: 'utf16', crlf: 'two' });
    expect(json.sources).toMatchObject({ text: 2, imported: 2 });
    // 150 codes: the 10 groups became categories, 140 codes under them.
    expect([json.codebook.categories, json.codebook.codes]).toEqual([10, 140]);
    // The coder is the coding's user (each selection was made by the other user).
    expect(
      json.coders.map((coder: { coder: string; codings: number }) => [coder.coder, coder.codings]),
    ).toEqual([
      ['Coder-A', 150],
      ['Coder-B', 150],
    ]);
    expect(
      json.warnings.filter((warning: { code: string }) => warning.code === 'QDPX_SELECTION_OUTSIDE'),
    ).toEqual([]);

    // Every coding lands on the unit that holds its sentence.
    const codebook = parseYaml(await fs.readFile(path.join(workspace, json.codebook.file), 'utf8')) as {
      categories: Array<{
        codes: Array<{ id: string; label: string; codes?: Array<{ id: string; label: string }> }>;
      }>;
    };
    const idByLabel = new Map<string, string>();
    for (const category of codebook.categories)
      for (const code of category.codes) {
        idByLabel.set(code.label, code.id);
        for (const sub of code.codes ?? []) idByLabel.set(sub.label, sub.id);
      }
    const units = JSON.parse(
      (await runCli(['corpus', 'units', '--format', 'json'], { cwd: workspace })).stdout,
    ) as Array<{ unit_id: string; doc_id: string; text: string }>;
    const coded = new Map<string, Set<string>>();
    for (const coder of ['Coder-A', 'Coder-B']) {
      const lines = (await fs.readFile(path.join(workspace, 'annotations', `${coder}.csv`), 'utf8'))
        .trim()
        .split('\n');
      for (const line of lines.slice(1)) {
        const [unit, code] = line.split(',');
        if (code !== '')
          coded.set(`${coder} ${unit}`, (coded.get(`${coder} ${unit}`) ?? new Set()).add(code!));
      }
    }
    const unitsByDocument = new Map<string, typeof units>();
    for (const unit of units) {
      const list = unitsByDocument.get(unit.doc_id) ?? [];
      list.push(unit);
      unitsByDocument.set(unit.doc_id, list);
    }
    for (const item of expected) {
      const docId = item.source.toLowerCase().replace(' ', '-');
      const holding = (unitsByDocument.get(docId) ?? []).filter((unit) =>
        unit.text.includes(item.sentence.normalize('NFC')),
      );
      expect(holding.length, item.sentence).toBeGreaterThan(0);
      const coder = item.user.replace(' ', '-');
      expect(
        holding.some((unit) => coded.get(`${coder} ${unit.unit_id}`)?.has(idByLabel.get(item.code)!)),
        `${item.sentence} → ${item.code}`,
      ).toBe(true);
    }
  }, 600_000);
});
