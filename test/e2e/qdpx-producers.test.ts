/**
 * REFI-QDA projects as real programs write them (issue 19): the two shared exports (NVivo for
 * Windows 12.6, ATLAS.ti 8.4 for Mac), and one small project written by hand for each deviation
 * they taught. The shared files are read from ../shared/refi-qda (or $REFI_QDA_DIR), never copied.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { parse as parseYaml } from 'yaml';
import {
  codebookXml,
  codes,
  escapeXml,
  projectXml,
  qdpx,
  selectionXml,
  users,
} from '../fixtures/qdpx/projects.js';
import { repositoryRoot, runCli, snapshot, temporaryWorkspace, writeFiles } from '../helpers.js';

const shared = process.env['REFI_QDA_DIR'] ?? path.resolve(repositoryRoot, '..', 'shared', 'refi-qda');
const haveShared = existsSync(path.join(shared, 'Project.xsd'));
if (!haveShared)
  console.warn(
    `skipped: ${shared} is absent (a clone outside the team's checkout has no REFI-QDA reference files)`,
  );

interface UnitRow {
  unit_id: string;
  doc_id: string;
  text: string;
}

async function units(workspace: string): Promise<UnitRow[]> {
  const result = await runCli(['corpus', 'units', '--format', 'json'], { cwd: workspace });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as UnitRow[];
}

/** A coder's annotations: unit id → code ids ('' for reviewed, no code). */
async function annotations(workspace: string, coder: string): Promise<Map<string, string[]>> {
  const text = await fs.readFile(path.join(workspace, 'annotations', `${coder}.csv`), 'utf8');
  const result = new Map<string, string[]>();
  for (const line of text.trim().split('\n').slice(1)) {
    const [unit, code] = line.split(',');
    const list = result.get(unit!) ?? [];
    if (code !== '') list.push(code!);
    result.set(unit!, list);
  }
  return result;
}

/** The id our codebook gave a code of the project, by its label. */
async function codeIdByLabel(workspace: string, file: string): Promise<Map<string, string>> {
  const codebook = parseYaml(await fs.readFile(path.join(workspace, file), 'utf8')) as {
    categories: Array<{ codes: Array<{ id: string; label: string; codes?: unknown[] }> }>;
  };
  const result = new Map<string, string>();
  const walk = (list: Array<{ id: string; label: string; codes?: unknown[] }>): void => {
    for (const code of list) {
      result.set(code.label, code.id);
      walk((code.codes ?? []) as Array<{ id: string; label: string }>);
    }
  };
  for (const category of codebook.categories) walk(category.codes);
  return result;
}

async function importJson(workspace: string, args: string[]) {
  const result = await runCli(['import', ...args, '--format', 'json'], { cwd: workspace });
  return { ...result, json: result.code === 0 ? JSON.parse(result.stdout) : undefined };
}

