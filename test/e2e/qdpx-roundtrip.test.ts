/**
 * Issue 20: a project imported from NVivo (or another program) and exported again gives the
 * producer its own project back — the same selections (positions, GUIDs, users, codes), the same
 * codebook (isCodable, hierarchy, GUIDs, colours) and sets — changed only where the team chose;
 * and positions are written as the target program counts them. Both files are parsed with a plain
 * XML parser (not the project's reader) and compared element by element. The shared NVivo export
 * is read from ../shared/refi-qda (or $REFI_QDA_DIR), never copied.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { parse as parseYaml } from 'yaml';
import { escapeXml, qdpx } from '../fixtures/qdpx/projects.js';
import { repositoryRoot, runCli, temporaryWorkspace, writeFiles } from '../helpers.js';

const shared = process.env['REFI_QDA_DIR'] ?? path.resolve(repositoryRoot, '..', 'shared', 'refi-qda');
const haveShared = existsSync(path.join(shared, 'Project.xsd'));
if (!haveShared)
  console.warn(
    `skipped: ${shared} is absent (a clone outside the team's checkout has no REFI-QDA reference files)`,
  );

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) =>
    [
      'User',
      'Code',
      'TextSource',
      'PlainTextSelection',
      'Coding',
      'Set',
      'MemberCode',
      'MemberSource',
      'Note',
      'NoteRef',
    ].includes(name),
});

function list(node: unknown, name: string): Node[] {
  if (node === undefined || node === null || typeof node !== 'object') return [];
  return ((node as Node)[name] as Node[] | undefined) ?? [];
}

interface Archive {
  project: Node;
  files: Record<string, Uint8Array>;
}

function openArchive(bytes: Uint8Array): Archive {
  const files = unzipSync(bytes);
  const name = Object.keys(files).find((entry) => entry.toLowerCase() === 'project.qde')!;
  const text = Buffer.from(files[name]!)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  return { project: (parser.parse(text) as Node)['Project'] as Node, files };
}

/** Every selection: guid → start, end, creating user, dates, description, and its codings (guid, user, code). */
function selections(project: Node): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const source of list(project['Sources'], 'TextSource'))
    for (const selection of list(source, 'PlainTextSelection'))
      result.set(String(selection['guid']).toLowerCase(), {
        source: String(source['guid']).toLowerCase(),
        start: selection['startPosition'],
        end: selection['endPosition'],
        creatingUser: selection['creatingUser'],
        creationDateTime: selection['creationDateTime'],
        modifyingUser: selection['modifyingUser'],
        modifiedDateTime: selection['modifiedDateTime'],
        codings: list(selection, 'Coding').map((coding) => ({
          guid: coding['guid'],
          creatingUser: coding['creatingUser'],
          creationDateTime: coding['creationDateTime'],
          code: (coding['CodeRef'] as Node)['targetGUID'],
        })),
      });
  return result;
}

/** Every code: guid → name, isCodable, parent GUID, colour. */
function codebook(project: Node): Map<string, unknown> {
  const result = new Map<string, unknown>();
  const walk = (node: unknown, parent: string | null): void => {
    for (const code of list(node, 'Code')) {
      const guid = String(code['guid']).toLowerCase();
      result.set(guid, { name: code['name'], isCodable: code['isCodable'], parent, color: code['color'] });
      walk(code, guid);
    }
  };
  walk((project['CodeBook'] as Node | undefined)?.['Codes'], null);
  return result;
}

/** Every set: guid → name, member codes and member sources (sorted). */
function sets(project: Node): Map<string, unknown> {
  const result = new Map<string, unknown>();
  for (const set of list(project['Sets'], 'Set'))
    result.set(String(set['guid']).toLowerCase(), {
      name: set['name'],
      codes: list(set, 'MemberCode')
        .map((member) => String(member['targetGUID']).toLowerCase())
        .sort(),
      sources: list(set, 'MemberSource')
        .map((member) => String(member['targetGUID']).toLowerCase())
        .sort(),
    });
  return result;
}

function users(project: Node): Map<string, unknown> {
  return new Map(
    list(project['Users'], 'User').map((user) => [String(user['guid']).toLowerCase(), user['name']]),
  );
}

