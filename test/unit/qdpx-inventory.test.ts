/**
 * Nothing of a project is dropped silently (issue 20): every element of project.qde is read by the
 * import, accounted for in its summary (skipped PDF, picture, audio and video sources; members of
 * sets), or counted in `leftOut`. Checked on the four shared exports of real programs (from
 * ../shared/refi-qda or $REFI_QDA_DIR) and on elements no program we know writes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/io/qdpx.js';
import { repositoryRoot } from '../helpers.js';

const shared = process.env['REFI_QDA_DIR'] ?? path.resolve(repositoryRoot, '..', 'shared', 'refi-qda');
const haveShared = existsSync(path.join(shared, 'Project.xsd'));

/** The elements docs/refi-qda-projects.md says the import reads (text projects). */
const read = new Set([
  'Project',
  'Users',
  'User',
  'CodeBook',
  'Codes',
  'Code',
  'Description',
  'Variables',
  'Variable',
  'Cases',
  'Case',
  'SourceRef',
  'VariableValue',
  'VariableRef',
  'TextValue',
  'BooleanValue',
  'IntegerValue',
  'FloatValue',
  'DateValue',
  'DateTimeValue',
  'Sources',
  'TextSource',
  'PlainTextContent',
  'PlainTextSelection',
  'Coding',
  'CodeRef',
  'NoteRef',
  'Notes',
  'Note',
  'Sets',
  'Set',
  'MemberCode',
  'MemberSource',
  'MemberNote',
]);
/** Sources the summary counts as skipped: everything inside them goes with them. */
const skippedSources = new Set(['PDFSource', 'PictureSource', 'AudioSource', 'VideoSource']);

/** Element names of the document, outside skipped sources, with their count. */
function elementNames(text: string): Map<string, number> {
  const parser = new XMLParser({ ignoreAttributes: true, preserveOrder: true });
  const names = new Map<string, number>();
  const walk = (nodes: unknown[]): void => {
    for (const node of nodes as Array<Record<string, unknown>>) {
      for (const [key, value] of Object.entries(node)) {
        if (key.startsWith('#') || key.startsWith('?') || key === ':@') continue;
        const name = key.includes(':') ? key.slice(key.indexOf(':') + 1) : key;
        if (skippedSources.has(name)) continue;
        names.set(name, (names.get(name) ?? 0) + 1);
        if (Array.isArray(value)) walk(value);
      }
    }
  };
  walk(parser.parse(text) as unknown[]);
  return names;
}

function projectText(file: string): string {
  const files = unzipSync(readFileSync(file));
  const name = Object.keys(files).find((entry) => entry.toLowerCase() === 'project.qde')!;
  return Buffer.from(files[name]!)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

describe('every element of a project is read or counted', () => {
  const files = haveShared
    ? readdirSync(shared)
        .filter((name) => name.endsWith('.qdpx'))
        .sort()
    : [];
  it.skipIf(!haveShared)('in the four shared exports (NVivo for Windows and Mac, ATLAS.ti, qc)', () => {
    expect(files).toHaveLength(4);
    const found: Record<string, Record<string, number>> = {};
    for (const file of files) {
      const text = projectText(path.join(shared, file));
      const project = parseProject(text, file);
      const names = elementNames(text);
      const notRead = [...names.keys()].filter((name) => !read.has(name));
      // What is not read must be what leftOut names: graphs, links (with what they hold).
      const named: Record<string, string[]> = {
        graphs: ['Graphs', 'Graph', 'Vertex', 'Edge'],
        links: ['Links', 'Link'],
      };
      for (const name of notRead)
        expect(
          Object.entries(named).some(
            ([kind, elements]) => elements.includes(name) && project.leftOut[kind] !== undefined,
          ),
          `${file}: <${name}> is neither read nor in leftOut ${JSON.stringify(project.leftOut)}`,
        ).toBe(true);
      found[file] = project.leftOut;
    }
    // From the files (counted with a plain parse): ATLAS.ti holds one graph, one link and two notes
    // no text selection refers to (memos of the project, or of its PDF and picture sources).
    expect(found).toEqual({
      'atlasti-mac-8.4.0_standard-project_TestProject.qdpx': {
        graphs: 1,
        links: 1,
        'notes not attached to a text selection or coding': 2,
      },
      'nvivo-mac-15-sample.qdpx': {},
      'nvivo-win-12.6_oltas.qdpx': {},
      'qc-1.3.2-demo.qdpx': {},
    });
  });

  it('counts elements it does not know by their place, and descriptions it does not keep', () => {
    const text = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="Some program 2">
  <Description>What the project is about</Description>
  <Users><User guid="a1000000-0000-4000-8000-000000000001" name="Ana"><Avatar/></User></Users>
  <Sources>
    <TextSource guid="d0000000-0000-4000-8000-000000000001" name="t" plainTextPath="internal://t.txt">
      <Description>About the text</Description>
      <PlainTextSelection guid="c0000000-0000-4000-8000-000000000001" startPosition="0" endPosition="2"><Description/></PlainTextSelection>
      <NoteRef targetGUID="c0000000-0000-4000-8000-000000000300"/>
    </TextSource>
  </Sources>
  <Notes><Note guid="c0000000-0000-4000-8000-000000000300"><PlainTextContent>memo</PlainTextContent></Note></Notes>
  <Graphs><Graph guid="c0000000-0000-4000-8000-000000000400"/><Graph guid="c0000000-0000-4000-8000-000000000401"/></Graphs>
  <Extension><Anything/></Extension>
</Project>`;
    expect(parseProject(text, 'p.qde').leftOut).toEqual({
      'Project/Description': 1,
      'User/Avatar': 1,
      'TextSource/Description': 1,
      'TextSource/NoteRef': 1,
      // The note is referred to by the source itself, which the import does not keep.
      'notes not attached to a text selection or coding': 1,
      graphs: 2,
      'Project/Extension': 1,
    });
  });
});
