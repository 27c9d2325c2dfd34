/**
 * PDF, Word and web pages in two languages, through the built CLI: each fixture (made by
 * LibreOffice, Chromium, the docx package or by hand; see test/fixtures/sources/make.sh) is imported
 * and checked unit by unit, with its pages and metadata; bad input is refused with exit 2 and the
 * workspace unchanged.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot, runCli, snapshot, temporaryWorkspace, writeFiles } from '../helpers.js';

const fixtures = path.join(repositoryRoot, 'test', 'fixtures', 'sources');

interface UnitJson {
  unit_id: string;
  page?: number;
  text: string;
}

interface DocumentJson {
  id: string;
  title?: string;
  source?: string;
  date?: string;
  language?: string;
  url?: string;
  attributes: Record<string, string>;
  pages?: number[];
  text: string;
}

/** A workspace whose coding.yaml says `language: auto`, with the given fixtures copied in. */
async function workspaceWith(files: string[], folder = 'sources'): Promise<string> {
  const workspace = await temporaryWorkspace();
  const config = await fs.readFile(path.join(workspace, 'coding.yaml'), 'utf8');
  await fs.writeFile(
    path.join(workspace, 'coding.yaml'),
    config.replace(/^ {2}language: en\b/m, '  language: auto'),
  );
  for (const file of files) {
    await fs.mkdir(path.join(workspace, folder), { recursive: true });
    await fs.copyFile(path.join(fixtures, file), path.join(workspace, folder, path.basename(file)));
  }
  return workspace;
}

async function units(workspace: string, doc: string): Promise<UnitJson[]> {
  const result = await runCli(['corpus', 'units', '--doc', doc, '--format', 'json'], { cwd: workspace });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as UnitJson[];
}