async function validates(bytes: Uint8Array): Promise<string[]> {
  const files = unzipSync(bytes);
  const validation = await validateXML({
    xml: [{ fileName: 'project.qde', contents: Buffer.from(files['project.qde']!).toString('utf8') }],
    schema: [
      { fileName: 'Project.xsd', contents: await fs.readFile(path.join(shared, 'Project.xsd'), 'utf8') },
    ],
  });
  return validation.errors.map((error) => error.rawMessage);
}

/** A coder's annotations as long rows (unit_id, code). */
async function annotationRows(workspace: string, coder: string): Promise<Array<[string, string]>> {
  const text = await fs.readFile(path.join(workspace, 'annotations', `${coder}.csv`), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').slice(0, 2) as [string, string]);
}

describe('import then export of the shared NVivo for Windows project', () => {
  it.skipIf(!haveShared)(
    'gives back the same selections, users, codebook and text; --selections units re-cuts; a removal made in coding is left out and named, an addition is a new selection on the right characters',
    async () => {
      const workspace = await temporaryWorkspace();
      const file = path.join(shared, 'nvivo-win-12.6_oltas.qdpx');
      const imported = await runCli(['import', file, '--format', 'json'], { cwd: workspace });
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout).selections).toEqual({
        file: 'annotations/selections.json',
        kept: 97,
        written: true,
      });
      const exported = await runCli(['export', '--format', 'qdpx', '-o', 'back.qdpx'], { cwd: workspace });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stderr).toContain(
        'selections: 97 imported ones as they were, 0 made of units for what was coded in coding; positions in UTF-16 code units, texts with CRLF line ends counted as two characters (as the imported project (NVivo) counted',
      );
      const originalBytes = await fs.readFile(file);
      const backBytes = await fs.readFile(path.join(workspace, 'back.qdpx'));
      const original = openArchive(originalBytes);
      const back = openArchive(backBytes);

      // Selections, element by element: 97 of them, each with its positions, GUIDs, users, dates and code.
      const before = selections(original.project);
      const after = selections(back.project);
      expect(before.size).toBe(97);
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [guid, selection] of before) expect(after.get(guid), guid).toEqual(selection);
      // The codebook: 60 codes with their names, isCodable (11 codable parents among them), parents and colours.
      const codesBefore = codebook(original.project);
      expect(codesBefore.size).toBe(60);
      expect(Object.fromEntries(codebook(back.project))).toEqual(Object.fromEntries(codesBefore));
      expect(
        [...codesBefore.values()].every((code) => (code as { isCodable: string }).isCodable === 'true'),
      ).toBe(true);
      expect(Object.fromEntries(sets(back.project))).toEqual(Object.fromEntries(sets(original.project)));
      // Both users: the coder and the one who made the selections (Gergo, who coded nothing).
      expect(Object.fromEntries(users(back.project))).toEqual(Object.fromEntries(users(original.project)));
      // The text: the same bytes (its BOM, CRLF line ends and characters).
      const textName = 'Sources/56a79789-d535-4fb8-bedd-a915504c54ba.txt';
      expect(Buffer.from(back.files[textName]!).equals(Buffer.from(original.files[textName]!))).toBe(true);
      expect([...Buffer.from(back.files[textName]!).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(await validates(backBytes)).toEqual([]);

      // Read back by coding in another workspace: the same annotations (every unit of the document
      // reviewed, as the NVivo import counted them: the project says so in its marker comment).
      const other = await temporaryWorkspace();
      await fs.copyFile(path.join(workspace, 'back.qdpx'), path.join(other, 'back.qdpx'));
      // (Its positions count UTF-16 code units, for NVivo: its marker comment says so to coding.)
      const reread = await runCli(['import', 'back.qdpx'], { cwd: other });
      expect(reread.code, reread.stderr).toBe(0);
      expect(await annotationRows(other, 'floriansipos')).toEqual(
        await annotationRows(workspace, 'floriansipos'),
      );

      // --selections units: every reviewed unit a selection, as before issue 20.
      const units = await runCli(
        ['export', '--format', 'qdpx', '--selections', 'units', '-o', 'units.qdpx'],
        {
          cwd: workspace,
        },
      );
      expect(units.code, units.stderr).toBe(0);
      expect(
        selections(openArchive(await fs.readFile(path.join(workspace, 'units.qdpx'))).project).size,
      ).toBe(18168);

      // The team changes its mind in coding: code "fenyegetés" is removed everywhere, and a new code
      // is put on the first unit.
      const yaml = parseYaml(
        await fs.readFile(path.join(workspace, 'codebooks', 'untitled.yaml'), 'utf8'),
      ) as {
        categories: Array<{ codes: Array<{ id: string; label: string; guid?: string; codes?: unknown[] }> }>;
      };
      const idOf = new Map<string, { id: string; guid?: string }>();
      const walk = (codes: Array<{ id: string; label: string; guid?: string; codes?: unknown[] }>): void => {
        for (const code of codes) {
          idOf.set(code.label, code);
          walk((code.codes ?? []) as typeof codes);
        }
      };
      for (const category of yaml.categories) walk(category.codes);
      const removed = idOf.get('fenyegetés')!;
      const added = idOf.get('szabadság')!;
      const rows = await annotationRows(workspace, 'floriansipos');
      const unitsWithRemoved = new Set(rows.filter(([, code]) => code === removed.id).map(([unit]) => unit));
      expect(unitsWithRemoved.size).toBeGreaterThan(0);
      const kept = rows.filter(([, code]) => code !== removed.id);
      for (const unit of unitsWithRemoved) if (!kept.some(([other]) => other === unit)) kept.push([unit, '']);
      const firstUnit = rows[0]![0];
      expect(rows.filter(([unit]) => unit === firstUnit)).toEqual([[firstUnit, '']]);
      const changed = kept.map(([unit, code]) => (unit === firstUnit ? [unit, added.id] : [unit, code]));
      await writeFiles(workspace, {
        'changed.csv': `unit_id,code\n${changed.map((row) => row.join(',')).join('\n')}\n`,
      });
      const replaced = await runCli(['import', '--coder', 'floriansipos', '--replace', 'changed.csv'], {
        cwd: workspace,
      });
      expect(replaced.code, replaced.stderr).toBe(0);
      const again = await runCli(['export', '--format', 'qdpx', '-o', 'changed.qdpx'], { cwd: workspace });
      expect(again.code, again.stderr).toBe(0);
      const removedSelections = [...before].filter(([, selection]) =>
        (selection as { codings: Array<{ code: string }> }).codings.some(
          (coding) => coding.code === removed.guid,
        ),
      );
      expect(removedSelections.length).toBeGreaterThan(0);
      expect(again.stderr).toContain(
        `left out: ${removedSelections.length} imported codings whose code the coder removed in coding from every unit they covered: floriansipos ${removed.id} (selection `,
      );
      const changedArchive = openArchive(await fs.readFile(path.join(workspace, 'changed.qdpx')));
      const afterChange = selections(changedArchive.project);
      for (const [guid] of removedSelections) expect(afterChange.has(guid), guid).toBe(false);
      // Every other imported selection is there as it was; one new selection, on the first unit.
      for (const [guid, selection] of before)
        if (!removedSelections.some(([other]) => other === guid))
          expect(afterChange.get(guid)).toEqual(selection);
      const newOnes = [...afterChange].filter(([guid]) => !before.has(guid));
      expect(newOnes).toHaveLength(1);
      const [, newSelection] = newOnes[0]! as [
        string,
        { start: string; end: string; codings: Array<{ code: string }> },
      ];
      expect(newSelection.codings.map((coding) => coding.code)).toEqual([added.guid]);
      const unitList = JSON.parse(
        (await runCli(['corpus', 'units', '--format', 'json'], { cwd: workspace })).stdout,
      ) as Array<{ unit_id: string; text: string }>;
      const unitText = unitList.find((unit) => unit.unit_id === firstUnit)!.text;
      const exportedText = Buffer.from(changedArchive.files[textName]!)
        .toString('utf8')
        .replace(/^\uFEFF/, '');
      expect(exportedText.slice(Number(newSelection.start), Number(newSelection.end))).toBe(
        unitText.replace(/\n/g, '\r\n'),
      );
    },
    300_000,
  );
});

