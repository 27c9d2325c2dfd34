import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import {
  codes,
  declareSize,
  escapeXml,
  interviewText,
  projectXml,
  qdpx,
  qualcoderProject,
  selectionXml,
  users,
} from '../fixtures/qdpx/projects.js';
import { fixtureStudy } from '../fixtures/study.js';
import {
  readText,
  repositoryRoot,
  runCli,
  snapshot,
  temporaryFolder,
  temporaryWorkspace,
  writeFiles,
} from '../helpers.js';

/** The REFI-QDA reference files are read from the team's shared folder, never copied into the repository. */
const shared = process.env['REFI_QDA_DIR'] ?? path.resolve(repositoryRoot, '..', 'shared', 'refi-qda');
const haveShared = existsSync(path.join(shared, 'Project.xsd'));
if (!haveShared)
  console.warn(
    `skipped: ${shared} is absent (a clone outside the team's checkout has no REFI-QDA reference files)`,
  );

async function validateProject(archive: Uint8Array): Promise<string[]> {
  const qde = Buffer.from(unzipSync(archive)['project.qde']!).toString('utf8');
  const result = await validateXML({
    xml: [{ fileName: 'project.qde', contents: qde }],
    schema: [
      { fileName: 'Project.xsd', contents: await fs.readFile(path.join(shared, 'Project.xsd'), 'utf8') },
    ],
  });
  return result.errors.map((error) => error.rawMessage);
}

async function workspaceWith(files: Record<string, Uint8Array | string>): Promise<string> {
  const workspace = await temporaryWorkspace();
  await writeFiles(
    workspace,
    Object.fromEntries(Object.entries(files).map(([name, content]) => [name, Buffer.from(content)])),
  );
  return workspace;
}

