/**
 * Issue 12, class 3, for REFI-QDA projects: a source text holding escape sequences or bidirectional
 * overrides is imported byte-exact (it is data), and the import warns with their count, the
 * document and its units, as `coding import FILE.txt` does.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectXml, qdpx, users } from '../fixtures/qdpx/projects.js';
import { runCli, temporaryWorkspace } from '../helpers.js';

const hostile =
  'Plain first sentence. Then \u001b]0;owned\u0007 a title and \u001b[2J a clear.\n\nA \u202Eright-to-left\u202C override.\n';
const clean = 'Nothing odd here. Only words.\n';

function project(): Uint8Array {
  const sources = [
    `<TextSource guid="11111111-0000-4000-8000-000000000001" name="hostile" plainTextPath="internal://hostile.txt"/>`,
    `<TextSource guid="11111111-0000-4000-8000-000000000002" name="clean" plainTextPath="internal://clean.txt"/>`,
  ].join('');
  return qdpx({
    'project.qde': projectXml({
      origin: 'QualCoder 3.5',
      users: `<Users><User guid="${users.anna}" name="Anna"/></Users>`,
      sources,
    }),
    'Sources/hostile.txt': hostile,
    'Sources/clean.txt': clean,
  });
}

describe('control characters in the texts of a REFI-QDA project', () => {
  it('keeps the text byte-exact and warns with the count, the document and its units; the dry run says the same', async () => {
    const workspace = await temporaryWorkspace();
    await fs.writeFile(path.join(workspace, 'hostile.qdpx'), project());

    const dry = await runCli(['import', 'hostile.qdpx', '--dry-run', '--format', 'json'], { cwd: workspace });
    expect(dry.code, dry.stderr).toBe(0);
    const dryWarnings = JSON.parse(dry.stdout).warnings.filter(
      (warning: { code: string }) => warning.code === 'CONTROL_CHARACTERS',
    );
    expect(dryWarnings).toHaveLength(1);

    const result = await runCli(['import', 'hostile.qdpx', '--format', 'json'], { cwd: workspace });
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    const warnings = json.warnings.filter(
      (warning: { code: string }) => warning.code === 'CONTROL_CHARACTERS',
    );
    // Five: ESC twice, BEL once (the end of the OSC sequence), the right-to-left override U+202E and
    // the pop U+202C (bidirectional formatting, counted as countControlCharacters counts). One
    // warning, for the one document that holds them, naming its units 2 and 3.
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/^document hostile holds 5 control characters/);
    expect(warnings[0].message).toContain('hostile:2');
    expect(warnings[0].message).toContain('hostile:3');
    expect(warnings[0].file).toBe('hostile.qdpx');
    // The terminal shows the warning, and shows no raw escape character anywhere.
    expect(result.stderr).toContain('document hostile holds 5 control characters');
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stderr).not.toContain('\u202E');

    // The stored text is the source's, character for character.
    const documents = (await fs.readFile(path.join(workspace, 'corpus', 'documents.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; text: string });
    expect(documents.find((document) => document.id === 'hostile')?.text).toBe(hostile);
    expect(documents.find((document) => document.id === 'clean')?.text).toBe(clean);
  });
});
