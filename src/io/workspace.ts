/**
 * The study workspace: a folder with `coding.yaml`, found from the current folder upwards
 * (or given with `--workspace DIR`), and the paths of the files inside it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Finding, InputError, UsageError } from '../errors.js';
import { type Config, configSchema } from '../schema/config.js';
import { exists } from './atomic.js';
import { decodeText } from './text.js';
import { loadYaml, type ParsedYaml } from './yaml.js';

export const configFileName = 'coding.yaml';

export interface Workspace {
  root: string;
  configFile: string;
  config: Config;
  /** Absolute paths of the workspace's parts. */
  paths: {
    codebook: string;
    corpus: string;
    annotations: string;
    reports: string;
  };
}

/** Walk up from `start` to the first folder holding coding.yaml. */
export async function findWorkspaceRoot(start: string): Promise<string | undefined> {
  let current = path.resolve(start);
  for (;;) {
    if (await exists(path.join(current, configFileName))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Read and validate `coding.yaml` at `root`. */
export async function loadWorkspaceAt(root: string): Promise<Workspace> {
  const configFile = path.join(root, configFileName);
  const bytes = await fs.readFile(configFile);
  const shownFile = path.relative(process.cwd(), configFile) || configFileName;
  const { value: config, parsed } = loadYaml(decodeText(bytes, shownFile), shownFile, configSchema);
  const workspace: Workspace = {
    root,
    configFile,
    config,
    paths: {
      codebook: path.resolve(root, config.codebook),
      corpus: path.resolve(root, config.corpus),
      annotations: path.join(root, 'annotations'),
      reports: path.join(root, 'reports'),
    },
  };
  await checkConfiguredPaths(workspace, parsed, shownFile);
  return workspace;
}

/**
 * The paths coding.yaml gives must name the right kind of thing: `corpus` a folder of its own (not
 * a file such as coding.yaml, not the workspace itself or its annotations or reports), `codebook`
 * a file other than coding.yaml. Missing ones are fine here (a new study has no corpus yet); the
 * commands that need them say so.
 * @throws InputError naming coding.yaml:line, the key and how to fix it
 */
async function checkConfiguredPaths(
  workspace: Workspace,
  parsed: ParsedYaml,
  shownFile: string,
): Promise<void> {
  const findings: Finding[] = [];
  const problem = (key: 'corpus' | 'codebook', message: string): void => {
    findings.push({
      code: 'BAD_PATH',
      severity: 'error',
      file: shownFile,
      ...parsed.locate([key]),
      path: key,
      message,
    });
  };
  const kind = async (file: string): Promise<'file' | 'folder' | 'other' | undefined> => {
    try {
      const stat = await fs.stat(file);
      return stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : 'other';
    } catch {
      return undefined;
    }
  };
  const { corpus, codebook, annotations, reports } = workspace.paths;
  const given = workspace.config;
  const corpusKind = await kind(corpus);
  if (corpus === workspace.root || corpus === annotations || corpus === reports)
    problem(
      'corpus',
      `"${given.corpus}" is ${corpus === workspace.root ? 'the workspace folder itself' : `the ${path.basename(corpus)} folder`}; the corpus needs a folder of its own, such as "corpus"`,
    );
  else if (corpusKind !== undefined && corpusKind !== 'folder')
    problem(
      'corpus',
      `"${given.corpus}" is ${corpusKind === 'file' ? 'a file' : 'not a folder'}; corpus names the folder of the corpus store (documents.jsonl, units.csv), such as "corpus"`,
    );
  const codebookKind = await kind(codebook);
  if (codebook === workspace.configFile)
    problem(
      'codebook',
      `"${given.codebook}" is the settings file itself; codebook names the codebook's YAML file, such as "codebooks/codebook.yaml"`,
    );
  else if (codebookKind !== undefined && codebookKind !== 'file')
    problem(
      'codebook',
      `"${given.codebook}" is ${codebookKind === 'folder' ? 'a folder' : 'not a regular file'}; codebook names the codebook's YAML file, such as "codebooks/codebook.yaml"`,
    );
  if (findings.length > 0)
    throw new InputError(`${shownFile} names a wrong path`, {
      findings,
      location: { file: shownFile },
      hint: 'paths in coding.yaml are relative to the folder that holds it; correct them there.',
    });
}

/**
 * The workspace for a command: `--workspace DIR` when given, else the nearest coding.yaml above `cwd`.
 * @throws UsageError when there is none
 */
export async function openWorkspace(options: {
  workspace?: string | undefined;
  cwd: string;
}): Promise<Workspace> {
  if (options.workspace !== undefined) {
    const root = path.resolve(options.cwd, options.workspace);
    const stat = await fs.stat(root).catch(() => undefined);
    if (stat !== undefined && !stat.isDirectory()) {
      const isConfig = path.basename(root) === configFileName;
      throw new UsageError(
        `${options.workspace} is a file; --workspace names the folder that holds ${configFileName}`,
        {
          hint: isConfig
            ? `pass its folder: --workspace ${path.dirname(options.workspace) || '.'}`
            : `pass the study's folder, for example --workspace ${path.dirname(options.workspace) || '.'}, if it holds ${configFileName}.`,
        },
      );
    }
    if (!(await exists(path.join(root, configFileName)))) {
      throw new UsageError(`${options.workspace} is not a workspace: it has no ${configFileName}`, {
        hint: `create one with: coding init ${options.workspace}`,
      });
    }
    return loadWorkspaceAt(root);
  }
  const root = await findWorkspaceRoot(options.cwd);
  if (root === undefined) {
    throw new UsageError(`no ${configFileName} in this folder or any folder above it`, {
      hint: 'run the command inside a study workspace, pass --workspace DIR, or create one with: coding init DIR',
    });
  }
  return loadWorkspaceAt(root);
}

/** The workspace when there is one, else undefined (for commands that also work on explicit files). */
export async function openWorkspaceIfAny(options: {
  workspace?: string | undefined;
  cwd: string;
}): Promise<Workspace | undefined> {
  if (options.workspace !== undefined) return openWorkspace(options);
  const root = await findWorkspaceRoot(options.cwd);
  return root === undefined ? undefined : loadWorkspaceAt(root);
}

/** A path relative to the current folder, for messages. */
export function shown(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative === ''
    ? '.'
    : relative.startsWith('..') &&
        path.isAbsolute(file) &&
        relative.split(path.sep).filter((part) => part === '..').length > 3
      ? file
      : relative;
}

export function assertInside(root: string, file: string, what: string): void {
  const relative = path.relative(root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new InputError(`${what} ${file} lies outside the workspace ${root}`);
  }
}