describe('the shared exports of real programs', () => {
  it.skipIf(!haveShared)(
    'NVivo for Windows 12.6: UTF-16 positions, the coding’s user as coder, codes on the units read by hand; the export validates',
    async () => {
      const workspace = await temporaryWorkspace();
      const file = path.join(shared, 'nvivo-win-12.6_oltas.qdpx');
      const { code, stderr, json } = await importJson(workspace, [file]);
      expect(code, stderr).toBe(0);
      // Counts read from project.qde: 97 selections with one coding each, all by floriansipos
      // (f93ad076…) while every selection was created by Gergo (8ca3a2c1…); 60 codes, 11 of
      // them top-level groups with sub-codes.
      expect(json.settings.offsets).toBe('utf16');
      expect(json.settings.crlf).toBe('two');
      expect(json.settings.positions).toMatch(
        /^NVivo; selection ends on word boundaries — .*UTF-16 code units, CRLF as two 100 %/,
      );
      expect(
        json.coders.map((coder: { coder: string; codings: number }) => [coder.coder, coder.codings]),
      ).toEqual([['floriansipos', 97]]);
      expect(json.codebook.categories).toBe(11);
      expect(json.codebook.codes).toBe(49);
      expect(json.sources).toMatchObject({ text: 1, imported: 1, missing: [] });
      expect(stderr).toContain(
        'reliability: needs two coders who coded the same documents; this project has one (floriansipos)',
      );

      // Three selections read by hand (UTF-16 positions into the text without its BOM, CRLF as two):
      //   233–409     "Na mi van? Nem mertétek kötelezővé tenni? …"           → fenyegetés
      //   2943–2994   "A Politikusoknak kötemező, ja leszavazták maguknak!"   → politikusokkal szembeli bizalmatlanság
      //   19579–21417 "Természetesen a transzhumanista ügynök szándékosan …"  → szabadság (after 20+ emoji)
      const ids = await codeIdByLabel(workspace, json.codebook.file);
      const stored = await annotations(workspace, 'floriansipos');
      const all = await units(workspace);
      const unitStarting = (text: string): UnitRow => {
        const found = all.filter((unit) => unit.text.startsWith(text));
        // The comments repeat: the selection is the first occurrence (units are in text order).
        expect(found.length, text).toBeGreaterThan(0);
        return found[0]!;
      };
      for (const [start, label] of [
        ['Na mi van?', 'fenyegetés'],
        ['A Politikusoknak kötemező, ja leszavazták maguknak!', 'politikusokkal szembeli bizalmatlanság'],
        ['Természetesen a transzhumanista ügynök szándékosan', 'szabadság'],
      ] as const) {
        expect(stored.get(unitStarting(start).unit_id), `${start} → ${label}`).toContain(ids.get(label));
      }

      const exported = await runCli(['export', '--format', 'qdpx', '-o', 'out.qdpx'], { cwd: workspace });
      expect(exported.code, exported.stderr).toBe(0);
      const qde = Buffer.from(
        unzipSync(await fs.readFile(path.join(workspace, 'out.qdpx')))['project.qde']!,
      ).toString('utf8');
      const validation = await validateXML({
        xml: [{ fileName: 'project.qde', contents: qde }],
        schema: [
          { fileName: 'Project.xsd', contents: await fs.readFile(path.join(shared, 'Project.xsd'), 'utf8') },
        ],
      });
      expect(validation.errors.map((error) => error.rawMessage)).toEqual([]);
    },
    300_000,
  );

  it.skipIf(!haveShared)(
    'ATLAS.ti 8.4 for Mac, repackaged without its texts: Project.qde read, the codebook and its sets kept, the missing sources named',
    async () => {
      const workspace = await temporaryWorkspace();
      const file = path.join(shared, 'atlasti-mac-8.4.0_standard-project_TestProject.qdpx');
      const { code, stderr, json } = await importJson(workspace, [file]);
      expect(code, stderr).toBe(0);
      // From Project.qde: 14 codes, 6 text sources (none of their texts inside: Sources/ is
      // empty), 2 PDF, 1 picture, 1 audio and 2 video sources; 7 codings on the text sources.
      expect(json.codebook.codes).toBe(14);
      expect(json.sources.imported).toBe(0);
      // The project writes "Mabêl" with a combining circumflex (NFD); compared in NFC.
      expect(json.sources.missing.map((item: { name: string }) => item.name.normalize('NFC'))).toEqual([
        '1960s Coca Cola commercial - Audio.docx',
        '1960s Coca Cola commercial - Visual.docx',
        '1994 Diet Coke-Diet Coke Break.docx',
        'Mabêl 2ième.txt',
        'Mabel.txt',
        'Simon.docx',
      ]);
      expect(
        json.sources.missing.reduce((sum: number, item: { codings: number }) => sum + item.codings, 0),
      ).toBe(7);
      expect(json.sources.skipped).toEqual({
        PDFSource: 2,
        PictureSource: 1,
        AudioSource: 1,
        VideoSource: 2,
      });
      expect(json.settings.crlf).toBe('one');
      expect(stderr).toContain(
        "coders: none imported; the project's 7 text codings are on the sources missing from the archive",
      );
    },
  );
});