describe('import then export of the shared qc 1.3.2 project', () => {
  it.skipIf(!haveShared)(
    'gives back its 158 selections (205 codings, no creatingUser on selections) and its 262 nested codes as they were',
    async () => {
      const workspace = await temporaryWorkspace();
      const file = path.join(shared, 'qc-1.3.2-demo.qdpx');
      const imported = await runCli(['import', file], { cwd: workspace });
      expect(imported.code, imported.stderr).toBe(0);
      const exported = await runCli(['export', '--format', 'qdpx', '-o', 'back.qdpx'], { cwd: workspace });
      expect(exported.code, exported.stderr).toBe(0);
      const original = openArchive(await fs.readFile(file));
      const back = openArchive(await fs.readFile(path.join(workspace, 'back.qdpx')));
      const before = selections(original.project);
      expect(before.size).toBe(158);
      expect(Object.fromEntries(selections(back.project))).toEqual(Object.fromEntries(before));
      expect(codebook(original.project).size).toBe(262);
      expect(Object.fromEntries(codebook(back.project))).toEqual(
        Object.fromEntries(codebook(original.project)),
      );
    },
    120_000,
  );
});

describe('a study made in coding, exported for NVivo', () => {
  const text =
    'Good morning 😀😀 everyone.\r\nWe reject tariffs 🙂 on steel, 🇲🇽 and 👍🏽 cars.\r\n\r\nCustoms rules are simpler now. 🎉 Thank you.\r\n';

  it('puts every selection on the unit’s characters, read as UTF-16 with CRLF as two (and as the other readings)', async () => {
    const workspace = await temporaryWorkspace();
    await writeFiles(workspace, {
      'codebooks/codebook.yaml':
        'version: 1\nname: trade\ncategories:\n  - id: trade\n    label: Trade\n    codes:\n      - id: trade.tariffs\n        label: Tariffs\n      - id: trade.customs\n        label: Customs\n',
      'talk.txt': text,
    });
    expect((await runCli(['import', 'talk.txt', '--unit', 'sentence'], { cwd: workspace })).code).toBe(0);
    const units = JSON.parse(
      (await runCli(['corpus', 'units', '--format', 'json'], { cwd: workspace })).stdout,
    ) as Array<{ unit_id: string; text: string }>;
    expect(units.length).toBeGreaterThanOrEqual(4);
    const rows = units.map(
      (unit, index) => `${unit.unit_id},${index % 2 === 0 ? 'trade.tariffs' : 'trade.customs'}`,
    );
    await writeFiles(workspace, { 'ana.csv': `unit_id,code\n${rows.join('\n')}\n` });
    expect((await runCli(['import', '--coder', 'ana', 'ana.csv'], { cwd: workspace })).code).toBe(0);

    const readings: Array<{
      args: string[];
      slice: (exported: string, start: number, end: number) => string;
      lineEnd: string;
    }> = [
      // For NVivo: UTF-16 code units, the text written with CRLF counted as two: a plain JS slice.
      {
        args: ['--offsets', 'utf16', '--crlf', 'two'],
        slice: (exported, start, end) => exported.slice(start, end),
        lineEnd: '\r\n',
      },
      // The default for a study made here: code points, LF as stored.
      { args: [], slice: (exported, start, end) => [...exported].slice(start, end).join(''), lineEnd: '\n' },
      // ATLAS.ti-like: CRLF written, counted as one; UTF-16 code units.
      {
        args: ['--offsets', 'utf16', '--crlf', 'one'],
        slice: (exported, start, end) => {
          // Position p counts a CRLF as one: find the JS index whose count (CR not counted) is p.
          const indexOf = (position: number): number => {
            let counted = 0;
            for (let index = 0; index < exported.length; index++) {
              if (counted === position) return index;
              if (!(exported[index] === '\r' && exported[index + 1] === '\n')) counted++;
            }
            return exported.length;
          };
          return exported.slice(indexOf(start), indexOf(end));
        },
        lineEnd: '\r\n',
      },
    ];
    for (const reading of readings) {
      const output = `out${reading.args.join('')}.qdpx`;
      const result = await runCli(['export', '--format', 'qdpx', ...reading.args, '-o', output], {
        cwd: workspace,
      });
      expect(result.code, result.stderr).toBe(0);
      const archive = openArchive(await fs.readFile(path.join(workspace, output)));
      const source = list(archive.project['Sources'], 'TextSource')[0]!;
      const exported = Buffer.from(archive.files[`Sources/${source['guid']}.txt`]!).toString('utf8');
      expect(exported.includes('\r\n'), reading.args.join(' ')).toBe(reading.lineEnd === '\r\n');
      const found = list(source, 'PlainTextSelection');
      expect(found).toHaveLength(units.length);
      for (const selection of found) {
        const unit = units.find((candidate) => candidate.unit_id === selection['name'])!;
        expect(
          reading.slice(exported, Number(selection['startPosition']), Number(selection['endPosition'])),
          `${reading.args.join(' ')} ${unit.unit_id}`,
        ).toBe(unit.text.replace(/\n/g, reading.lineEnd));
      }
    }
    // Read back by coding (the marker comment says how the positions count): the same annotations.
    const other = await temporaryWorkspace();
    await fs.copyFile(path.join(workspace, 'out--offsetsutf16--crlftwo.qdpx'), path.join(other, 'p.qdpx'));
    const back = await runCli(['import', 'p.qdpx'], { cwd: other });
    expect(back.code, back.stderr).toBe(0);
    expect(await annotationRows(other, 'ana')).toEqual(await annotationRows(workspace, 'ana'));
  }, 120_000);
});