describe('coding import FILE.qdpx', () => {
  it('brings in two coders’ work on our units, with the mapping printed, and reliability runs on it', async () => {
    const workspace = await workspaceWith({ 'interview.qdpx': qualcoderProject() });
    const result = await runCli(['import', 'interview.qdpx'], { cwd: workspace });
    expect(result.stderr).toContain('interview.qdpx: project "Fixture project" written by QualCoder 3.6');
    expect(result.stderr).toContain('documents: 1 new, 0 unchanged; 1 in the corpus');
    expect(result.stderr).toContain(
      'codebook: codebooks/fixture-project.yaml (2 categories, 4 codes), written; coding.yaml now uses it',
    );
    expect(result.stderr).toContain(
      'Anna Müller → Anna-Muller: 2 codings in 1 document; 4 units reviewed, 2 coded',
    );
    expect(result.stderr).toContain('ben → ben: 3 codings in 1 document; 4 units reviewed, 2 coded');
    expect(result.code).toBe(0);
    // Anna: whole sentences; Ben: a few characters of sentence 1 (any overlap counts), sentence 4.
    // Units of a document a coder coded, and not covered, are "reviewed, no code".
    expect(await readText(workspace, 'annotations/Anna-Muller.csv')).toBe(
      'unit_id,code,memo\ninterview-1:1,trade.tariffs,\ninterview-1:2,,\ninterview-1:3,trade.barriers.customs,\ninterview-1:4,,\n',
    );
    expect(await readText(workspace, 'annotations/ben.csv')).toBe(
      'unit_id,code,memo\ninterview-1:1,trade.tariffs,\ninterview-1:1,tone.positive,\ninterview-1:2,,\ninterview-1:3,,\ninterview-1:4,tone.positive,\n',
    );
    const documents = (await readText(workspace, 'corpus/documents.jsonl'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(documents[0]).toMatchObject({
      id: 'interview-1',
      title: 'Interview 1',
      text: interviewText,
      origin: 'interview.qdpx#Interview 1',
    });
    expect(await readText(workspace, 'coding.yaml')).toContain(
      'codebook: codebooks/fixture-project.yaml   # the codebook (check it with: coding codebook check)',
    );
    const reliability = await runCli(['reliability', '--format', 'json'], { cwd: workspace });
    expect(reliability.code).toBe(0);
    const report = JSON.parse(reliability.stdout);
    expect(report.coders).toEqual(['Anna-Muller', 'ben']);
    expect(report.n_units).toBe(4);

    // Again: nothing changes.
    const before = await snapshot(workspace);
    const again = await runCli(['import', 'interview.qdpx'], { cwd: workspace });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('documents: 0 new, 1 unchanged');
    expect(again.stderr).toContain('annotations/ben.csv: 0 new, 4 unchanged, 0 replaced, 0 kept from before');
    expect(again.stderr).toContain(
      'codebook: codebooks/fixture-project.yaml (2 categories, 4 codes), unchanged',
    );
    expect(await snapshot(workspace)).toEqual(before);
  });

  it('applies --overlap majority and full, names coders with --user, and refuses changed codes without --replace', async () => {
    const workspace = await workspaceWith({ 'interview.qdpx': qualcoderProject() });
    const majority = await runCli(
      ['import', 'interview.qdpx', '--overlap', 'majority', '--user', 'AM=coder1', '--user', 'ben=coder2'],
      {
        cwd: workspace,
      },
    );
    expect(majority.code).toBe(0);
    expect(majority.stderr).toContain('Anna Müller → coder1');
    // Ben's 6 characters of a 27-character sentence are not a majority.
    expect(await readText(workspace, 'annotations/coder2.csv')).toBe(
      'unit_id,code,memo\ninterview-1:1,,\ninterview-1:2,,\ninterview-1:3,,\ninterview-1:4,tone.positive,\n',
    );
    const before = await snapshot(workspace);
    const refused = await runCli(
      ['import', 'interview.qdpx', '--user', 'AM=coder1', '--user', 'ben=coder2'],
      { cwd: workspace },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'nothing imported: 1 unit is coded differently from the stored annotations',
    );
    expect(refused.stderr).toContain(
      'unit interview-1:1 is coded (no code) in annotations/coder2.csv, and trade.tariffs tone.positive in the project',
    );
    expect(await snapshot(workspace)).toEqual(before);
    const unknownUser = await runCli(['import', 'interview.qdpx', '--user', 'carla=coder3'], {
      cwd: workspace,
    });
    expect(unknownUser.stderr).toContain(
      '--user names "carla", which is not a user with codings in the project',
    );
    expect(unknownUser.code).toBe(2);
    expect(unknownUser.stderr).toContain("the project's users: Anna Müller, ben");
  });

  it('maps CRLF text counted as two characters (NVivo, lower-case sources/), cases as attributes, and reports selections outside the text', async () => {
    const source = 'd097e6fd-7671-4d95-a8b6-7795fa4a72e1';
    // "First line.\r\nSecond line here.\r\n": "Second" starts at 13 with CRLF counted as two.
    const text = 'First line.\r\nSecond line here.\r\n';
    const variable = 'a1000000-0000-4000-8000-000000000001';
    const archive = qdpx({
      'project.qde': projectXml({
        origin: 'NVivo 14',
        variables: `<Variables><Variable guid="${variable}" name="Country" typeOfVariable="Text"/></Variables>`,
        cases: `<Cases><Case guid="c1000000-0000-4000-8000-000000000001" name="Mexico"><VariableValue><VariableRef targetGUID="${variable}"/><TextValue>MX</TextValue></VariableValue><SourceRef targetGUID="${source}"/></Case></Cases>`,
        sources:
          `<TextSource guid="${source}" name="Call notes" plainTextPath="internal://${source}.txt">` +
          selectionXml({
            guid: 'e0000000-0000-4000-8000-000000000001',
            start: 13,
            end: 30,
            user: users.anna,
            codes: [{ code: codes.tariffs }],
          }) +
          selectionXml({
            guid: 'e0000000-0000-4000-8000-000000000002',
            start: 40,
            end: 50,
            user: users.anna,
            codes: [{ code: codes.positive }],
          }) +
          '</TextSource>' +
          '<PictureSource guid="f0000000-0000-4000-8000-000000000001" name="photo.png" path="internal://photo.png"/>',
      }),
      [`sources/${source}.txt`]: text,
    });
    const workspace = await workspaceWith({ 'nvivo.qdpx': archive });
    const result = await runCli(['import', 'nvivo.qdpx', '--unit', 'line'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'nvivo.qdpx  Sources/TextSource[1]/PlainTextSelection[2]  warning: selection e0000000-0000-4000-8000-000000000002 runs from 40 to 50, outside the text of "Call notes" (0–32 code points); left out with its 1 coding',
    );
    expect(result.stderr).toContain('sources: 1 of 1 text source imported; skipped: 1 Picture');
    expect(await readText(workspace, 'annotations/Anna-Muller.csv')).toBe(
      'unit_id,code,memo\ncall-notes:1,,\ncall-notes:2,trade.tariffs,\n',
    );
    const document = JSON.parse(await readText(workspace, 'corpus/documents.jsonl'));
    expect(document.text).toBe('First line.\nSecond line here.\n');
    expect(document.attributes).toEqual({ Country: 'MX', case: 'Mexico' });
  });

  it('counts CRLF as one character for ATLAS.ti, reads relative:// sources under basePath, and takes UTF-16 offsets on request', async () => {
    const folder = await temporaryFolder();
    const text = 'Alpha one.\r\nBeta 🙂 two.\r\nGamma three.\r\n';
    // With CRLF as one: "Beta" at 11, "Gamma" at 23 in code points, at 24 in UTF-16 code units (🙂 is two).
    await writeFiles(folder, { 'texts/notes.txt': text });
    const archive = (start: number, end: number): Uint8Array =>
      qdpx({
        'project.qde': projectXml({
          origin: 'ATLAS.ti 23',
          basePath: folder,
          sources:
            '<TextSource guid="a7000000-0000-4000-8000-000000000001" name="notes" plainTextPath="relative://texts/notes.txt">' +
            selectionXml({
              guid: 'a7000000-0000-4000-8000-000000000101',
              start,
              end,
              codes: [{ code: codes.positive, user: users.ben }],
            }) +
            '</TextSource>',
        }),
      });
    const workspace = await workspaceWith({ 'atlas.qdpx': archive(23, 35), 'atlas16.qdpx': archive(24, 36) });
    const result = await runCli(['import', 'atlas.qdpx', '--unit', 'line'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('positions as code points, CRLF as one character');
    expect(await readText(workspace, 'annotations/ben.csv')).toBe(
      'unit_id,code,memo\nnotes:1,,\nnotes:2,,\nnotes:3,tone.positive,\n',
    );
    const utf16 = await runCli(
      ['import', 'atlas16.qdpx', '--unit', 'line', '--offsets', 'utf16', '--overlap', 'full', '--dry-run'],
      {
        cwd: workspace,
      },
    );
    expect(utf16.stderr).not.toContain('error');
    expect(utf16.code).toBe(0);
    expect(utf16.stderr).toContain('ben → ben: 1 coding in 1 document; 3 units reviewed, 1 coded');
    expect(utf16.stderr).toContain('dry run: nothing was written');
  });

  it('refuses to switch the codebook of a workspace that has annotations, unless --switch-codebook', async () => {
    const workspace = await fixtureStudy();
    await writeFiles(workspace, {
      'c1.csv': 'unit_id,code\ncall:1,trade.ntb\n',
      'interview.qdpx': Buffer.from(qualcoderProject()),
    });
    expect((await runCli(['import', '--coder', 'coder1', 'c1.csv'], { cwd: workspace })).code).toBe(0);
    const before = await snapshot(workspace);
    const refused = await runCli(['import', 'interview.qdpx'], { cwd: workspace });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "nothing imported: the project's codebook is not the workspace's (codebooks/codebook.yaml), and the workspace has annotations made with that one (coder1)",
    );
    expect(refused.stderr).toContain('pass --switch-codebook');
    expect(await snapshot(workspace)).toEqual(before);
    // With the flag, the stored annotations are checked against the new codebook first: trade.ntb is not in it.
    const checked = await runCli(['import', 'interview.qdpx', '--switch-codebook'], { cwd: workspace });
    expect(checked.code).toBe(2);
    expect(checked.stderr).toContain(
      "with the project's codebook, annotations/coder1.csv would no longer fit it",
    );
    expect(await snapshot(workspace)).toEqual(before);
  });

  it.skipIf(!haveShared)('reads the real NVivo for Mac 15 and qc 1.3.2 exports', async () => {
    const workspace = await temporaryWorkspace();
    const qc = await runCli(
      ['import', path.join(shared, 'qc-1.3.2-demo.qdpx'), '--unit', 'line', '--format', 'json'],
      {
        cwd: workspace,
      },
    );
    expect(qc.code).toBe(0);
    const result = JSON.parse(qc.stdout);
    expect(result.sources).toMatchObject({ text: 2, imported: 2 });
    expect(result.coders).toMatchObject([
      { user: 'cp', coder: 'cp', codings: 205, documents: 1, unitsCoded: 158 },
    ]);
    // qc writes plainTextPath="board_2017.txt" without internal://; read from sources/ with a warning.
    expect(
      result.warnings.filter((warning: { code: string }) => warning.code === 'QDPX_PATH_SCHEME'),
    ).toHaveLength(2);
    expect(result.codebook).toMatchObject({
      file: 'codebooks/qc-project.yaml',
      categories: 3,
      written: true,
      switched: true,
    });
    // Every qc selection is a whole line: with line units each lands on exactly one.
    const stored = (await readText(workspace, 'annotations/cp.csv')).trim().split('\n').slice(1);
    expect(
      new Set(stored.filter((line) => !line.endsWith(',,')).map((line) => line.split(',')[0])).size,
    ).toBe(158);

    const nvivo = await runCli(
      ['import', path.join(shared, 'nvivo-mac-15-sample.qdpx'), '--format', 'json'],
      { cwd: workspace },
    );
    expect(nvivo.code).toBe(0);
    const nvivoResult = JSON.parse(nvivo.stdout);
    // Its two plain texts hold one line end each: nothing to import, said so; the codebook is qc's own.
    expect(nvivoResult.project.origin).toBe('NVivo for Mac 15.0.0');
    expect(nvivoResult.sources).toMatchObject({ text: 2, imported: 0 });
    expect(nvivoResult.sources.empty).toHaveLength(2);
    expect(nvivoResult.codebook).toMatchObject({
      file: 'codebooks/qc-project.yaml',
      written: false,
      switched: false,
      codes: 259,
    });
    expect(nvivoResult.coders).toEqual([]);
  });
});

describe('coding export --format qdpx', () => {
  let study: string;
  let first: Buffer;

  beforeAll(async () => {
    study = await temporaryFolder();
    for (const part of ['coding.yaml', 'codebooks', 'corpus', 'annotations'])
      await fs.cp(path.join(repositoryRoot, part), path.join(study, part), { recursive: true });
    const result = await runCli(['export', '--format', 'qdpx', '-o', 'study.qdpx'], { cwd: study });
    expect(result.stderr).toBe(
      'wrote study.qdpx: 11 documents, 2 coders (coder1, coder2), 391 selections with 295 codings\n' +
        'selections: one per unit and coder (the study holds no imported selections); positions in code points, texts with LF line ends (code points and the texts’ own line ends (LF), where not asked otherwise)\n',
    );
    first = await fs.readFile(path.join(study, 'study.qdpx'));
  });

  it('is deterministic: the same study gives the same bytes, in any time zone, through a pipe too', async () => {
    const again = await runCli(['export', '--format', 'qdpx', '-o', 'again.qdpx'], {
      cwd: study,
      env: { TZ: 'Pacific/Kiritimati' },
    });
    expect(again.code).toBe(0);
    expect((await fs.readFile(path.join(study, 'again.qdpx'))).equals(first)).toBe(true);
    const names = Object.keys(unzipSync(first));
    expect(names).toEqual([...names].sort());
    expect(names.filter((name) => name.startsWith('Sources/'))).toHaveLength(11);
    const refused = await runCli(['export', '--format', 'qdpx', '-o', 'study.qdpx'], { cwd: study });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('study.qdpx exists already');
  });

  it.skipIf(!haveShared)(
    'validates against Project.xsd (and the check rejects a broken project)',
    async () => {
      expect(await validateProject(first)).toEqual([]);
      const files = unzipSync(first);
      files['project.qde'] = Buffer.from(
        Buffer.from(files['project.qde']!)
          .toString('utf8')
          .replace(/ startPosition="\d+"/, ''),
      );
      expect((await validateProject(zipSync(files))).join('\n')).toMatch(/startPosition.*required/);
    },
  );

  it('round trip: imported into a new workspace, it gives back the corpus, codebook and annotations', async () => {
    const workspace = await workspaceWith({ 'study.qdpx': first });
    const result = await runCli(['import', 'study.qdpx'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("reviewed: the units the coder's selections cover");
    for (const file of ['corpus/units.csv', 'annotations/coder1.csv', 'annotations/coder2.csv'])
      expect(await readText(workspace, file), file).toBe(await readText(study, file));
    const meta = JSON.parse(await readText(workspace, 'annotations/coder1.meta.json'));
    expect(meta).toMatchObject({ codebook: 'codebooks/usmca-2026.yaml', units_reviewed: 326, codings: 238 });
    expect(meta.codebook_hash).toBe(
      JSON.parse(await readText(study, 'annotations/coder1.meta.json')).codebook_hash,
    );
    const withoutOrigin = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => {
          const { origin: _origin, ...rest } = JSON.parse(line);
          return rest;
        });
    expect(withoutOrigin(await readText(workspace, 'corpus/documents.jsonl'))).toEqual(
      withoutOrigin(await readText(study, 'corpus/documents.jsonl')),
    );
    const reliability = await runCli(['reliability', '--format', 'json'], { cwd: workspace });
    const original = await runCli(['reliability', '--format', 'json'], { cwd: study });
    // The same figures (the bootstrap differs only by the seed of each workspace's coding.yaml).
    const figures = (stdout: string) => {
      const { overall, codes: perCode } = JSON.parse(stdout);
      return {
        kappa: overall.kappa,
        n: overall.n,
        codes: perCode.map((code: { kappa: number }) => code.kappa),
      };
    };
    expect(figures(reliability.stdout)).toEqual(figures(original.stdout));
    expect(figures(reliability.stdout).kappa).toBeCloseTo(0.87, 2);

    // And back into the study it came from: nothing changes.
    const before = await snapshot(study);
    const home = await runCli(['import', 'study.qdpx'], { cwd: study });
    expect(home.code).toBe(0);
    expect(home.stderr).toContain('documents: 0 new, 11 unchanged');
    expect(await snapshot(study)).toEqual(before);
  });
});

describe('bad projects: a clear message, exit 2, nothing written', () => {
  const good = qualcoderProject();
  const cases: Array<[string, () => Uint8Array, RegExp]> = [
    [
      'a file that is not a ZIP archive',
      () => Buffer.from('<?xml version="1.0"?>\n<Project name="not zipped"/>\n'),
      /this is not a ZIP archive \(no end-of-directory record\), so it cannot be a REFI-QDA project/,
    ],
    [
      'a ZIP archive without project.qde',
      () => qdpx({ 'notes.txt': 'hello' }),
      /this ZIP archive is not a REFI-QDA project: it holds no project\.qde/,
    ],
    [
      'a project.qde that is not XML',
      () => qdpx({ 'project.qde': '<?xml version="1.0"?>\n<Project name="x">\n<Users>\n</Project>' }),
      /bad\.qdpx:project\.qde:4:\d+: project\.qde is not well-formed XML/,
    ],
    [
      'a missing source file, and nothing else usable (no codebook)',
      () =>
        qdpx({
          'project.qde': projectXml({
            origin: 'QualCoder',
            codebook: '',
            sources:
              '<TextSource guid="a2b94468-80a5-412f-92d6-e900d97b55a6" name="Gone" plainTextPath="internal://gone.txt"/>',
          }),
        }),
      /the text of source "Gone" \(a2b94468-80a5-412f-92d6-e900d97b55a6\), internal:\/\/gone\.txt, is not in the archive \(expected Sources\/gone\.txt\)/,
    ],
    [
      'a ZIP bomb declaring a huge size',
      () => declareSize(good, 'project.qde', 0x7fffffff),
      /project\.qde: this entry declares 2048\.0 MiB uncompressed; entries over 256 MiB .* are refused, as a protection against ZIP bombs/,
    ],
    [
      'a ZIP bomb lying about its size',
      () =>
        declareSize(
          qdpx({ 'project.qde': `<Project name="x">${' '.repeat(3_000_000)}</Project>` }),
          'project.qde',
          1000,
        ),
      /this entry inflates to more than the 1000 bytes its central directory declares; stopped/,
    ],
    [
      'a path that climbs out of the folder',
      () => zipSync({ 'project.qde': Buffer.from('<Project/>'), 'Sources/../../evil.txt': Buffer.from('x') }),
      /the archive holds an entry whose path has a "\.\." segment that leaves the project folder: "Sources\/\.\.\/\.\.\/evil\.txt"/,
    ],
    [
      'an absolute path',
      () => zipSync({ 'project.qde': Buffer.from('<Project/>'), '/etc/evil.txt': Buffer.from('x') }),
      /the archive holds an entry whose path has an absolute path: "\/etc\/evil\.txt"/,
    ],
    [
      'a source path that climbs out of the archive',
      () =>
        qdpx({
          'project.qde': projectXml({
            origin: 'x',
            sources: `<TextSource guid="a2b94468-80a5-412f-92d6-e900d97b55a6" name="E" plainTextPath="${escapeXml('internal://../../etc/passwd')}"/>`,
          }),
        }),
      /names a file whose path has a "\.\." segment that leaves the project folder: "internal:\/\/\.\.\/\.\.\/etc\/passwd"/,
    ],
    [
      'a codebook instead of a project',
      () => qdpx({ 'project.qde': '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>' }),
      /holds <CodeBook> in namespace urn:QDA-XML:codebook:1\.0[\s\S]*hint: this is a codebook; import it with: coding codebook import FILE\.qdc/,
    ],
  ];
  let workspace: string;
  beforeAll(async () => {
    workspace = await temporaryWorkspace();
  });
  for (const [name, make, message] of cases) {
    it(`refuses ${name}`, async () => {
      await fs.writeFile(path.join(workspace, 'bad.qdpx'), make());
      const before = await snapshot(workspace);
      const result = await runCli(['import', 'bad.qdpx'], { cwd: workspace });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(await snapshot(workspace)).toEqual(before);
    });
  }

  it('refuses project flags on other imports', async () => {
    const result = await runCli(['import', 'docs', '--overlap', 'full'], { cwd: workspace });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--overlap goes with a .qdpx file');
  });
});
