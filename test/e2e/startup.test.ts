/**
 * Issue 14, point 5: start-up loads what the command being run needs. A module hook in the spawned
 * built CLI lists every file Node loads; `coding --help` must load no command module and none of
 * the heavy libraries, and a command must load its own module and no other command's.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliPath, repositoryRoot } from '../helpers.js';

/** Registered in the child: report each loaded file's URL on stderr. */
const hook = `export async function load(url, context, next) {
  if (url.startsWith('file:')) process.stderr.write('loaded ' + url + '\\n');
  return next(url, context);
}`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;

/** The files (relative to the repository) that `coding ARGS` loads, its exit code and output. */
function loadedBy(
  args: string[],
): Promise<{ code: number; loaded: string[]; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(register)}`, cliPath, ...args],
      { cwd: repositoryRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const prefix = `loaded file://${repositoryRoot}/`;
      const lines = stderr.split('\n');
      resolve({
        code: code ?? -1,
        loaded: lines.filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length)),
        stdout,
        stderr: lines.filter((line) => !line.startsWith('loaded ')).join('\n'),
      });
    });
  });
}

const commandModules = (loaded: readonly string[]) =>
  loaded.filter((file) => file.startsWith('dist/cli/commands/'));
const heavyLibraries = ['zod', 'yaml', 'chalk', 'csv-parse', 'csv-stringify', 'fast-xml-parser', 'fflate'];
const libraries = (loaded: readonly string[]) =>
  [
    ...new Set(loaded.filter((file) => file.startsWith('node_modules/')).map((file) => file.split('/')[1])),
  ].sort();

describe('start-up', () => {
  it('`coding --help` lists every command and loads no command module and no heavy library', async () => {
    const result = await loadedBy(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}reliability \[options\] +inter-coder reliability/m);
    expect(commandModules(result.loaded)).toEqual([]);
    expect(libraries(result.loaded)).toEqual(['commander']);
  });

  it('`coding reliability --help` loads the reliability module alone, and prints its full help', async () => {
    const result = await loadedBy(['reliability', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: coding reliability [options]');
    expect(result.stdout).toContain('--annotations <file>');
    expect(commandModules(result.loaded)).toEqual(['dist/cli/commands/reliability.js']);
  });

  it('`coding codebook check` does not load the REFI-QDA reader (XML parser)', async () => {
    const result = await loadedBy(['codebook', 'check', 'codebooks/usmca-2026.yaml']);
    expect(result.code).toBe(0);
    expect(commandModules(result.loaded)).toEqual(['dist/cli/commands/codebook.js']);
    expect(libraries(result.loaded)).not.toContain('fast-xml-parser');
    expect(libraries(result.loaded)).toContain('yaml');
  });

  it('an unknown command still gets a suggestion, and exit 2', async () => {
    const result = await loadedBy(['relibility']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown command 'relibility'\n(Did you mean reliability?)");
    expect(commandModules(result.loaded)).toEqual([]);
    for (const library of heavyLibraries.filter((name) => name !== 'chalk'))
      expect(libraries(result.loaded)).not.toContain(library);
  });
});