const nvivoSource = 'c3d1a5e0-0000-4000-8000-00000000a001';
/** Text with emoji before the coded words: UTF-16 and code point positions differ after them. */
const emojiText =
  'Hello 😀😀 friends.\r\nWe reject tariffs 🙂 on steel.\r\nCustoms rules 👍🏽 are simpler now.\r\n';

/** UTF-16 offsets of a phrase in `emojiText` (CRLF counted as two). */
function utf16Span(text: string, phrase: string): { start: number; end: number } {
  const start = text.indexOf(phrase);
  return { start, end: start + phrase.length };
}

function emojiProject(
  origin: string,
  reading: 'utf16' | 'codepoints',
  crlf: 'one' | 'two' = 'two',
): Uint8Array {
  const position = (offset: number): number => {
    let value = offset;
    if (reading === 'codepoints') value = [...emojiText.slice(0, offset)].length;
    if (crlf === 'one') value -= (emojiText.slice(0, offset).match(/\r\n/g) ?? []).length;
    return value;
  };
  const selections = [
    ['reject tariffs', codes.tariffs],
    ['Customs rules', codes.customs],
    ['simpler now', codes.positive],
    ['friends', codes.positive],
  ].map(([phrase, code], index) => {
    const span = utf16Span(emojiText, phrase!);
    return selectionXml({
      guid: `d0000000-0000-4000-8000-00000000010${index}`,
      start: position(span.start),
      end: position(span.end),
      codes: [{ code: code!, user: users.anna }],
    });
  });
  return qdpx({
    'project.qde': projectXml({
      origin,
      sources: `<TextSource guid="${nvivoSource}" name="Posts" plainTextPath="internal://${nvivoSource}.txt">${selections.join('')}</TextSource>`,
    }),
    [`Sources/${nvivoSource}.txt`]: emojiText,
  });
}

/** Sentence units of `emojiText`: Posts:1 "Hello 😀😀 friends.", Posts:2 "We reject tariffs 🙂 on steel.", Posts:3 "Customs rules 👍🏽 are simpler now." */
const expectedEmojiCodes = new Map([
  ['Posts:1', ['tone.positive']],
  ['Posts:2', ['trade.tariffs']],
  ['Posts:3', ['trade.barriers.customs', 'tone.positive']],
]);

async function codesOf(workspace: string, coder: string): Promise<Map<string, string[]>> {
  const stored = await annotations(workspace, coder);
  for (const list of stored.values()) list.sort();
  return stored;
}