describe('a small project with what NVivo and MAXQDA keep: codable parents, a code that is not codable, sets, notes, descriptions', () => {
  const users = { ana: 'a1000000-0000-4000-8000-000000000001', ben: 'a1000000-0000-4000-8000-000000000002' };
  const guid = (n: number): string => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const source = 'd0000000-0000-4000-8000-000000000001';
  const text = 'Tariffs 😀 hurt farmers.\r\nCustoms delays hurt everyone.\r\n';
  const codebookXml = `<CodeBook><Codes>
    <Code guid="${guid(1)}" name="Economy" isCodable="true" color="#112233">
      <Code guid="${guid(2)}" name="Tariffs" isCodable="true"/>
      <Code guid="${guid(3)}" name="Trade barriers" isCodable="false">
        <Code guid="${guid(4)}" name="Customs" isCodable="true" color="#445566"/>
      </Code>
    </Code>
    <Code guid="${guid(5)}" name="Tone" isCodable="false"><Code guid="${guid(6)}" name="Negative" isCodable="true"/></Code>
  </Codes></CodeBook>`;
  const selection = (n: number, start: number, end: number, code: number, extra = ''): string =>
    `<PlainTextSelection guid="${guid(100 + n)}" name="s${n}" startPosition="${start}" endPosition="${end}" creatingUser="${users.ana}" creationDateTime="2024-05-0${n}T10:00:00Z">${extra}<Coding guid="${guid(200 + n)}" creatingUser="${users.ben}" creationDateTime="2024-05-0${n}T11:00:00Z"><CodeRef targetGUID="${guid(code)}"/></Coding></PlainTextSelection>`;
  const project = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Farm study" origin="NVivo 14.23">
<Users><User guid="${users.ana}" name="Ana"/><User guid="${users.ben}" name="Ben"/></Users>
${codebookXml}
<Sources><TextSource guid="${source}" name="Farm interview" plainTextPath="internal://${source}.txt">${selection(1, 0, 7, 2, '<Description>the opening word</Description>')}${selection(2, 26, 40, 4)}${selection(3, 0, 24, 1)}${selection(4, 11, 24, 6).replace('</Coding>', `<NoteRef targetGUID="${guid(300)}"/></Coding>`)}</TextSource></Sources>
<Notes><Note guid="${guid(300)}" name="why"><PlainTextContent>${escapeXml('Said with anger.')}</PlainTextContent></Note></Notes>
<Sets><Set guid="${guid(400)}" name="Money"><MemberCode targetGUID="${guid(2)}"/><MemberCode targetGUID="${guid(4)}"/></Set><Set guid="${guid(401)}" name="Interviews"><MemberSource targetGUID="${source}"/></Set><Set guid="${guid(402)}" name="Mixed"><MemberCode targetGUID="${guid(6)}"/><MemberSource targetGUID="${source}"/></Set></Sets>
</Project>
`;

  it('comes back with the same codebook (isCodable, hierarchy, colours), sets, selections, descriptions and notes', async () => {
    const workspace = await temporaryWorkspace();
    await fs.writeFile(
      path.join(workspace, 'farm.qdpx'),
      qdpx({ 'project.qde': project, [`Sources/${source}.txt`]: text }),
    );
    const imported = await runCli(['import', 'farm.qdpx', '--format', 'json'], { cwd: workspace });
    expect(imported.code, imported.stderr).toBe(0);
    const json = JSON.parse(imported.stdout);
    // Nothing is left out: the description and the note travel with the kept selections.
    expect(json.leftOut).toEqual({});
    expect(json.selections.kept).toBe(4);
    const yaml = parseYaml(await fs.readFile(path.join(workspace, json.codebook.file), 'utf8')) as {
      categories: Array<{
        id: string;
        codable?: boolean;
        codes: Array<{ id: string; codes?: Array<{ id: string; codable?: boolean }> }>;
      }>;
    };
    expect(yaml.categories[0]).toMatchObject({ id: 'economy', codable: true, guid: guid(1) });
    expect(yaml.categories[0]!.codes[1]).toMatchObject({
      id: 'economy.trade-barriers',
      codable: false,
      guid: guid(3),
    });
    expect(yaml.categories[1]!.codable).toBeUndefined();
    const check = await runCli(['codebook', 'check'], { cwd: workspace });
    expect(check.code, check.stdout + check.stderr).toBe(0);

    const exported = await runCli(['export', '--format', 'qdpx', '-o', 'back.qdpx'], { cwd: workspace });
    expect(exported.code, exported.stderr).toBe(0);
    const bytes = await fs.readFile(path.join(workspace, 'back.qdpx'));
    const back = openArchive(bytes);
    const original = openArchive(qdpx({ 'project.qde': project }));
    expect(Object.fromEntries(codebook(back.project))).toEqual(
      Object.fromEntries(codebook(original.project)),
    );
    expect(Object.fromEntries(sets(back.project))).toEqual(Object.fromEntries(sets(original.project)));
    expect(Object.fromEntries(selections(back.project))).toEqual(
      Object.fromEntries(selections(original.project)),
    );
    const backSelections = list(list(back.project['Sources'], 'TextSource')[0], 'PlainTextSelection');
    expect(backSelections[0]!['Description']).toBe('the opening word');
    const noted = backSelections.find((item) => item['guid'] === guid(104))!;
    expect((list(noted, 'Coding')[0]!['NoteRef'] as Node[])[0]!['targetGUID']).toBe(guid(300));
    expect(
      list(back.project['Notes'], 'Note').map((note) => [note['guid'], note['PlainTextContent'] as string]),
    ).toEqual([[guid(300), 'Said with anger.']]);
    expect(await validates(bytes)).toEqual([]);

    // The .qdc export writes isCodable and the GUIDs back too.
    const qdc = await runCli(['codebook', 'export', '--format', 'qdc', '-o', 'farm.qdc'], { cwd: workspace });
    expect(qdc.code, qdc.stderr).toBe(0);
    const qdcText = await fs.readFile(path.join(workspace, 'farm.qdc'), 'utf8');
    expect(qdcText).toContain(`<Code guid="${guid(1)}" name="Economy" isCodable="true" color="#112233">`);
    expect(qdcText).toContain(`<Code guid="${guid(3)}" name="Trade barriers" isCodable="false">`);
    expect(qdcText).toContain(`<Set guid="${guid(400)}" name="Money">`);
  }, 120_000);
});
