/**
 * Issue 20 point 4: `coding codebook import FILE.qdpx|project.qde` takes the codebook out of a
 * project (its <CodeBook> and sets of codes), so a team can adopt another study's codebook.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { codes, projectXml, qdpx, users } from '../fixtures/qdpx/projects.js';
import { repositoryRoot, runCli, snapshot, temporaryWorkspace } from '../helpers.js';

const shared = process.env['REFI_QDA_DIR'] ?? path.resolve(repositoryRoot, '..', 'shared', 'refi-qda');
const haveShared = existsSync(path.join(shared, 'Project.xsd'));

const qde = projectXml({
  origin: 'NVivo 14',
  users: `<Users><User guid="${users.anna}" name="Anna"/></Users>`,
  sources:
    '<TextSource guid="44444444-0000-4000-8000-000000000001" name="a"><PlainTextContent>Text.</PlainTextContent></TextSource>',
}).replace(
  '</Project>',
  `<Sets><Set guid="55555555-0000-4000-8000-000000000001" name="Economy"><MemberCode targetGUID="${codes.tariffs}"/><MemberCode targetGUID="${codes.customs}"/></Set></Sets></Project>`,
);

interface YamlCodebook {
  name: string;
  categories: Array<{
    id: string;
    label: string;
    codes: Array<{ id: string; label: string; codes?: Array<{ id: string }> }>;
  }>;
  sets?: Array<{ id: string; label: string; codes: string[] }>;
}

describe('coding codebook import of a project', () => {
  it('takes the codebook and its sets of codes out of a .qdpx and out of a bare project.qde, the same both ways', async () => {
    const workspace = await temporaryWorkspace();
    await fs.writeFile(path.join(workspace, 'other.qdpx'), qdpx({ 'project.qde': qde }));
    await fs.writeFile(path.join(workspace, 'project.qde'), qde);
    const fromArchive = await runCli(['codebook', 'import', 'other.qdpx', '-o', 'codebooks/adopted.yaml'], {
      cwd: workspace,
    });
    expect(fromArchive.code, fromArchive.stderr).toBe(0);
    const fromQde = await runCli(['codebook', 'import', 'project.qde', '--name', 'adopted'], {
      cwd: workspace,
    });
    expect(fromQde.code, fromQde.stderr).toBe(0);
    const written = await fs.readFile(path.join(workspace, 'codebooks', 'adopted.yaml'), 'utf8');
    // The same codebook either way; only the header names the file it came from.
    expect(fromQde.stdout.replace(/project\.qde/g, 'other.qdpx')).toBe(written);
    expect(written).toContain('written by NVivo 14');
    const codebook = parseYaml(written) as YamlCodebook;
    expect(
      codebook.categories.map((category) => [category.id, category.codes.map((code) => code.id)]),
    ).toEqual([
      ['trade', ['trade.tariffs', 'trade.barriers']],
      ['tone', ['tone.positive']],
    ]);
    expect(codebook.categories[0]!.codes[1]!.codes?.map((code) => code.id)).toEqual([
      'trade.barriers.customs',
    ]);
    expect(codebook.sets).toEqual([
      {
        id: 'economy',
        label: 'Economy',
        codes: ['trade.tariffs', 'trade.barriers.customs'],
        // The set's GUID is kept, so that an export gives it back.
        guid: '55555555-0000-4000-8000-000000000001',
      },
    ]);
    const check = await runCli(['codebook', 'check', 'codebooks/adopted.yaml'], { cwd: workspace });
    expect(check.code, check.stdout + check.stderr).toBe(0);
  }, 120_000);

  it('refuses a project without a codebook (exit 2, nothing written)', async () => {
    const workspace = await temporaryWorkspace();
    const bare = qde.replace(/<CodeBook>[\s\S]*<\/CodeBook>/, '').replace(/<Sets>[\s\S]*<\/Sets>/, '');
    await fs.writeFile(path.join(workspace, 'none.qdpx'), qdpx({ 'project.qde': bare }));
    const before = await snapshot(workspace);
    const result = await runCli(['codebook', 'import', 'none.qdpx', '-o', 'codebooks/none.yaml'], {
      cwd: workspace,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('this REFI-QDA project has no codebook');
    expect(await snapshot(workspace)).toEqual(before);
  }, 60_000);

  it.skipIf(!haveShared)(
    'the shared NVivo for Windows 12.6 project: its 60 codes, nested three deep',
    async () => {
      const workspace = await temporaryWorkspace();
      const file = path.join(shared, 'nvivo-win-12.6_oltas.qdpx');
      const result = await runCli(['codebook', 'import', file, '-o', 'codebooks/oltas.yaml'], {
        cwd: workspace,
      });
      expect(result.code, result.stderr).toBe(0);
      const codebook = parseYaml(
        await fs.readFile(path.join(workspace, 'codebooks', 'oltas.yaml'), 'utf8'),
      ) as YamlCodebook;
      const count = (list: ReadonlyArray<{ codes?: unknown }>): number =>
        list.reduce(
          (sum, item) => sum + 1 + count((item.codes as Array<{ codes?: unknown }> | undefined) ?? []),
          0,
        );
      // Codes and categories together: the 60 <Code> elements of its CodeBook (read by hand).
      expect(
        codebook.categories.length +
          codebook.categories.reduce((sum, category) => sum + count(category.codes), 0),
      ).toBe(60);
    },
    120_000,
  );
});
