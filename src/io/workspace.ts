/**
 * The study workspace: a folder with `coding.yaml`, found from the current folder upwards
 * (or given with `--workspace DIR`), and the paths of the files inside it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { type Config, configSchema } from '../schema/config.js';
import { exists } from './atomic.js';
import { decodeText } from './text.js';
import { loadYaml } from './yaml.js';

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
  const { value: config } = loadYaml(decodeText(bytes, shownFile), shownFile, configSchema);
  return {
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
