import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureStudy } from '../fixtures/study.js';
import { runCli, snapshot } from '../helpers.js';

/** coding.yaml with its bootstrap setting replaced by `value`. */
async function setBootstrap(workspace: string, value: string): Promise<void> {
  const file = path.join(workspace, 'coding.yaml');
  const text = await fs.readFile(file, 'utf8');
  const changed = text.replace(/^( {2}bootstrap:) *\d+/m, `$1 ${value}`);
  expect(changed).not.toBe(text);
  await fs.writeFile(file, changed);
}

describe('one limit for the bootstrap, whatever its source', () => {
  it('refuses reliability.bootstrap above the limit in coding.yaml with its YAML path, exit 2, files unchanged', async () => {
    const workspace = await fixtureStudy();
    await setBootstrap(workspace, '1000000000');
    const before = await snapshot(workspace);
    for (const command of [['reliability'], ['report'], ['reproduce']]) {
      const result = await runCli(command, { cwd: workspace });
      expect(result.code, `${command.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain('coding.yaml');
      expect(result.stderr).toContain('reliability.bootstrap');
      expect(result.stderr).toMatch(/1000000|1,000,000/);
    }
    expect(await snapshot(workspace)).toEqual(before);
  });

  it('accepts the limit itself in coding.yaml, and the flag is refused above the same limit', async () => {
    const workspace = await fixtureStudy();
    await setBootstrap(workspace, '1000000');
    // The flag overrides the file; the file's value is still checked and within the limit.
    const ok = await runCli(['reliability', '--bootstrap', '0', '--format', 'json'], { cwd: workspace });
    expect(ok.stderr).not.toContain('reliability.bootstrap');
    const flag = await runCli(['reliability', '--bootstrap', '1000001'], { cwd: workspace });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--bootstrap');
  });
});
