import fs from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { crc32, openZip, parseProject, type QdpxLimits, unsafeEntryName } from '../../src/io/qdpx.js';
import { declareSize, projectXml, qdpx } from '../fixtures/qdpx/projects.js';
import { temporaryFolder } from '../helpers.js';

const limits: QdpxLimits = { entryBytes: 1000, totalBytes: 1500, entries: 10 };

async function archiveFile(bytes: Uint8Array): Promise<string> {
  const file = path.join(await temporaryFolder('coding-qdpx-'), 'project.qdpx');
  await fs.writeFile(file, bytes);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('reading a .qdpx archive safely', () => {
  it('reads the entries it is asked for, by name regardless of case', async () => {
    const file = await archiveFile(qdpx({ 'project.qde': '<Project/>', 'sources/a.txt': 'text' }));
    const archive = await openZip(file, 'p.qdpx', limits);
    const entry = archive.byLowerName.get('sources/a.txt')!;
    expect(Buffer.from(await archive.read(entry)).toString()).toBe('text');
    expect(archive.entries.map((item) => item.name).sort()).toEqual(['project.qde', 'sources/a.txt']);
    await archive.close();
  });

  it('computes CRC-32 as ZIP does', () => {
    // The check value of CRC-32/ISO-HDLC (the catalogue of parametrised CRC algorithms, reveng.sourceforge.io).
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('refuses a file that is not a ZIP archive', async () => {
    const error = await failure(
      openZip(await archiveFile(Buffer.from('just some text, no archive')), 'p.qdpx', limits),
    );
    expect(error.message).toMatch(/this is not a ZIP archive \(no end-of-directory record\)/);
  });

  it('refuses entry names that leave the folder: "..", absolute paths, drive letters', async () => {
    expect(unsafeEntryName('../evil.txt')).toMatch(/\.\./);
    expect(unsafeEntryName('Sources/..\\..\\evil.txt')).toMatch(/\.\./);
    expect(unsafeEntryName('/etc/passwd')).toBe('an absolute path');
    expect(unsafeEntryName('C:/Windows/x')).toBe('a drive letter');
    expect(unsafeEntryName('Sources/a..b.txt')).toBeUndefined();
    const error = await failure(
      openZip(
        await archiveFile(
          zipSync({ 'project.qde': Buffer.from('<Project/>'), '../evil.txt': Buffer.from('x') }),
        ),
        'p.qdpx',
        limits,
      ),
    );
    expect(error.message).toBe(
      'the archive holds an entry whose path has a ".." segment that leaves the project folder: "../evil.txt"; nothing was imported',
    );
  });

  it('refuses an entry whose declared size is over the limit, before inflating it', async () => {
    const archive = qdpx({ 'project.qde': 'x'.repeat(2000) });
    const opened = await openZip(await archiveFile(archive), 'p.qdpx', limits);
    const error = await failure(opened.read(opened.entries[0]!));
    expect(error.message).toMatch(/this entry declares 2000 bytes uncompressed; entries over 1000 bytes/);
    await opened.close();
  });

  it('stops inflating as soon as an entry inflates to more than it declared (a ZIP bomb)', async () => {
    const lying = declareSize(qdpx({ 'project.qde': '0'.repeat(100_000) }), 'project.qde', 100);
    const opened = await openZip(await archiveFile(lying), 'p.qdpx', limits);
    const error = await failure(opened.read(opened.entries[0]!));
    expect(error.message).toMatch(
      /inflates to more than the 100 bytes its central directory declares; stopped/,
    );
    expect(error.location?.file).toBe('p.qdpx:project.qde');
    await opened.close();
  });

  it('counts the entries read together against the total limit', async () => {
    const opened = await openZip(
      await archiveFile(qdpx({ 'a.txt': 'a'.repeat(900), 'b.txt': 'b'.repeat(900) })),
      'p.qdpx',
      limits,
    );
    await opened.read(opened.byLowerName.get('a.txt')!);
    const error = await failure(opened.read(opened.byLowerName.get('b.txt')!));
    expect(error.message).toMatch(/declares 900 bytes uncompressed/);
    await opened.close();
  });

  it('detects a damaged entry by its checksum', async () => {
    const bytes = Buffer.from(zipSync({ 'a.txt': [Buffer.from('hello world'), { level: 0 }] }));
    bytes[bytes.indexOf('hello world')] = 0x48; // "Hello world"
    const opened = await openZip(await archiveFile(bytes), 'p.qdpx', limits);
    const error = await failure(opened.read(opened.entries[0]!));
    expect(error.message).toMatch(/damaged: its size or checksum differs/);
    await opened.close();
  });
});

describe('parsing project.qde', () => {
  it('says where XML is broken, with line and column', () => {
    const text =
      '<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x">\n  <Users>\n</Project>\n';
    let error: InputError | undefined;
    try {
      parseProject(text, 'p.qdpx:project.qde');
    } catch (caught) {
      error = caught as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toMatch(/^project\.qde is not well-formed XML: /);
    expect(error!.location).toMatchObject({ file: 'p.qdpx:project.qde', line: 4 });
    expect(error!.location?.column).toBeGreaterThan(0);
  });

  it('refuses a DOCTYPE, and a root that is not <Project> (pointing a codebook to its own command)', () => {
    expect(() => parseProject('<!DOCTYPE x [<!ENTITY a "b">]><Project/>', 'f')).toThrow(/declares a DOCTYPE/);
    expect(() => parseProject('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', 'f')).toThrow(
      /this is not a REFI-QDA project: project\.qde should hold <Project> in namespace urn:QDA-XML:project:1\.0, and holds <CodeBook> in namespace urn:QDA-XML:codebook:1\.0/,
    );
  });

  it('reads users, variables, cases, sources, selections and codings, GUIDs normalised', () => {
    const project = parseProject(
      projectXml({
        origin: 'MAXQDA 2022',
        users: '<Users><User guid="{5C94BC9E-DB8C-4F1D-9CD6-E900C7440860}" name="Anna"/></Users>',
        variables:
          '<Variables><Variable guid="11111111-1111-4111-8111-111111111111" name="Actor" typeOfVariable="Text"/></Variables>',
        cases:
          '<Cases><Case guid="22222222-2222-4222-8222-222222222222" name="Mexico"><SourceRef targetGUID="33333333-3333-4333-8333-333333333333"/></Case></Cases>',
        sources:
          '<TextSource guid="33333333-3333-4333-8333-333333333333" name="T"><PlainTextContent>Hello&#13;&#10;world</PlainTextContent>' +
          '<PlainTextSelection guid="44444444-4444-4444-8444-444444444444" startPosition="0" endPosition="5"><Coding guid="55555555-5555-4555-8555-555555555555" creatingUser="{5C94BC9E-DB8C-4F1D-9CD6-E900C7440860}"><CodeRef targetGUID="0f2b7e1c-0000-4000-8000-000000000002"/></Coding></PlainTextSelection>' +
          '<VariableValue><VariableRef targetGUID="11111111-1111-4111-8111-111111111111"/><TextValue>AMLO</TextValue></VariableValue></TextSource>' +
          '<PDFSource guid="66666666-6666-4666-8666-666666666666" name="scan.pdf"/>',
      }),
      'f',
    );
    expect(project.origin).toBe('MAXQDA 2022');
    expect(project.users).toEqual([
      { guid: '5c94bc9e-db8c-4f1d-9cd6-e900c7440860', name: 'Anna', id: undefined },
    ]);
    expect(project.cases[0]!.sourceGuids).toEqual(['33333333-3333-4333-8333-333333333333']);
    const source = project.textSources[0]!;
    expect(source.plainTextContent).toBe('Hello\r\nworld');
    expect(source.selections[0]).toMatchObject({
      start: 0,
      end: 5,
      codings: [{ creatingUser: '5c94bc9e-db8c-4f1d-9cd6-e900c7440860' }],
    });
    expect(source.values).toEqual([{ variableGuid: '11111111-1111-4111-8111-111111111111', value: 'AMLO' }]);
    expect(project.otherSources).toEqual([
      { kind: 'PDFSource', guid: '66666666-6666-4666-8666-666666666666', name: 'scan.pdf' },
    ]);
    expect(project.codebookQdc).toMatch(
      /^<\?xml version="1\.0" encoding="utf-8"\?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1\.0">/,
    );
  });
});
