/** Helpers for end-to-end tests: run the built CLI in a temporary folder and read what it wrote. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cliPath = path.join(repositoryRoot, 'bin', 'coding');

/** The codes of the bundled codebook (codebooks/usmca-2026.yaml), in codebook order. */
export const bundledCodeIds = [
  'trade.ntb',
  'trade.tariffs',
  'trade.sectoral',
  'security.drugs',
  'security.sovereignty',
  'security.fbi',
  'rhetoric.praise',
  'rhetoric.framing',
  'rhetoric.domestic',
] as const;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `coding ARGS…` (the built CLI) in `cwd`, with colours off. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; input?: string | Buffer; env?: Record<string, string> },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
    child.stdin.end(options.input ?? '');
  });
}

/** The temporary folders this test file made, removed after its tests (test/setup.ts). */
const madeFolders: string[] = [];

/** A fresh temporary folder, removed when the test file's tests are done. */
export async function temporaryFolder(prefix = 'coding-test-'): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  madeFolders.push(folder);
  return folder;
}

/**
 * Remove the temporary folders of this test file (`CODING_KEEP_TEMP=1` keeps them, to look at
 * after a failure). A folder a test left read-only is made writable first; one that still cannot
 * be removed (a mount that would not come off) is named on stderr, and the tests do not fail.
 */
export async function removeTemporaryFolders(): Promise<void> {
  if (process.env['CODING_KEEP_TEMP'] === '1') return;
  for (const folder of madeFolders.splice(0)) {
    try {
      await fs.rm(folder, { recursive: true, force: true });
    } catch {
      try {
        await makeWritable(folder);
        await fs.rm(folder, { recursive: true, force: true });
      } catch (error) {
        console.warn(`could not remove the temporary folder ${folder}: ${(error as Error).message}`);
      }
    }
  }
}

async function makeWritable(folder: string): Promise<void> {
  await fs.chmod(folder, 0o700);
  for (const entry of await fs.readdir(folder, { withFileTypes: true }))
    if (entry.isDirectory()) await makeWritable(path.join(folder, entry.name));
}

/** Folders built once per test file, each copied for every test that asks for one (see `fromTemplate`). */
const templates = new Map<string, Promise<string>>();

/**
 * A fresh copy of a folder that `build` makes once per test file: a workspace that takes several
 * runs of the CLI to make (init, import) is made once, and each test gets its own copy of it, with
 * the files' times kept. The copy is what `build` would have made, but for the folder's name.
 */
export async function fromTemplate(key: string, build: (folder: string) => Promise<void>): Promise<string> {
  let template = templates.get(key);
  if (template === undefined) {
    template = temporaryFolder('coding-template-').then(async (folder) => {
      await build(folder);
      return folder;
    });
    templates.set(key, template);
  }
  const source = await template;
  const folder = await temporaryFolder();
  await fs.cp(source, folder, { recursive: true, preserveTimestamps: true });
  return folder;
}

/** A temporary folder with a new workspace made by `coding init` (once per test file, then copied). */
export async function temporaryWorkspace(): Promise<string> {
  return fromTemplate('init', async (folder) => {
    const result = await runCli(['init', '.'], { cwd: folder });
    if (result.code !== 0) throw new Error(`coding init failed: ${result.stderr}`);
  });
}

/** Write files given as relative path → content. */
export async function writeFiles(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
}

/** Every file below `root` (relative path → SHA-256), to show that a failed command changed nothing. */
export async function snapshot(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else
        result[path.relative(root, full)] = createHash('sha256')
          .update(await fs.readFile(full))
          .digest('hex');
    }
  };
  await walk(root);
  return result;
}

export async function readText(root: string, name: string): Promise<string> {
  return fs.readFile(path.join(root, name), 'utf8');
}

/** Copy the bundled study (coding.yaml, codebooks, corpus, annotations) into `target`. */
export async function copyBundledStudy(target: string): Promise<void> {
  await fs.mkdir(target, { recursive: true });
  await fs.copyFile(path.join(repositoryRoot, 'coding.yaml'), path.join(target, 'coding.yaml'));
  for (const folder of ['codebooks', 'corpus', 'annotations'])
    await fs.cp(path.join(repositoryRoot, folder), path.join(target, folder), { recursive: true });
}