async function documents(workspace: string): Promise<DocumentJson[]> {
  const text = await fs.readFile(path.join(workspace, 'corpus', 'documents.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as DocumentJson);
}

/** The Spanish press conference, as a person would cut it: one sentence a unit, with its page. */
const conferencia: Array<[number, string]> = [
  [1, 'Conferencia de prensa matutina, 27 de enero de 2026'],
  [1, 'PRESIDENTA CLAUDIA SHEINBAUM PARDO: Buenos días a todas y a todos.'],
  [1, 'Hoy vamos a informar sobre la revisión del T-MEC con EE. UU. y Canadá.'],
  [
    1,
    'El secretario de Economía, el Mtro. Marcelo Ebrard, se reunió en Washington con el representante comercial de los Estados Unidos.',
  ],
  [1, 'Hablaron de las barreras no arancelarias y del calendario de la revisión.'],
  [1, '¿Hay algo concreto?'],
  [1, 'Todavía nada concreto, pero va muy bien.'],
  [1, 'Vamos a cuidar los empleos de México y la soberanía nacional.'],
  [2, 'PREGUNTA: Buenos días, presidenta.'],
  [2, '¿Qué respondió la Sra. presidenta sobre la seguridad?'],
  [2, 'PRESIDENTA CLAUDIA SHEINBAUM PARDO: Colaboración sí, subordinación no.'],
  // "inter-" ends a line in the PDF (a soft hyphen LibreOffice broke at): joined again.
  [2, 'No aceptamos la intervención extranjera en la seguridad de México.'],
  [
    2,
    'La reunión con el Lic. Ramírez fue a las 9 a. m. en Palacio Nacional, conforme al art. 89 de la Constitución.',
  ],
];

describe('coding import: PDF', () => {
  it('reads a LibreOffice PDF in Spanish: units, pages, running header and page numbers removed', async () => {
    const workspace = await workspaceWith(['conferencia-2026-01-27.pdf']);
    const result = await runCli(['import', 'sources'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'sources/conferencia-2026-01-27.pdf: PDF, 2 pages, 4 running header/footer lines removed, language es-MX',
    );
    const found = await units(workspace, 'conferencia-2026-01-27');
    expect(found.map((unit) => [unit.page, unit.text])).toEqual(conferencia);
    const [document] = await documents(workspace);
    expect(document!.text).not.toContain('Versión estenográfica');
    expect(document!.text).not.toMatch(/Página \d/);
    expect(document).toMatchObject({
      title: 'Versión estenográfica de la conferencia de prensa matutina del 27 de enero de 2026',
      language: 'es-MX',
      attributes: { author: 'Coordinación de Comunicación Social' },
    });
    expect(document!.attributes['language_detected']).toBeUndefined();
    expect(document!.pages).toHaveLength(2);
  });

  it('reads a Chromium PDF in English: ligatures of the header, page numbers "Page 1 of 2", pages kept', async () => {
    const workspace = await workspaceWith(['white-house-2026-01-29.pdf']);
    const result = await runCli(['import', 'sources', '--format', 'json'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).sources).toEqual([
      {
        file: 'sources/white-house-2026-01-29.pdf',
        id: 'white-house-2026-01-29',
        format: 'pdf',
        pages: 2,
        repeated_lines_removed: 4,
        language: 'en-US',
        language_detected: false,
      },
    ]);
    expect((await units(workspace, 'white-house-2026-01-29')).map((unit) => [unit.page, unit.text])).toEqual([
      [1, "Readout of President Trump's Call with President Sheinbaum of Mexico"],
      [
        1,
        'On January 29, 2026, President Donald J. Trump spoke with President Claudia Sheinbaum of Mexico about trade and security.',
      ],
      [
        1,
        'The two leaders discussed the joint review of the United States-Mexico-Canada Agreement and the elimination of non-tariff barriers that harm American workers and farmers in agricultural trade.',
      ],
      [
        1,
        'President Trump stressed the need for Mexico to take decisive action against the cartels and the flow of fentanyl across the border.',
      ],
      [2, 'The leaders agreed that their trade teams will continue to meet before the review is concluded.'],
      [2, 'Mr. Trump called the conversation very productive.'],
      [2, 'The U.S. Trade Representative will report to the President on the progress of the talks.'],
    ]);
    const table = await runCli(['corpus', 'units'], { cwd: workspace });
    expect(table.stdout).toMatch(/white-house-2026-01-29:5\s+2\s+The leaders agreed/);
  });
});

describe('coding import: Word', () => {
  it('reads a LibreOffice .docx into the same units as its PDF, with the document properties', async () => {
    const workspace = await workspaceWith(['conferencia-2026-01-27.docx']);
    const result = await runCli(['import', 'sources'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('sources/conferencia-2026-01-27.docx: Word document, language es-MX');
    const found = await units(workspace, 'conferencia-2026-01-27');
    expect(found.map((unit) => unit.text)).toEqual(conferencia.map(([, text]) => text));
    expect(found.every((unit) => unit.page === undefined)).toBe(true);
    const [document] = await documents(workspace);
    expect(document).toMatchObject({
      title: 'Versión estenográfica de la conferencia de prensa matutina del 27 de enero de 2026',
      language: 'es-MX',
      attributes: { author: 'Coordinación de Comunicación Social', created: '2026-01-27T14:30:00Z' },
    });
  });

  it('reads a .docx of the docx package without deleted text or comments, and detects its language', async () => {
    const workspace = await workspaceWith(['ustr-2026-01-28.docx']);
    const result = await runCli(['import', 'sources'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('sources/ustr-2026-01-28.docx: Word document, language en (detected)');
    expect((await units(workspace, 'ustr-2026-01-28')).map((unit) => unit.text)).toEqual([
      'Statement by Ambassador Greer on the USMCA Joint Review',
      'WASHINGTON – Ambassador Jamieson Greer met Mexico’s Secretary of Economy in Washington on January 27, 2026.',
      'The meeting focused on the joint review of the USMCA.',
      // "some " is a tracked deletion, "all " a tracked insertion: the text reads with the changes accepted.
      'The United States expects Mexico to remove all non-tariff barriers that discriminate against U.S. products.',
      'Mr. Greer noted shortcomings of the agreement regarding non-market economies.',
      'The review will continue ahead of the July 1 deadline.',
    ]);
    const [document] = await documents(workspace);
    expect(document!.text).not.toContain('Check the date');
    expect(document).toMatchObject({
      title: 'Statement by Ambassador Greer on the USMCA Joint Review',
      language: 'en',
      attributes: {
        author: 'Office of the United States Trade Representative',
        language_detected: 'true',
      },
    });
  });
});

describe('coding import: web pages', () => {
  it('reads the main text of a saved news page, without menus, footer, ads, byline or scripts, with its metadata', async () => {
    const workspace = await workspaceWith(['ap-2026-01-30.html']);
    const result = await runCli(['import', 'sources'], { cwd: workspace });
    expect(result.code).toBe(0);
    expect((await units(workspace, 'ap-2026-01-30')).map((unit) => unit.text)).toEqual([
      'MEXICO CITY (Example News) — U.S. President Donald Trump and Mexican President Claudia Sheinbaum spoke by phone on Thursday about the review of their trade agreement and about security, both governments said.',
      'Trump called Sheinbaum a “wonderful and highly intelligent leader” in a social media post after the call.',
      'Sheinbaum said there was nothing concrete yet, but that the talks were going very well.',
      'Washington has pressed Mexico to remove what it calls non-tariff barriers, including duplicative certification of auto parts and sanitary rules for farm goods.',
      'The joint review of the United States-Mexico-Canada Agreement must be concluded by July 1.',
      'Analysts in Mexico City expect a limited update rather than a new treaty.',
      'Sheinbaum has repeatedly rejected any U.S. military action against drug cartels on Mexican soil.',
      '“Cooperation, yes; subordination, no,” she told reporters on Friday.',
    ]);
    const [document] = await documents(workspace);
    for (const outside of [
      'track(',
      'do not import this script text',
      'dataLayer',
      'Subscribe',
      'Privacy',
      'Related stories',
      'Advertisement',
      'enable JavaScript',
    ])
      expect(document!.text).not.toContain(outside);
    expect(document).toMatchObject({
      title: 'Trump and Sheinbaum discuss trade review and security in call',
      source: 'Example News',
      date: '2026-01-30',
      language: 'en-US',
      url: 'https://news.example.org/world/2026/01/30/trump-sheinbaum-call-usmca',
      attributes: { author: 'Maria Lopez; John Carter' },
    });
  });
});

describe('coding import: bad PDF, Word and web pages', () => {
  let workspace: string;
  beforeAll(async () => {
    workspace = await workspaceWith(['sheinbaum-2026-01-30.md'], 'ok');
    expect((await runCli(['import', 'ok'], { cwd: workspace })).code).toBe(0);
    const bomb = zipSync(
      {
        '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
        'word/document.xml': new Uint8Array(80 * 1024 * 1024).fill(0x20),
      },
      { level: 9 },
    );
    // A bomb that lies: its headers declare 1,000 bytes for an entry that inflates to 8 MiB.
    const liar = Buffer.from(
      zipSync({ 'word/document.xml': new Uint8Array(8 * 1024 * 1024).fill(0x20) }, { level: 9 }),
    );
    const directory = liar.readUInt32LE(liar.length - 22 + 16);
    liar.writeUInt32LE(1000, 22);
    liar.writeUInt32LE(1000, directory + 24);
    await writeFiles(workspace, { 'bad/bomb.docx': Buffer.from(bomb), 'bad/lying-bomb.docx': liar });
    for (const name of ['not-a-pdf.pdf', 'truncated.pdf', 'encrypted.pdf', 'scan.pdf', 'renamed-odt.docx'])
      await fs.copyFile(path.join(fixtures, 'bad', name), path.join(workspace, 'bad', name));
    await fs.copyFile(
      path.join(fixtures, 'no-main-text.html'),
      path.join(workspace, 'bad', 'no-main-text.html'),
    );
  });

  it.each([
    ['not-a-pdf.pdf', 'this is not a PDF (it does not start with "%PDF-")'],
    ['truncated.pdf', 'the PDF is truncated: it does not end with "%%EOF"'],
    ['encrypted.pdf', 'the PDF is encrypted with a password; refused'],
    ['scan.pdf', 'the PDF has no text layer (1 page of images): it looks like a scan'],
    [
      'renamed-odt.docx',
      'this ZIP archive is not a Word document: it has no word/document.xml (it looks like an OpenDocument file, .odt)',
    ],
    ['bomb.docx', 'entries over 64 MiB (and 256 MiB in all) are refused, as a protection against ZIP bombs'],
    [
      'lying-bomb.docx',
      'this entry inflates to more than the 1000 bytes its central directory declares; stopped, as a protection against ZIP bombs',
    ],
    ['no-main-text.html', 'the page has no main text: nothing but menus, links or scripts was found'],
  ])('refuses %s with exit 2 and changes nothing', async (name, message) => {
    const before = await snapshot(workspace);
    const result = await runCli(['import', `bad/${name}`, 'ok'], { cwd: workspace });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`bad/${name}`);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/hint: /);
    expect(await snapshot(workspace)).toEqual(before);
  });

  it('says what to do with a scan: OCR first', async () => {
    const result = await runCli(['import', 'bad/scan.pdf'], { cwd: workspace });
    expect(result.stderr).toContain('run OCR on it first');
  });
});

describe('a folder of a PDF, a Word file, a web page and a Markdown file in Spanish and English', () => {
  let workspace: string;
  const codebook = `version: 1
name: sources
categories:
  - id: trade
    label: Trade
    codes:
      - id: trade.ntb
        label: Non-tariff barriers
        definition: Rules other than tariffs that hinder trade.
      - id: trade.tariffs
        label: Tariffs
        definition: Taxes on imports.
`;
  beforeAll(async () => {
    workspace = await workspaceWith(
      ['conferencia-2026-01-27.pdf', 'ustr-2026-01-28.docx', 'ap-2026-01-30.html', 'sheinbaum-2026-01-30.md'],
      'fuentes',
    );
    const config = await fs.readFile(path.join(workspace, 'coding.yaml'), 'utf8');
    await writeFiles(workspace, {
      'coding.yaml': config.replace(/^corpus: .*$/m, (line) => `${line}\nsources: [fuentes]`),
      'codebooks/codebook.yaml': codebook,
    });
  });

  it('imports the folder into units with pages and languages, and every later command works on it', async () => {
    const imported = await runCli(['import', 'fuentes'], { cwd: workspace });
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('documents: 4 new, 0 unchanged; 4 in the corpus');
    expect(imported.stderr).toContain('units: 34 new, 0 unchanged; 34 in the corpus');
    expect(imported.stderr).toContain('fuentes/sheinbaum-2026-01-30.md: language es (detected)');
    const byId = new Map((await documents(workspace)).map((document) => [document.id, document]));
    expect([...byId.keys()]).toEqual([
      'ap-2026-01-30',
      'conferencia-2026-01-27',
      'sheinbaum-2026-01-30',
      'ustr-2026-01-28',
    ]);
    expect([...byId.values()].map((document) => document.language)).toEqual(['en-US', 'es-MX', 'es', 'en']);
    // The Markdown file in Spanish, cut by the Spanish rules: "EE. UU." and "Lic." inside, "¿…?" and "¡…!" whole.
    expect((await units(workspace, 'sheinbaum-2026-01-30')).map((unit) => unit.text)).toEqual([
      'Tuve una conversación muy buena con el presidente de EE. UU., Donald Trump.',
      'Hablamos de la revisión del T-MEC y de seguridad.',
      'Acordamos que los equipos del Lic. Ebrard y del Sr. Greer seguirán trabajando.',
      '¿Habrá aranceles?',
      'No por ahora.',
      'Colaboración sí, subordinación no.',
      '¡Viva México!',
    ]);

    // Two coders: every unit about barriers or tariffs coded; coder2 differs on one unit.
    const all = await runCli(['corpus', 'units', '--format', 'json'], { cwd: workspace });
    const rows = JSON.parse(all.stdout) as UnitJson[];
    const codeOf = (text: string): string =>
      /no arancelarias|non-tariff/i.test(text)
        ? 'trade.ntb'
        : /arancel|tariff/i.test(text)
          ? 'trade.tariffs'
          : '';
    const sheet = (coder: number) =>
      `unit_id,code\n${rows.map((unit) => `${unit.unit_id},${coder === 2 && unit.unit_id === 'ap-2026-01-30:4' ? 'trade.tariffs' : codeOf(unit.text)}`).join('\n')}\n`;
    await writeFiles(workspace, { 'c1.csv': sheet(1), 'c2.csv': sheet(2) });
    const commands: string[][] = [
      ['codebook', 'check'],
      ['sample', '--fraction', '0.5', '--seed', '1'],
      ['sheet', '--coder', 'coder1', '-o', 'sheet.csv'],
      ['import', '--coder', 'coder1', 'c1.csv'],
      ['import', '--coder', 'coder2', 'c2.csv'],
      ['merge'],
      ['reliability'],
      ['codes', '--format', 'csv'],
      ['themes'],
      ['themes', '--exemplars', '1'],
      ['export'],
      ['report'],
      ['export', '--format', 'qdpx', '-o', 'study.qdpx'],
    ];
    for (const command of commands) {
      const result = await runCli(command, { cwd: workspace });
      expect({
        command: command.join(' '),
        code: result.code,
        stderr: result.code === 0 ? '' : result.stderr,
      }).toEqual({
        command: command.join(' '),
        code: 0,
        stderr: '',
      });
    }
    // Units coded trade.ntb, counted by hand: ap-2026-01-30:4 (English), conferencia-2026-01-27:5 (Spanish),
    // ustr-2026-01-28:4 (English); trade.tariffs: sheinbaum-2026-01-30:4 (Spanish, "¿Habrá aranceles?").
    const byLanguage = await runCli(['themes', '--by', 'language', '--format', 'csv'], { cwd: workspace });
    expect(byLanguage.code).toBe(0);
    expect(byLanguage.stdout).toContain('trade.ntb,Non-tariff barriers,en,2,14,0.1429');
    expect(byLanguage.stdout).toContain('trade.ntb,Non-tariff barriers,es,1,20,0.05');
    expect(byLanguage.stdout).toContain('trade.tariffs,Tariffs,es,1,20,0.05');
    // Re-imported from coding.yaml's sources, the PDF, Word file and page give the same corpus.
    const reproduced = await runCli(['reproduce'], { cwd: workspace });
    expect(reproduced.code).toBe(0);
    expect(reproduced.stdout).toMatch(/✓ corpus/);
  }, 600_000);
});
