import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readText, runCli, snapshot, temporaryWorkspace, writeFiles } from '../helpers.js';

let workspace: string;

beforeEach(async () => {
  workspace = await temporaryWorkspace();
});

const texts = {
  'texts/presser.md':
    '---\nid: presser\ntitle: Press conference\nactor: Claudia Sheinbaum\nsource: Presidencia\ngenre: press conference\ndate: 2026-01-27\nrole: primary\n---\nThere is nothing concrete yet. It is coming along very well.\n\nWe reject foreign interference. The U.S. Trade Representative agreed.\n',
  'texts/notes/post.txt': 'A wonderful and highly intelligent leader! Great talks on trade.\n',
  'texts/ignored.rtf': '{\\rtf1 not imported}',
};

const statements =
  'id,text,actor,date,role,platform\n' +
  's1,"Tariffs remain on the table, he said.",Donald Trump,2026-01-29,primary,Truth Social\n' +
  's2,Sovereignty is not negotiable.,Claudia Sheinbaum,2026-01-27,primary,press\n' +
  's3,"A multi-line\nstatement, quoted.",Reuters,2026-01-30,secondary,wire\n';

describe('coding import', () => {
  it('imports a folder of text files and a CSV of statements, then re-imports them with no change', async () => {
    await writeFiles(workspace, { ...texts, 'statements.csv': statements });
    const first = await runCli(['import', 'texts', 'statements.csv', '--genre', 'news article'], {
      cwd: workspace,
    });
    expect(first.stderr).toContain('documents: 5 new, 0 unchanged; 5 in the corpus');
    expect(first.stderr).toContain('units: 9 new, 0 unchanged; 9 in the corpus');
    expect(first.code).toBe(0);

    const units = await readText(workspace, 'corpus/units.csv');
    expect(units.split('\n').slice(0, 3)).toEqual([
      'unit_id,doc_id,ordinal,start,end,hash',
      expect.stringMatching(/^post:1,post,1,0,42,[0-9a-f]{16}$/),
      expect.stringMatching(/^post:2,post,2,43,/),
    ]);
    const before = await snapshot(workspace);

    const second = await runCli(['import', 'texts', 'statements.csv', '--genre', 'news article'], {
      cwd: workspace,
    });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('documents: 0 new, 5 unchanged; 5 in the corpus');
    expect(second.stderr).toContain('units: 0 new, 9 unchanged; 9 in the corpus');
    expect(second.stderr).toContain('nothing to write');
    expect(await snapshot(workspace)).toEqual(before);

    const list = await runCli(['corpus', 'list', '--format', 'json'], { cwd: workspace });
    const documents = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(documents.map((document) => document['id'])).toEqual(['post', 'presser', 's1', 's2', 's3']);
    const presser = documents.find((document) => document['id'] === 'presser')!;
    // The front matter wins over --genre; --genre fills in where a document says nothing.
    expect(presser).toMatchObject({
      actor: 'Claudia Sheinbaum',
      genre: 'press conference',
      date: '2026-01-27',
      role: 'primary',
      units: 4,
    });
    expect(documents.find((document) => document['id'] === 'post')).toMatchObject({
      genre: 'news article',
      units: 2,
    });
    expect(documents.find((document) => document['id'] === 's1')).toMatchObject({
      actor: 'Donald Trump',
      units: 1,
      attributes: { platform: 'Truth Social' },
    });
  });

  it('lists units as CSV with their text and shows one document', async () => {
    await writeFiles(workspace, texts);
    await runCli(['import', 'texts'], { cwd: workspace });
    const units = await runCli(['corpus', 'units', '--doc', 'presser', '--format', 'csv'], {
      cwd: workspace,
    });
    expect(units.code).toBe(0);
    expect(units.stdout.trim().split('\n')).toEqual([
      'unit_id,doc_id,ordinal,start,end,hash,page,text',
      expect.stringMatching(/^presser:1,presser,1,0,30,[0-9a-f]{16},,There is nothing concrete yet\.$/),
      expect.stringMatching(/^presser:2,presser,2,31,/),
      expect.stringMatching(/^presser:3,presser,3,62,93,[0-9a-f]{16},,We reject foreign interference\.$/),
      expect.stringMatching(/^presser:4,.*,The U\.S\. Trade Representative agreed\.$/),
    ]);
    const show = await runCli(['corpus', 'show', 'presser'], { cwd: workspace });
    expect(show.stdout).toContain('[4] The U.S. Trade Representative agreed.  presser:4');
    const unknown = await runCli(['corpus', 'show', 'preser'], { cwd: workspace });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no document "preser" in the corpus (did you mean "presser"?)');
  });

  it('accepts a UTF-8 BOM and CRLF line ends silently, with the same units as LF', async () => {
    await writeFiles(workspace, {
      'crlf.txt': Buffer.from('\uFEFFFirst line. Second one.\r\n\r\nThird.\r\n', 'utf8'),
      'lf.txt': 'First line. Second one.\n\nThird.\n',
    });
    const result = await runCli(['import', 'crlf.txt', 'lf.txt'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/warning|error/);
    const units = (await readText(workspace, 'corpus/units.csv')).trim().split('\n').slice(1);
    const crlf = units
      .filter((line) => line.startsWith('crlf:'))
      .map((line) => line.split(',').slice(2).join(','));
    const lf = units
      .filter((line) => line.startsWith('lf:'))
      .map((line) => line.split(',').slice(2).join(','));
    expect(crlf).toEqual(lf);
    expect(crlf).toHaveLength(3);
  });

  it('imports JSONL statements and honours --text-column and --id-column', async () => {
    await writeFiles(workspace, {
      'posts.jsonl':
        '{"post_id": "p-1", "body": "Great call with Mexico!", "likes": 10}\n{"post_id": "p-2", "body": "Trade is going well.", "likes": null}\n',
    });
    const result = await runCli(
      ['import', 'posts.jsonl', '--text-column', 'body', '--id-column', 'post_id', '--genre', 'social post'],
      { cwd: workspace },
    );
    expect(result.code).toBe(0);
    const list = JSON.parse(
      (await runCli(['corpus', 'list', '--format', 'json'], { cwd: workspace })).stdout,
    ) as Array<Record<string, unknown>>;
    expect(
      list.map((document) => [
        document['id'],
        document['genre'],
        (document['attributes'] as Record<string, string>)['likes'] ?? '',
      ]),
    ).toEqual([
      ['p-1', 'social post', '10'],
      ['p-2', 'social post', ''],
    ]);
  });

  it("reports a changed text with the units affected, and re-segments it only with --update, keeping unchanged units' ids", async () => {
    await writeFiles(workspace, { 'a.txt': 'One. Two. Three.\n' });
    await runCli(['import', 'a.txt'], { cwd: workspace });
    await writeFiles(workspace, { 'a.txt': 'One. Two and a half. Three.\n' });
    const before = await snapshot(workspace);
    const refused = await runCli(['import', 'a.txt'], { cwd: workspace });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'the text of document "a" differs from the corpus: 2 units unchanged, 1 new, 1 no longer in the text (a:2)',
    );
    expect(refused.stderr).toContain('--update');
    expect(await snapshot(workspace)).toEqual(before);

    const updated = await runCli(['import', 'a.txt', '--update'], { cwd: workspace });
    expect(updated.code).toBe(0);
    const units = (await readText(workspace, 'corpus/units.csv'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').slice(0, 3).join(','));
    expect(units).toEqual(['a:1,a,1', 'a:4,a,2', 'a:3,a,3']);
  });

  it('refuses an update that would drop a unit that annotations refer to', async () => {
    await writeFiles(workspace, { 'a.txt': 'One. Two. Three.\n' });
    await runCli(['import', 'a.txt'], { cwd: workspace });
    await writeFiles(workspace, {
      'annotations/coder1.csv': 'unit_id,code,memo\na:2,topic.example,\n',
      'a.txt': 'One. Three.\n',
    });
    const before = await snapshot(workspace);
    const result = await runCli(['import', 'a.txt', '--update'], { cwd: workspace });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'annotations/coder1.csv:2  unit a:2 would disappear from the corpus, but this file refers to it',
    );
    expect(await snapshot(workspace)).toEqual(before);
  });
});

describe('coding import: bad input gets a clear message, exit code 2, and nothing written', () => {
  const cases: Array<{
    name: string;
    files: Record<string, string | Buffer>;
    args: string[];
    message: RegExp;
  }> = [
    {
      name: 'a path that does not exist',
      files: {},
      args: ['nowhere.txt'],
      message: /nowhere\.txt: no such file or folder/,
    },
    {
      name: 'a folder with no supported files',
      files: { 'docs/a.rtf': 'x', 'docs/b.odt': 'y' },
      args: ['docs'],
      message: /docs: the folder holds no files that can be imported[\s\S]*supported files end in \.txt/,
    },
    {
      name: 'an unsupported file type',
      files: { 'a.rtf': 'x' },
      args: ['a.rtf'],
      message: /a\.rtf: cannot import files of type \.rtf/,
    },
    {
      name: 'a binary file',
      files: { 'image.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02, 0x00, 0xff]) },
      args: ['image.txt'],
      message: /image\.txt: this is a binary file/,
    },
    {
      name: 'a Windows-1252 file, naming the encoding to convert from and the line',
      files: {
        'latin.txt': Buffer.concat([
          Buffer.from('First line\nSecond: '),
          Buffer.from([0x93, 0x71, 0x94]),
          Buffer.from('\n'),
        ]),
      },
      args: ['latin.txt'],
      message:
        /latin\.txt:2: the file is not UTF-8 text \(it looks like WINDOWS-1252\)[\s\S]*iconv -f WINDOWS-1252 -t UTF-8/,
    },
    {
      name: 'a UTF-16 file',
      files: { 'wide.txt': Buffer.from('\uFEFFHello there.', 'utf16le') },
      args: ['wide.txt'],
      message: /wide\.txt:1: the file is not UTF-8 text \(it looks like UTF-16LE\)/,
    },
    {
      name: 'a CSV with an unclosed quote',
      files: { 's.csv': 'id,text\na,"fine"\nb,"never closed\nc,more\n' },
      args: ['s.csv'],
      message: /s\.csv:3: a quoted field opened here is never closed/,
    },
    {
      name: 'a CSV without the text column, naming the columns it has',
      files: { 's.csv': 'id,body,actor\na,hello,b\n' },
      args: ['s.csv'],
      message: /s\.csv:1: no text column "text"; the columns are "id", "body", "actor"[\s\S]*--text-column/,
    },
    {
      name: 'a misspelt --text-column',
      files: { 's.csv': 'id,statement\na,hello\n' },
      args: ['s.csv', '--text-column', 'statment'],
      message: /no text column "statment" \(did you mean "statement"\?\)/,
    },
    {
      name: 'a duplicate document id with different text',
      files: { 'a/x.txt': 'One text.', 'b/x.txt': 'Another text.' },
      args: ['a', 'b'],
      message: /b\/x\.txt {2}document id "x" is also used by a\/x\.txt, with different text/,
    },
    {
      name: 'an empty document',
      files: { 'empty.md': '---\ntitle: Empty\n---\n\n   \n' },
      args: ['empty.md'],
      message: /empty\.md {2}text {2}the document has no text/,
    },
    {
      name: 'an empty row in a CSV',
      files: { 's.csv': 'id,text\na,hello\nb,\n' },
      args: ['s.csv'],
      message: /s\.csv:3 {2}text {2}the document has no text/,
    },
    {
      name: "malformed front matter, with the YAML error's line",
      files: { 'bad.md': '---\ntitle: fine\nactor: [unclosed\ndate: 2026-01-01\n---\nBody.\n' },
      args: ['bad.md'],
      message: /bad\.md:[345]:\d+ {2}front matter: /,
    },
    {
      name: 'front matter that is never closed',
      files: { 'open.md': '---\ntitle: x\nBody.\n' },
      args: ['open.md'],
      message: /open\.md:1: the front matter opened by "---" on line 1 is never closed/,
    },
    {
      name: 'a date that is not a date',
      files: { 'd.md': '---\ndate: 2026-02-30\n---\nText.\n' },
      args: ['d.md'],
      message: /d\.md {2}date {2}date "2026-02-30" is not an ISO 8601 date/,
    },
    {
      name: 'a date flag that is not a date',
      files: { 'd.txt': 'Text.' },
      args: ['d.txt', '--date', '29/01/2026'],
      message: /date "29\/01\/2026" is not an ISO 8601 date/,
    },
    {
      name: 'a bad role in a CSV column',
      files: { 's.csv': 'id,text,role\na,hello,main\n' },
      args: ['s.csv'],
      message: /s\.csv:2 {2}role {2}role "main" must be "primary" or "secondary"/,
    },
    {
      name: 'an unknown --unit',
      files: { 'a.txt': 'Text.' },
      args: ['a.txt', '--unit', 'word'],
      message:
        /option '--unit <kind>' argument 'word' is invalid\. Allowed choices are document, paragraph, sentence, line/,
    },
    {
      name: 'an id that is not a slug',
      files: { 's.csv': 'id,text\nhas space,hello\n' },
      args: ['s.csv'],
      message: /s\.csv:2 {2}id {2}document id "has space" is not a valid id/,
    },
    {
      name: 'malformed JSONL',
      files: { 'p.jsonl': '{"text": "ok"}\n{"text": broken}\n' },
      args: ['p.jsonl'],
      message: /p\.jsonl:2: this line is not valid JSON/,
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      await writeFiles(workspace, testCase.files);
      const before = await snapshot(workspace);
      const result = await runCli(['import', ...testCase.args], { cwd: workspace });
      expect(result.stderr).toMatch(testCase.message);
      expect(result.code).toBe(2);
      expect(await snapshot(workspace)).toEqual(before);
    });
  }

  it('keeps the corpus as it was when a later file of the same import is bad', async () => {
    await writeFiles(workspace, { 'good.txt': 'Fine text.' });
    await runCli(['import', 'good.txt'], { cwd: workspace });
    await writeFiles(workspace, {
      'more/a.txt': 'Another fine text.',
      'more/b.md': '---\ndate: yesterday\n---\nText.\n',
    });
    const before = await snapshot(workspace);
    const result = await runCli(['import', 'more'], { cwd: workspace });
    expect(result.code).toBe(2);
    expect(await snapshot(workspace)).toEqual(before);
    expect(await fs.readdir(path.join(workspace, 'corpus'))).toEqual([
      'corpus.json',
      'documents.jsonl',
      'units.csv',
    ]);
  });

  it('says where to run it when there is no workspace', async () => {
    const result = await runCli(['import', 'x.txt'], { cwd: path.dirname(workspace) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no coding.yaml in this folder or any folder above it');
    expect(result.stderr).toContain('coding init');
  });
});

describe('coding init', () => {
  it('creates the workspace folders and a commented coding.yaml, and refuses to overwrite one', async () => {
    const files = await fs.readdir(workspace);
    expect(files.sort()).toEqual(['annotations', 'codebooks', 'coding.yaml', 'corpus', 'reports']);
    expect(await readText(workspace, 'coding.yaml')).toMatch(/^# Settings of a content-analysis study/);
    const before = await snapshot(workspace);
    const again = await runCli(['init', '.'], { cwd: workspace });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('coding.yaml exists already; nothing was changed');
    expect(await snapshot(workspace)).toEqual(before);
  });
});