describe('positions: UTF-16 or code points, CRLF one or two, by producer or measured', () => {
  for (const [title, origin, reading, crlf, reason] of [
    ['NVivo: UTF-16 code units by rule', 'NVivo for Mac 12.7', 'utf16', 'two', /^NVivo; selection ends/],
    [
      'an unknown program counting UTF-16: measured',
      'Some QDA 2.0',
      'utf16',
      'two',
      /^measured \(the producer is not known\)/,
    ],
    ['an unknown program counting code points: measured', 'Some QDA 2.0', 'codepoints', 'two', /^measured/],
    [
      'ATLAS.ti: CRLF as one by rule, UTF-16 measured',
      'ATLAS.ti 23.1 (Windows)',
      'utf16',
      'one',
      /^measured \(ATLAS\.ti's counting is not known\)/,
    ],
    ['an unknown program counting CRLF as one: measured', 'Some QDA 2.0', 'codepoints', 'one', /^measured/],
    [
      'NVivo with code point positions: the rule is overruled, with a warning',
      'NVivo 14',
      'codepoints',
      'two',
      /^measured, overruling NVivo's usual counting/,
    ],
  ] as const) {
    it(title, async () => {
      const workspace = await temporaryWorkspace();
      await writeFiles(workspace, { 'p.qdpx': Buffer.from(emojiProject(origin, reading, crlf)) });
      const { code, stderr, json } = await importJson(workspace, ['p.qdpx']);
      expect(code, stderr).toBe(0);
      expect([json.settings.offsets, json.settings.crlf]).toEqual([reading, crlf]);
      expect(json.settings.positions).toMatch(reason);
      const stored = await codesOf(workspace, 'Anna-Muller');
      for (const [unit, expected] of expectedEmojiCodes)
        expect(stored.get(unit), unit).toEqual([...expected].sort());
      if (reason.source.includes('overruling'))
        expect(json.warnings.map((warning: { code: string }) => warning.code)).toContain(
          'QDPX_POSITIONS_MEASURED',
        );
    });
  }
});

describe('packaging and validity as real programs vary them', () => {
  it('Project.qde with a BOM, a lower-case sources/ with a zero-byte .root, a text with a BOM and CRLF', async () => {
    const workspace = await temporaryWorkspace();
    const archive = qdpx({
      'Project.qde': `\uFEFF${projectXml({
        origin: 'NVivo for Windows 12.6',
        sources: `<TextSource guid="${nvivoSource}" name="Posts" plainTextPath="internal://${nvivoSource}.txt">${selectionXml(
          {
            guid: 'd0000000-0000-4000-8000-000000000200',
            // UTF-16, CRLF as two, the BOM not counted: "Customs rules" starts at 52.
            ...utf16Span(emojiText, 'Customs rules'),
            codes: [{ code: codes.customs, user: users.ben }],
          },
        )}</TextSource>`,
      })}`,
      'sources/.root': '',
      [`sources/${nvivoSource}.txt`]: `\uFEFF${emojiText}`,
    });
    await writeFiles(workspace, { 'p.qdpx': Buffer.from(archive) });
    const { code, stderr, json } = await importJson(workspace, ['p.qdpx']);
    expect(code, stderr).toBe(0);
    expect(json.sources.imported).toBe(1);
    expect((await codesOf(workspace, 'ben')).get('Posts:3')).toEqual(['trade.barriers.customs']);
  });

  it('a source missing from the archive is named and left out; the others are imported', async () => {
    const workspace = await temporaryWorkspace();
    const here = 'e0000000-0000-4000-8000-000000000001';
    const gone = 'e0000000-0000-4000-8000-000000000002';
    const archive = qdpx({
      'project.qde': projectXml({
        origin: 'ATLAS.ti 9.1',
        sources:
          `<TextSource guid="${here}" name="Here" plainTextPath="internal://${here}.txt">${selectionXml({ guid: 'e0000000-0000-4000-8000-000000000100', start: 0, end: 7, codes: [{ code: codes.tariffs, user: users.anna }] })}</TextSource>` +
          `<TextSource guid="${gone}" name="Gone" plainTextPath="internal://${gone}.txt">${selectionXml({ guid: 'e0000000-0000-4000-8000-000000000200', start: 0, end: 4, codes: [{ code: codes.tariffs, user: users.anna }] })}</TextSource>`,
      }),
      [`Sources/${here}.txt`]: 'Tariffs are high.',
    });
    await writeFiles(workspace, { 'p.qdpx': Buffer.from(archive) });
    const { code, stderr, json } = await importJson(workspace, ['p.qdpx']);
    expect(code, stderr).toBe(0);
    expect(json.sources.missing).toEqual([{ name: 'Gone', codings: 1 }]);
    expect(json.warnings.map((warning: { message: string }) => warning.message).join('\n')).toContain(
      `the text of source "Gone" (${gone}), internal://${gone}.txt, is not in the archive`,
    );
    expect((await codesOf(workspace, 'Anna-Muller')).get('Here:1')).toEqual(['trade.tariffs']);
  });

  it('NUL in a source is refused as a plain import refuses it: exit 2, nothing written', async () => {
    const workspace = await temporaryWorkspace();
    const source = 'f0000000-0000-4000-8000-000000000001';
    const archive = qdpx({
      'project.qde': projectXml({
        origin: 'QualCoder 3.6',
        sources: `<TextSource guid="${source}" name="Bin" plainTextPath="internal://${source}.txt"/>`,
      }),
      [`Sources/${source}.txt`]: 'Text\u0000with a NUL.',
    });
    await writeFiles(workspace, { 'p.qdpx': Buffer.from(archive), 'plain.txt': 'Text\u0000with a NUL.' });
    const before = await snapshot(workspace);
    const fromProject = await runCli(['import', 'p.qdpx'], { cwd: workspace });
    const plain = await runCli(['import', 'plain.txt'], { cwd: workspace });
    for (const result of [fromProject, plain]) {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('this is a binary file, not text');
    }
    expect(fromProject.stderr).toContain(`p.qdpx:Sources/${source}.txt`);
    expect(await snapshot(workspace)).toEqual(before);
  });

  it('project.qde and a .qdc nested 200,000 elements deep: the depth limit named, exit 2', async () => {
    const workspace = await temporaryWorkspace();
    const deep = (count: number): string =>
      `${'<Code guid="a2b94468-80a5-412f-92d6-e900d97b55a6" name="x" isCodable="true">'.repeat(count)}${'</Code>'.repeat(count)}`;
    await writeFiles(workspace, {
      'deep.qdpx': Buffer.from(
        qdpx({
          'project.qde': projectXml({
            origin: 'x',
            codebook: `<CodeBook><Codes>${deep(200_000)}</Codes></CodeBook>`,
            sources: '',
          }),
        }),
      ),
      'deep.qdc': `<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>${deep(200_000)}</Codes></CodeBook>`,
    });
    const before = await snapshot(workspace);
    const project = await runCli(['import', 'deep.qdpx'], { cwd: workspace });
    const codebook = await runCli(['codebook', 'import', 'deep.qdc', '-o', 'codebooks/deep.yaml'], {
      cwd: workspace,
    });
    expect(project.code).toBe(2);
    expect(project.stderr).toMatch(
      /deep\.qdpx:project\.qde:\d+:\d+: project\.qde nests elements more than 100 deep; refused/,
    );
    expect(codebook.code).toBe(2);
    expect(codebook.stderr).toMatch(
      /deep\.qdc:2:\d+: this codebook nests elements more than 100 deep; refused/,
    );
    expect(await snapshot(workspace)).toEqual(before);
  });

  it('import --dry-run --format json reports the codebook as planned, not written or switched', async () => {
    const workspace = await temporaryWorkspace();
    await writeFiles(workspace, { 'p.qdpx': Buffer.from(emojiProject('QualCoder 3.6', 'codepoints')) });
    const before = await snapshot(workspace);
    const { code, json } = await importJson(workspace, ['p.qdpx', '--dry-run']);
    expect(code).toBe(0);
    expect(json.dryRun).toBe(true);
    expect(json.codebook).toMatchObject({
      written: false,
      switched: false,
      planned: { write: true, switch: true },
    });
    expect(await snapshot(workspace)).toEqual(before);
  });
});

describe('who coded: the coding’s user, and reliability for every coder', () => {
  it('a selection made by one user and coded by another belongs to the coder; a third user re-saving gives three coders, and reliability runs for three', async () => {
    const workspace = await temporaryWorkspace();
    const carla = '9a1b2c3d-0000-4000-8000-00000000c001';
    const text = 'We reject tariffs on steel.\nCustoms rules must be simpler now.\nThank you all today.\n';
    const selection = (
      guid: string,
      start: number,
      end: number,
      selectedBy: string,
      coder: string,
      code: string,
    ) => selectionXml({ guid, start, end, user: selectedBy, codes: [{ code, user: coder }] });
    const archive = qdpx({
      'project.qde': projectXml({
        origin: 'NVivo for Windows 14',
        users: `<Users><User guid="${users.anna}" name="Anna Müller"/><User guid="${users.ben}" name="ben"/><User guid="${carla}" name="carla"/></Users>`,
        sources: `<TextSource guid="${nvivoSource}" name="Talk" plainTextPath="internal://${nvivoSource}.txt">${[
          // Selected by Ben, coded by Anna: Anna's.
          selection('a0000000-0000-4000-8000-000000000001', 0, 27, users.ben, users.anna, codes.tariffs),
          selection('a0000000-0000-4000-8000-000000000002', 28, 62, users.ben, users.anna, codes.customs),
          selection('a0000000-0000-4000-8000-000000000003', 0, 27, users.anna, users.ben, codes.tariffs),
          selection('a0000000-0000-4000-8000-000000000004', 63, 83, users.anna, users.ben, codes.positive),
          selection('a0000000-0000-4000-8000-000000000005', 0, 27, users.anna, carla, codes.tariffs),
          selection('a0000000-0000-4000-8000-000000000006', 28, 62, users.anna, carla, codes.customs),
        ].join('')}</TextSource>`,
      }),
      [`Sources/${nvivoSource}.txt`]: text,
    });
    await writeFiles(workspace, { 'p.qdpx': Buffer.from(archive) });
    const { code, stderr, json } = await importJson(workspace, ['p.qdpx']);
    expect(code, stderr).toBe(0);
    expect(
      json.coders.map((coder: { coder: string; codings: number }) => [coder.coder, coder.codings]),
    ).toEqual([
      ['Anna-Muller', 2],
      ['ben', 2],
      ['carla', 2],
    ]);
    expect((await codesOf(workspace, 'Anna-Muller')).get('Talk:2')).toEqual(['trade.barriers.customs']);
    expect((await codesOf(workspace, 'ben')).get('Talk:3')).toEqual(['tone.positive']);
    const reliability = await runCli(['reliability', '--format', 'json'], { cwd: workspace });
    expect(reliability.code, reliability.stderr).toBe(0);
    expect(reliability.stdout).toContain('carla');
    expect(reliability.stdout).toContain('Anna-Muller');
  });
});

describe('codebooks as ATLAS.ti and Taguette write them', () => {
  it('ATLAS.ti 23’s codebook namespace urn:QDA-XML:codebook:0:4 is read with a warning naming it', async () => {
    const workspace = await temporaryWorkspace();
    await writeFiles(workspace, {
      'atlas.qdc': `<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="ATLAS.ti 23.0.8">${codebookXml.replace(/^<CodeBook>|<\/CodeBook>$/g, '')}</CodeBook>`,
    });
    const result = await runCli(['codebook', 'import', 'atlas.qdc', '-o', 'codebooks/atlas.yaml'], {
      cwd: workspace,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'ATLAS.ti 23.0.8 used the pre-release namespace urn:QDA-XML:codebook:0:4 (ATLAS.ti 23 does) instead of urn:QDA-XML:codebook:1.0; read as 1.0',
    );
    expect(await fs.readFile(path.join(workspace, 'codebooks', 'atlas.yaml'), 'utf8')).toContain(
      'id: trade.tariffs',
    );
  });

  it('an empty <Sets/> in a Taguette project is read with a warning', async () => {
    const workspace = await temporaryWorkspace();
    const source = 'f1000000-0000-4000-8000-000000000001';
    await writeFiles(workspace, {
      'p.qdpx': Buffer.from(
        qdpx({
          'project.qde': projectXml({
            origin: 'Taguette 1.4.1',
            sources: `<TextSource guid="${source}" name="Notes" plainTextPath="internal://${source}.txt"/>`,
          }).replace('</Project>', '<Sets/>\n</Project>'),
          [`Sources/${source}.txt`]: escapeXml('Some notes.'),
        }),
      ),
    });
    const { code, stderr, json } = await importJson(workspace, ['p.qdpx']);
    expect(code, stderr).toBe(0);
    expect(json.warnings.map((warning: { message: string }) => warning.message).join('\n')).toContain(
      'Taguette 1.4.1 wrote an empty <Sets/> (Taguette does; the standard needs at least one <Set>); read all the same',
    );
  });
});

describe('sets of codes are kept', () => {
  it.skipIf(!haveShared)(
    'a project’s Sets of codes become the codebook’s sets:, pass codebook check, and are written back in .qdc and .qdpx that validate',
    async () => {
      const workspace = await temporaryWorkspace();
      const source = 'f2000000-0000-4000-8000-000000000001';
      const sets = `<Sets>
  <Set guid="f2000000-0000-4000-8000-0000000000a1" name="Economy"><Description>Codes about money.</Description><MemberCode targetGUID="${codes.tariffs}"/><MemberCode targetGUID="${codes.customs}"/></Set>
  <Set guid="f2000000-0000-4000-8000-0000000000a2" name="Documents"><MemberSource targetGUID="${source}"/></Set>
</Sets>`;
      await writeFiles(workspace, {
        'p.qdpx': Buffer.from(
          qdpx({
            'project.qde': projectXml({
              origin: 'MAXQDA 24',
              sources: `<TextSource guid="${source}" name="Notes" plainTextPath="internal://${source}.txt">${selectionXml({ guid: 'f2000000-0000-4000-8000-000000000100', start: 0, end: 7, codes: [{ code: codes.tariffs, user: users.anna }] })}</TextSource>`,
            }).replace('</Project>', `${sets}\n</Project>`),
            [`Sources/${source}.txt`]: 'Tariffs are high.',
          }),
        ),
      });
      const { code, stderr, json } = await importJson(workspace, ['p.qdpx']);
      expect(code, stderr).toBe(0);
      const codebook = parseYaml(await fs.readFile(path.join(workspace, json.codebook.file), 'utf8'));
      expect(codebook.sets).toEqual([
        {
          id: 'economy',
          label: 'Economy',
          description: 'Codes about money.',
          codes: ['trade.tariffs', 'trade.barriers.customs'],
          guid: 'f2000000-0000-4000-8000-0000000000a1',
        },
      ]);
      const check = await runCli(['codebook', 'check'], { cwd: workspace });
      expect(check.code, check.stdout + check.stderr).toBe(0);

      const project = await runCli(['export', '--format', 'qdpx', '-o', 'out.qdpx'], { cwd: workspace });
      const codebookFile = await runCli(['codebook', 'export', '--format', 'qdc', '-o', 'out.qdc'], {
        cwd: workspace,
      });
      expect(project.code, project.stderr).toBe(0);
      expect(codebookFile.code, codebookFile.stderr).toBe(0);
      const qde = Buffer.from(
        unzipSync(await fs.readFile(path.join(workspace, 'out.qdpx')))['project.qde']!,
      ).toString('utf8');
      const qdc = await fs.readFile(path.join(workspace, 'out.qdc'), 'utf8');
      for (const [xml, schema] of [
        [qde, 'Project.xsd'],
        [qdc, 'Codebook.xsd'],
      ] as const) {
        expect(xml).toContain('name="Economy"');
        const validation = await validateXML({
          xml: [{ fileName: 'file.xml', contents: xml }],
          schema: [{ fileName: schema, contents: await fs.readFile(path.join(shared, schema), 'utf8') }],
        });
        expect(
          validation.errors.map((error) => error.rawMessage),
          schema,
        ).toEqual([]);
      }
      // And back: the sets survive the round trip.
      const again = await temporaryWorkspace();
      await fs.copyFile(path.join(workspace, 'out.qdpx'), path.join(again, 'out.qdpx'));
      const back = await importJson(again, ['out.qdpx']);
      expect(back.code, back.stderr).toBe(0);
      const backCodebook = parseYaml(await fs.readFile(path.join(again, back.json.codebook.file), 'utf8'));
      expect(backCodebook.sets).toEqual(codebook.sets);
    },
    // Eight CLI runs: on a machine shared by several test runs it took over 60 s.
    180_000,
  );
});
